// A visitor's walk through the built site: breadth-first from the home page over every link a
// page offers (`a`/`area` href and `form` action, fragments dropped), reading each page's links
// from Chromium's DOM and fetching every page and every asset (`link` href, `script`/`img`/
// `source`/`iframe` src) once. Asserts that
//  - every one of them answers 200 directly, without a redirect;
//  - no link or src on the site's own origin points outside its path prefix (/caucasus-brief/
//    in run.sh), which is what a link that forgot base_url does under GitHub Pages;
//  - the crawl reached a reasonable number of pages, and every built page but 404.html.
// Links to other origins are counted, never fetched.
import { test, before, after } from 'node:test';
import { SITE_URL, launchBrowser, sitePages, shortUrl, check } from './helpers.mjs';

const SITE = new URL(SITE_URL);
const MIN_PAGES = 20; // a lower bound only: the example site has about 50
const NAVIGABLE = 'a[href], area[href], form[action]';
const REFERENCES = `${NAVIGABLE}, link[href], script[src], img[src], source[src], iframe[src]`;

let browser;
let crawl;

before(async () => {
  browser = await launchBrowser();
  crawl = await crawlSite();
});
after(async () => {
  await browser?.close();
});

// The URL a reference leads to, without its fragment.
const resource = (url) => {
  const u = new URL(url);
  u.hash = '';
  return u.href;
};

// Fetches `url` without following redirects: '' when it answers 200, else what went wrong.
async function answer(url) {
  try {
    const res = await fetch(url, { redirect: 'manual' });
    await res.arrayBuffer();
    if (res.status === 200) return { problem: '', html: /^text\/html\b/.test(res.headers.get('content-type') ?? '') };
    const to = res.headers.get('location');
    return { problem: `HTTP ${res.status}${to ? ` → ${to}` : ''}` };
  } catch (e) {
    return { problem: e.cause?.message ?? e.message };
  }
}

async function crawlSite() {
  // JavaScript off and nothing but documents loaded: the crawl fetches every asset itself.
  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.route('**/*', (route) =>
    route.request().resourceType() === 'document' ? route.continue() : route.abort());
  const page = await context.newPage();

  const fetched = new Map(); // url -> { problem, from, html }
  const pages = []; // urls of the HTML pages crawled, in crawl order
  const outside = []; // 'from: <tag attr="…">' for same-origin references outside the prefix
  let offsite = 0;
  const queue = [SITE.href];
  fetched.set(SITE.href, { from: '(start)', nav: true });

  while (queue.length) {
    const url = queue.shift();
    const res = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30_000 });
    pages.push(url);
    if (!res || res.status() !== 200) continue; // answer() has recorded why
    const refs = await page.$$eval(
      REFERENCES,
      (els, navigable) => els.map((el) => {
        const attr = el.matches('form') ? 'action' : el.hasAttribute('src') ? 'src' : 'href';
        const raw = el.getAttribute(attr);
        return {
          nav: el.matches(navigable),
          tag: `<${el.localName} ${attr}="${raw}">`,
          url: new URL(raw, document.baseURI).href,
        };
      }),
      NAVIGABLE,
    );
    for (const ref of refs) {
      const u = new URL(ref.url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') continue; // data:, mailto:
      if (u.origin !== SITE.origin) {
        offsite++;
        continue;
      }
      if (!u.pathname.startsWith(SITE.pathname)) {
        outside.push(`${shortUrl(url)}: ${ref.tag}`);
        continue;
      }
      const target = resource(ref.url);
      if (fetched.has(target)) continue;
      const entry = { from: shortUrl(url), nav: ref.nav, ...(await answer(target)) };
      fetched.set(target, entry);
      if (ref.nav && entry.html && !entry.problem) queue.push(target);
    }
  }
  await context.close();
  // The start page was never passed to answer(): fetch it like the rest.
  Object.assign(fetched.get(SITE.href), await answer(SITE.href));
  return { fetched, pages, outside, offsite };
}

test('every page and asset reached from the home page answers 200', () => {
  const { fetched, pages, offsite } = crawl;
  const assets = fetched.size - pages.length;
  console.log(`# crawl: ${pages.length} pages and ${assets} other files fetched; ${offsite} links to other origins not followed`);
  const bad = [...fetched]
    .filter(([, e]) => e.problem)
    .map(([url, e]) => `${shortUrl(url)}: ${e.problem} (linked from ${e.from})`);
  check(bad.length === 0, `${bad.length} of ${fetched.size} URL(s) did not answer 200:\n  ${bad.join('\n  ')}`);
});

test(`no link or src on ${SITE.origin} points outside ${SITE.pathname}`, () => {
  const { outside } = crawl;
  check(
    outside.length === 0,
    `${outside.length} reference(s) outside ${SITE.pathname} (a missing base_url prefix?):\n  ${outside.join('\n  ')}`,
  );
});

test(`the crawl reaches at least ${MIN_PAGES} pages, and every built page but 404.html`, () => {
  const { pages } = crawl;
  check(pages.length >= MIN_PAGES, `the crawl reached only ${pages.length} page(s): ${pages.map(shortUrl).join(', ')}`);
  const reached = new Set(pages);
  const missed = sitePages()
    .filter((p) => p.path !== '404.html' && !reached.has(p.url))
    .map((p) => p.path);
  check(missed.length === 0, `built but linked from no page the crawl reached:\n  ${missed.join('\n  ')}`);
});
