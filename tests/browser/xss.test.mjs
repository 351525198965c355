// Issue 9: hostile text never runs in a reader's browser. run.sh builds the fixture site
// tests/fixtures/xss/site, whose front matter, knowledge file and Markdown carry well-known XSS
// payloads that all call __xss(), into XSS_DIR (served at XSS_URL). Every built page is opened
// in headless Chromium with __xss defined by an init script; the test fails if any payload
// calls it, if any dialog opens, or if any link, image, frame or form in the page points at a
// javascript:, vbscript: or data:text URL (which a click would run). On each page it also
// hovers and focuses every footnote reference (the popover copies the note's HTML) and, on the
// search page, searches for the payload titles, so script-built markup is exercised too.
import { test, before, after } from 'node:test';
import { relative, sep } from 'node:path';
import { launchBrowser, htmlFiles, check } from './helpers.mjs';

const XSS_DIR = process.env.XSS_DIR;
const XSS_URL = (process.env.XSS_URL || '').replace(/\/?$/, '/');
const SHOT = process.env.XSS_SCREENSHOT; // optional: a PNG of the payload brief, for a person

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const pages = () =>
  htmlFiles(XSS_DIR).map((file) => {
    const path = relative(XSS_DIR, file).split(sep).join('/');
    return { path, url: XSS_URL + path.replace(/(^|\/)index\.html$/, '$1') };
  });

test('the XSS fixture site was built', () => {
  check(XSS_DIR && process.env.XSS_URL, 'XSS_DIR and XSS_URL are not set: run through run.sh');
  const paths = pages().map((p) => p.path);
  for (const want of ['index.html', 'briefs/payloads/index.html', 'context/payload-fact/index.html', 'search/index.html']) {
    check(paths.includes(want), `${want} is missing from the XSS site: ${paths.join(', ')}`);
  }
});

test('no payload runs on any page of the XSS site', async () => {
  const context = await browser.newContext();
  const hits = [];
  await context.exposeBinding('__xssReport', ({ frame }, where) => hits.push(`${frame.url()} (${where})`));
  await context.addInitScript(() => {
    // Payloads call __xss(); so would anything that reached an event handler or a script.
    window.__xss = () => window.__xssReport(new Error().stack.split('\n').slice(1, 3).join(' '));
    if (window.parent !== window) window.parent.__xss = window.__xss;
  });
  // Nothing leaves 127.0.0.1 (the payloads' example.org links are never fetched).
  await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
  const page = await context.newPage();
  page.on('dialog', (d) => {
    hits.push(`dialog ${d.type()} "${d.message()}" on ${page.url()}`);
    d.dismiss().catch(() => {});
  });
  const dangerous = [];
  let opened = 0;
  for (const { path, url } of pages()) {
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    opened++;
    for (const ref of await page.$$('sup.fn-ref > a')) {
      await ref.hover().catch(() => {});
      await ref.focus().catch(() => {});
      await page.keyboard.press('Enter').catch(() => {});
      await page.keyboard.press('Escape').catch(() => {});
    }
    if (path === 'search/index.html') {
      for (const q of ['title', 'svg', 'script', 'xss']) {
        await page.fill('input[name=q]', q);
        await page.waitForTimeout(300);
      }
    }
    await page.waitForTimeout(100);
    const bad = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('[href], [src], [action], [formaction], [srcdoc]')) {
        for (const attr of ['href', 'src', 'action', 'formaction']) {
          const v = (el.getAttribute(attr) || '').replace(/[\u0000-\u0020]/g, '').toLowerCase();
          if (/^(javascript|vbscript|data:text)/.test(v)) out.push(`<${el.localName} ${attr}="${el.getAttribute(attr)}">`);
        }
        if (el.hasAttribute('srcdoc')) out.push(`<${el.localName} srcdoc>`);
      }
      for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) out.push(`<${el.localName} ${a.name}="${a.value}">`);
        }
      }
      return out;
    });
    dangerous.push(...bad.map((b) => `${path}: ${b}`));
    if (path === 'briefs/payloads/index.html' && SHOT) await page.screenshot({ path: SHOT, fullPage: true });
  }
  await context.close();
  console.log(`# ${opened} pages of the XSS site opened; ${hits.length} payload call(s)`);
  check(hits.length === 0, `a payload ran:\n  ${hits.join('\n  ')}`);
  check(dangerous.length === 0, `script URLs or event handlers in built pages:\n  ${dangerous.join('\n  ')}`);
});
