// The Nu HTML Checker (vnu.jar from npm `vnu-jar`, run by the machine's Java) over every .html
// file of the built site: no errors allowed. One JVM checks the site and a canary folder holding
// one known-bad page, so a checker that silently checks nothing cannot pass.
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITE_DIR, VNU_JAR, htmlFiles, check, Failure } from './helpers.mjs';

const canary = mkdtempSync(join(tmpdir(), 'vnu-canary-'));
const canaryPage = join(canary, 'nested', 'deeper', 'bad.html');
mkdirSync(join(canary, 'nested', 'deeper'), { recursive: true });
writeFileSync(
  canaryPage,
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>canary</title></head>' +
    '<body><img src="x.png"></body></html>\n',
);
writeFileSync(join(canary, 'nested', 'not-html.txt'), 'not <html> at all\n');

const started = Date.now();
const run = spawnSync(
  'java',
  ['-jar', VNU_JAR, '--errors-only', '--skip-non-html', '--format', 'json', '--verbose', SITE_DIR, canary],
  { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
rmSync(canary, { recursive: true, force: true });

// --verbose lists each checked file on stdout; the JSON report goes to stderr.
function report() {
  if (run.error) throw new Failure(`could not run java: ${run.error.message}`);
  const err = run.stderr.trim();
  const start = err.indexOf('{"');
  if (start < 0) throw new Failure(`vnu.jar printed no JSON report (exit ${run.status}):\n${err}`);
  return JSON.parse(err.slice(start));
}

const pathOf = (url) => resolve(fileURLToPath(url));

test('vnu.jar runs and catches a known error (harness self-check)', () => {
  const { messages } = report();
  const hits = messages.filter((m) => m.url && pathOf(m.url) === canaryPage);
  check(
    hits.some((m) => m.type === 'error' && /alt/.test(m.message)),
    `vnu.jar did not report the canary's <img> without alt: ${JSON.stringify(hits)}`,
  );
});

test('vnu.jar checked every .html file of the site', () => {
  const expected = htmlFiles(SITE_DIR);
  check(expected.length > 0, `no .html files under ${SITE_DIR}`);
  const checked = new Set(
    run.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => resolve(l.startsWith('file:') ? fileURLToPath(l) : l)),
  );
  const missed = expected.filter((f) => !checked.has(f));
  check(missed.length === 0, `vnu.jar did not check: ${missed.join(', ')}`);
  console.log(`# vnu: ${expected.length} .html files checked in ${seconds}s`);
});

test('Nu HTML Checker: 0 errors on every page', () => {
  const { messages } = report();
  const errors = messages.filter(
    (m) => m.type !== 'info' && !(m.url && pathOf(m.url).startsWith(canary)),
  );
  if (errors.length === 0) return;
  const byMessage = new Map();
  const lines = errors.map((m) => {
    const file = m.url ? relative(SITE_DIR, pathOf(m.url)) : '(no file)';
    byMessage.set(m.message, (byMessage.get(m.message) ?? 0) + 1);
    const extract = m.extract ? `\n      ${m.extract.replace(/\n/g, '⏎')}` : '';
    return `  ${file}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}: ${m.type}${m.subType ? '/' + m.subType : ''}: ${m.message}${extract}`;
  });
  const files = new Set(errors.map((m) => m.url)).size;
  const summary = [...byMessage]
    .sort((a, b) => b[1] - a[1])
    .map(([msg, n]) => `  ${String(n).padStart(4)} × ${msg}`);
  check(
    false,
    `${errors.length} vnu error(s) in ${files} file(s):\n${lines.join('\n')}\n` +
      `by message:\n${summary.join('\n')}`,
  );
});
