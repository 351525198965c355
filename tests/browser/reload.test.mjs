// `briefing serve` live reload in a real browser, on a temp copy of the example site (site.yaml,
// content/ and static/; the theme is the built-in one):
//  - a brief page open in Chromium reloads by itself once the brief's title is edited on disk,
//    and shows the new title (the test never reloads; a marker set on `window` before the edit
//    must be gone, which only a real reload does);
//  - a brief broken on disk (an impossible date) makes the open page show
//    `#briefing-error-overlay` with the build's `file:line:col: error: …` report, over the last
//    good page and without reloading;
//  - fixing it reloads the page by itself, and the overlay is gone.
// Every page opened here must make no request beyond 127.0.0.1.
//
// The server is the binary run.sh has just built the site with (see briefingBin).
import { test, before, after } from 'node:test';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, watchedContext, requestProblems, openPage, norm, check, Failure } from './helpers.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = briefingBin();
const SLUG = 'karabakh-restraint-2022-08-04';
const BRIEF = `content/briefs/${SLUG}.md`;
const OVERLAY = 'briefing-error-overlay';
const START = 60_000; // ms for the first build of the example site (debug binary, busy CI)
const WAIT = 10_000; // ms for a rebuild to reach the open page

let site; // the temp copy of the example site
let server; // the `briefing serve` child process
let output = ''; // everything it printed, for failure messages
let url; // http://127.0.0.1:PORT/
let browser;

// BRIEFING_BIN (relative to the repository root, as run.sh reads it), else the newer of
// $CARGO_TARGET_DIR/debug/briefing and target/debug/briefing. run.sh builds the site with
// target/debug/briefing when it is newer than the sources and with `cargo run` otherwise, which
// leaves the fresh binary under CARGO_TARGET_DIR when that is set: the newer one is the one run.sh
// used.
function briefingBin() {
  if (process.env.BRIEFING_BIN) return resolve(ROOT, process.env.BRIEFING_BIN);
  const dirs = [process.env.CARGO_TARGET_DIR, 'target'].filter(Boolean);
  const found = dirs.map((d) => resolve(ROOT, d, 'debug/briefing')).filter((p) => existsSync(p));
  found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return found[0] ?? resolve(ROOT, 'target/debug/briefing');
}

// Starts `briefing serve --port 0` on `root` and resolves with the URL it prints.
function serve(root) {
  check(existsSync(BIN), `no briefing binary at ${BIN}: build it (cargo build) or set BRIEFING_BIN`);
  server = spawn(BIN, ['serve', '--port', '0', '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Failure(`serve printed no URL in ${START} ms:\n${output}`)), START);
    server.stderr.on('data', (chunk) => (output += chunk));
    server.stdout.on('data', (chunk) => {
      output += chunk;
      const found = /^Serving .* at (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output);
      if (found) {
        clearTimeout(timer);
        done(found[1]);
      }
    });
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Failure(`serve exited (${code ?? signal}) before serving:\n${output}`));
    });
  });
}

// Stops the server (SIGTERM, then SIGKILL if it lingers) and waits for it to exit.
async function stop() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((done) => server.once('exit', done));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

// Rewrites the brief with `from` replaced by `to`, the way most editors save: a hidden sibling
// renamed over the file, so the server never reads a half-written brief.
function editBrief(from, to) {
  const path = join(site, BRIEF);
  const text = readFileSync(path, 'utf8');
  check(text.includes(from), `${BRIEF} does not contain ${JSON.stringify(from)}`);
  const temp = join(site, 'content/briefs', `.${SLUG}.md.saving`);
  writeFileSync(temp, text.replace(from, to));
  renameSync(temp, path);
}

// Waits up to WAIT for `fn(arg)` to be true in the page (across reloads), else fails with `message`.
async function waitInPage(page, fn, arg, message) {
  const ok = await page
    .waitForFunction(fn, arg, { timeout: WAIT, polling: 100 })
    .then(() => true, () => false);
  check(ok, `${message} within ${WAIT} ms\n--- briefing serve printed:\n${output}`);
}

// Runs `fn(page)` on a fresh page of a context that records requests; afterwards no request
// may have left 127.0.0.1 or failed. The event stream is exempt from "failed": a reload cuts it.
async function withPage(fn) {
  const { context, requests } = await watchedContext(browser);
  try {
    await fn(await context.newPage());
    requests.failed = requests.failed.filter((r) => !r.includes('/__briefing/events'));
    const problems = requestProblems(requests);
    check(problems.length === 0, problems.join('\n'));
  } finally {
    await context.close();
  }
}

before(async () => {
  site = mkdtempSync(join(tmpdir(), 'briefing-reload-'));
  for (const part of ['site.yaml', 'content', 'static']) {
    if (existsSync(join(ROOT, part))) cpSync(join(ROOT, part), join(site, part), { recursive: true });
  }
  url = await serve(site);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stop();
  if (site) rmSync(site, { recursive: true, force: true });
});

test('an edited title reaches the open page without a reload by the test', async () => {
  await withPage(async (page) => {
    await openPage(page, `${url}briefs/${SLUG}/`);
    const before = norm(await page.textContent('h1'));
    check(before === 'Moscow Urges Restraint as the Karabakh Truce Frays', `the brief's h1 is ${JSON.stringify(before)}`);
    await page.evaluate(() => (window.beforeTheEdit = true));
    const title = 'Moscow Urges Restraint (edited while the page is open)';
    editBrief('title: "Moscow Urges Restraint as the Karabakh Truce Frays"', `title: "${title}"`);
    await waitInPage(
      page,
      (t) => !window.beforeTheEdit && document.querySelector('h1')?.textContent.trim() === t && document.title.startsWith(t),
      title,
      'the page did not reload by itself with the new title',
    );
  });
});

test('a broken brief shows the error overlay, and the fix reloads the page without it', async () => {
  const lines = readFileSync(join(site, BRIEF), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.startsWith('date: ')) + 1;
  const where = `${BRIEF}:${line}:7: error: front matter: invalid date \`2022-02-30\``;
  await withPage(async (page) => {
    await openPage(page, `${url}briefs/${SLUG}/`);
    const good = await page.title();
    check((await page.locator(`#${OVERLAY}`).count()) === 0, 'an error overlay on a good build');
    await page.evaluate(() => (window.beforeTheEdit = true));

    editBrief('date: 2022-08-04', 'date: 2022-02-30');
    await waitInPage(
      page,
      (id) => (document.getElementById(id)?.textContent ?? '').includes('error:'),
      OVERLAY,
      `#${OVERLAY} did not appear after the brief broke`,
    );
    const overlay = await page.textContent(`#${OVERLAY}`);
    check(overlay.includes(where), `#${OVERLAY} does not say ${JSON.stringify(where)}; it says:\n${overlay}`);
    check(await page.isVisible(`#${OVERLAY}`), `#${OVERLAY} is not visible`);
    check(
      (await page.evaluate(() => window.beforeTheEdit)) && (await page.title()) === good,
      'the page reloaded on a failed build instead of keeping the last good one',
    );

    editBrief('date: 2022-02-30', 'date: 2022-08-04');
    await waitInPage(
      page,
      (id) => !window.beforeTheEdit && document.readyState === 'complete' && !document.getElementById(id),
      OVERLAY,
      `the page did not reload without #${OVERLAY} after the fix`,
    );
    check((await page.title()) === good, `the fixed page is titled ${JSON.stringify(await page.title())}`);
  });
});
