// The theme's client-side search (templates/search.html, static/search.js over the build's
// search-index.json), as a reader uses it:
//  - the longest word of the seed brief's summary (its meta description), typed into the
//    header's search box on the home page and submitted, leads to search/?q=… listing the
//    brief's title as a link to the brief;
//  - a fact's title typed into the search page's own box finds the fact, marked "Context", and
//    the address follows the query;
//  - a word that is in nothing shows "No results";
//  - without JavaScript the page says that search needs it;
//  - axe-core finds nothing on the page with results shown, light and dark.
// The words and titles are read from the built site at run time. Every page opened here must
// make no request beyond 127.0.0.1.
import { test, before, after } from 'node:test';
import {
  SITE_URL,
  launchBrowser,
  withWatchedPage,
  openPage,
  runAxe,
  describeViolations,
  norm,
  check,
} from './helpers.mjs';

const SEED = 'briefs/karabakh-restraint-2022-08-04/';
const SEARCH_URL = SITE_URL + 'search/';
const WAIT = 5_000; // ms for the index to load and results to show

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const withPage = (options, fn) => withWatchedPage(browser, options, fn);

// The seed brief's title and the longest word of its summary (the first, on a tie).
async function seedBrief(page) {
  await openPage(page, SITE_URL + SEED);
  const title = await page.$eval('meta[property="og:title"]', (m) => m.content);
  const description = await page.$eval('meta[name="description"]', (m) => m.content);
  const words = description.match(/\p{L}+/gu) ?? [];
  check(words.length > 0, `the seed brief's meta description has no words: ${JSON.stringify(description)}`);
  const word = words.reduce((a, b) => (b.length > a.length ? b : a));
  return { title: norm(title), word };
}

// The first fact of the context index: its title and URL.
async function firstFact(page) {
  await openPage(page, SITE_URL + 'context/');
  const fact = await page.$$eval('main a[href*="/context/"]', (as) =>
    as.map((a) => ({ title: a.textContent, url: a.href })).find((f) => !f.url.endsWith('/context/')));
  check(fact, 'context/ links to no fact page');
  return { title: norm(fact.title), url: fact.url };
}

// Waits until the status line gives a result count for `query`, then returns it with the
// results shown: { status, results: [{ title, url, kicker }] }.
async function results(page, query, how) {
  const status = page.locator('#search-status');
  await page
    .waitForFunction(
      (q) => {
        const text = document.getElementById('search-status')?.textContent ?? '';
        return /\bresults?\b/i.test(text) && text.endsWith(`for “${q}”`);
      },
      query,
      { timeout: WAIT },
    )
    .catch(() => {});
  const text = norm(await status.textContent().catch(() => null));
  check(
    /\bresults?\b/i.test(text) && text.endsWith(`for “${query}”`),
    `#search-status does not say "… result(s) for “${query}”" ${WAIT} ms after ${how}; it says ${JSON.stringify(text)}`,
  );
  const live = await status.getAttribute('aria-live');
  check(live === 'polite', `#search-status has aria-live=${JSON.stringify(live)}, not "polite"`);
  const list = await page.$$eval('#search-results > li', (lis) =>
    lis.map((li) => {
      const a = li.querySelector('.card-title a');
      return {
        title: a?.textContent ?? '',
        url: a?.href ?? '',
        kicker: li.querySelector('.kicker')?.textContent ?? '',
      };
    }));
  return { status: text, results: list.map((r) => ({ ...r, title: norm(r.title), kicker: norm(r.kicker) })) };
}

const listing = (rs) => rs.map((r) => `${r.kicker ? `[${r.kicker}] ` : ''}${r.title} <${r.url}>`).join('\n    ') || '(none)';

