// Shared helpers of the browser tests: where the built site is, which pages it has, a headless
// Debian Chromium driven by playwright-core, a guard that records every request a page makes
// so a test can assert that nothing leaves 127.0.0.1, and the axe-core runner.
//
// run.sh sets SITE_DIR (the built site, e.g. $TMP/site/caucasus-brief) and SITE_URL (where
// python's http.server serves it, e.g. http://127.0.0.1:PORT/caucasus-brief/).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

function need(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run these tests through tests/browser/run.sh`);
  }
  return v;
}

export const SITE_DIR = need('SITE_DIR');
export const SITE_URL = need('SITE_URL').replace(/\/?$/, '/');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ALLOWED_HOST = '127.0.0.1';

// Every .html file under `dir`, sorted, as absolute paths.
export function htmlFiles(dir = SITE_DIR) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.html')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

// Every page of the built site: { path, url } where path is relative to the site
// ('briefs/x/index.html') and url is what a visitor would open ('.../briefs/x/').
export function sitePages() {
  return htmlFiles().map((file) => {
    const path = relative(SITE_DIR, file).split(sep).join('/');
    const urlPath = path === 'index.html' ? '' : path.replace(/(^|\/)index\.html$/, '$1');
    return { path, url: SITE_URL + urlPath };
  });
}

// The site path of a URL under SITE_URL, for messages ('/briefs/x/').
export function shortUrl(url) {
  return url.startsWith(SITE_URL) ? '/' + url.slice(SITE_URL.length) : url;
}

export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
    timeout: 60_000,
  });
}

// A browser context whose requests are all watched: `requests.offsite` collects every request
// to a host other than 127.0.0.1 (aborted, so nothing leaves the machine even when a test
// fails), `requests.failed` every same-host request answered with an HTTP error or not at all.
// `requests.reset()` empties both, for per-page checks.
export async function watchedContext(browser, options = {}) {
  const context = await browser.newContext(options);
  const requests = {
    offsite: [],
    failed: [],
    reset() {
      this.offsite.length = 0;
      this.failed.length = 0;
    },
  };
  const isOffsite = (url) => {
    let u;
    try {
      u = new URL(url);
    } catch {
      return true;
    }
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return false;
    return u.hostname !== ALLOWED_HOST;
  };
  context.on('request', (req) => {
    if (isOffsite(req.url())) requests.offsite.push(`${req.resourceType()} ${req.url()}`);
  });
  // A 404 for a script is reported twice by Chromium (the response, then an abort): once here.
  const failed = (url, why) => {
    if (!requests.failed.some((f) => f.startsWith(url + ' '))) requests.failed.push(`${url} (${why})`);
  };
  context.on('response', (res) => {
    if (!isOffsite(res.url()) && res.status() >= 400) failed(res.url(), `HTTP ${res.status()}`);
  });
  context.on('requestfailed', (req) => {
    if (!isOffsite(req.url())) failed(req.url(), req.failure()?.errorText ?? 'failed');
  });
  await context.route(
    (url) => isOffsite(url.href),
    (route) => route.abort('blockedbyclient'),
  );
  return { context, requests };
}

// Problems with the requests a page made, as lines for an assertion message ([] when none).
export function requestProblems(requests) {
  return [
    ...requests.offsite.map((r) => `request to a host other than ${ALLOWED_HOST}: ${r}`),
    ...requests.failed.map((r) => `failed request: ${r}`),
  ];
}

// Runs `fn(page, context)` in a fresh watched context made with `options`, then asserts that
// its requests stayed on 127.0.0.1 and none failed.
export async function withWatchedPage(browser, options, fn) {
  const { context, requests } = await watchedContext(browser, options);
  try {
    const page = await context.newPage();
    await fn(page, context);
    const problems = requestProblems(requests);
    check(problems.length === 0, problems.join('\n'));
  } finally {
    await context.close();
  }
}

// Opens `url` in `page` and checks it answered 200.
export async function openPage(page, url) {
  const res = await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  if (!res || res.status() !== 200) {
    throw new Failure(`${shortUrl(url)} answered ${res ? 'HTTP ' + res.status() : 'nothing'}`);
  }
  return res;
}

export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const VNU_JAR = require.resolve('vnu-jar/build/dist/vnu.jar');

// axe-core's default rule set (WCAG 2.x A/AA plus best practices) on the page as it is now:
// [{ id, impact, help, nodes: [{ target, summary }] }], [] when it finds nothing.
export async function runAxe(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        summary: (n.failureSummary || '').replace(/\s+/g, ' ').trim(),
      })),
    }));
  });
}

// Violations as indented lines for an assertion message, at most 8 nodes each.
export function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `      ${n.target}${n.summary ? `\n        ${n.summary}` : ''}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n      … and ${v.nodes.length - 8} more node(s)` : '';
      return `  ${v.id} (${v.impact}): ${v.help}\n${nodes}${more}`;
    })
    .join('\n');
}

// A test failure whose report is its message and the line that failed, without the stack of
// node:assert and playwright internals, so that CI logs stay readable.
export class Failure extends Error {
  constructor(message, frame = '') {
    super(message);
    this.name = 'Failure';
    this.stack = `Failure: ${message}${frame ? '\n    ' + frame.trim() : ''}`;
  }
}

// Fails the current test with `message` unless `ok`.
export function check(ok, message) {
  if (!ok) throw new Failure(message, new Error().stack.split('\n')[2] ?? '');
}

// Whitespace collapsed and trimmed, for comparing text across markup.
export const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