test('a word from the seed brief, submitted from the header on the home page, finds the brief', async () => {
  await withPage({}, async (page) => {
    const { title, word } = await seedBrief(page);
    await openPage(page, SITE_URL);
    const box = page.locator('.site-header form[role="search"] input[name="q"]');
    check((await box.count()) === 1, 'the home page has no search box in .site-header form[role=search]');
    await box.fill(word);
    await box.press('Enter');
    await page.waitForURL((u) => u.href.startsWith(SEARCH_URL), { timeout: WAIT }).catch(() => {});
    const at = new URL(page.url());
    check(
      at.href.startsWith(SEARCH_URL) && at.searchParams.get('q') === word,
      `submitting "${word}" led to ${page.url()}, not ${SEARCH_URL}?q=${word}`,
    );
    const prefilled = await page.inputValue('#search input[name="q"]');
    check(prefilled === word, `the search page's box holds ${JSON.stringify(prefilled)}, not "${word}"`);
    const { status, results: rs } = await results(page, word, `opening ?q=${word}`);
    check(
      rs.some((r) => r.title === title && r.url === SITE_URL + SEED),
      `"${word}" (${status}) does not list the seed brief "${title}" linking to ${SITE_URL + SEED}:\n    ${listing(rs)}`,
    );
    check(
      new RegExp(`^(\\d+ results?|Showing \\d+ of \\d+ results) for “${word}”$`).test(status),
      `the status says ${JSON.stringify(status)}, not "N result(s) for “${word}”"`,
    );
  });
});

test('typing a fact title on the search page finds the fact, marked Context, and updates the address', async () => {
  await withPage({}, async (page) => {
    const fact = await firstFact(page);
    await openPage(page, SEARCH_URL);
    const box = page.locator('#search input[name="q"]');
    await box.pressSequentially(fact.title, { delay: 10 });
    const { status, results: rs } = await results(page, fact.title, `typing "${fact.title}"`);
    const hit = rs.find((r) => r.url === fact.url);
    check(hit, `typing "${fact.title}" (${status}) does not list ${fact.url}:\n    ${listing(rs)}`);
    check(hit.title === fact.title, `the fact is listed as "${hit.title}", not "${fact.title}"`);
    check(/^context$/i.test(hit.kicker), `the fact result is marked ${JSON.stringify(hit.kicker)}, not "Context"`);
    await page.waitForFunction((t) => new URL(location.href).searchParams.get('q') === t, fact.title, { timeout: WAIT })
      .catch(() => {});
    const q = new URL(page.url()).searchParams.get('q');
    check(q === fact.title, `after typing, the address's ?q= is ${JSON.stringify(q)}, not "${fact.title}"`);
  });
});

test('a word found nowhere shows "No results"', async () => {
  await withPage({}, async (page) => {
    const nonsense = 'qzxvjkw';
    await openPage(page, `${SEARCH_URL}?q=${nonsense}`);
    const { status, results: rs } = await results(page, nonsense, `opening ?q=${nonsense}`);
    check(/^No results\b/.test(status), `the status says ${JSON.stringify(status)}, not "No results …"`);
    check(rs.length === 0, `"${nonsense}" lists:\n    ${listing(rs)}`);
  });
});

test('without JavaScript the search page says that search needs it', async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await openPage(page, `${SEARCH_URL}?q=karabakh`);
    const text = norm(await page.locator('main').innerText());
    check(/JavaScript/.test(text), `without JavaScript the search page's main does not mention JavaScript: ${text}`);
  });
});

// Twice per scheme: briefs listed for the seed word, then the first fact (its "Context" kicker
// has a colour of its own) listed for its title.
for (const colorScheme of ['light', 'dark']) {
  test(`axe-core, ${colorScheme}: 0 violations on the search page with results`, async () => {
    await withPage({ colorScheme }, async (page) => {
      const fact = await firstFact(page);
      const { word } = await seedBrief(page);
      await openPage(page, `${SEARCH_URL}?q=${encodeURIComponent(word)}`);
      for (const query of [word, fact.title]) {
        if (query !== word) await page.fill('#search input[name="q"]', query);
        const { status, results: rs } = await results(page, query, `searching "${query}"`);
        check(rs.length > 0, `"${query}" shows no results to check (${status})`);
        if (query === fact.title) check(rs.some((r) => r.kicker), `"${query}" lists no fact`);
        const violations = await runAxe(page);
        check(
          violations.length === 0,
          `${violations.length} axe violation(s) on the search page for "${query}" (${colorScheme}):\n` +
            describeViolations(violations),
        );
      }
    });
  });
}
