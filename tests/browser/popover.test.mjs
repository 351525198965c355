// Footnote popovers on the seed brief, against the theme's contract:
//  - static/footnotes.js is loaded on brief pages; style.css + footnotes.js + search.js (the
//    theme's whole CSS and JS) stay under 30 KB;
//  - hovering `sup.fn-ref > a` shows one visible `div.fn-popover[data-footnote=N]` with the
//    note's first paragraph and one of its source links; Escape hides it and focus goes back to
//    the reference;
//  - Tab to a reference + Enter opens its popover and moves focus into it; Escape closes it;
//  - a click outside closes it;
//  - without JavaScript no popover shows and a reference is a plain link to its note;
//  - on a 390 px touch screen a tapped reference opens a popover inside the viewport;
//  - (beyond the contract) axe-core finds nothing with a popover open, light and dark.
// Every page opened here must make no request beyond 127.0.0.1.
import { test, before, after } from 'node:test';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  SITE_DIR,
  SITE_URL,
  launchBrowser,
  withWatchedPage,
  openPage,
  sitePages,
  shortUrl,
  norm,
  check,
  AXE_SOURCE,
} from './helpers.mjs';

const SEED = 'briefs/karabakh-restraint-2022-08-04/';
const SEED_URL = SITE_URL + SEED;
const SCRIPT_URL = SITE_URL + 'static/footnotes.js';
const SIZE_LIMIT = 30_000; // bytes, for the theme's CSS and JS together
const BUDGETED = ['style.css', 'footnotes.js', 'search.js'];
const WAIT = 3_000; // ms a popover may take to open or close (the theme delays hover by ~150 ms)

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const withPage = (options, fn) => withWatchedPage(browser, options, fn);

// The popovers currently shown: [{ n (data-footnote), tag, text, hrefs, box }].
function visiblePopovers(page) {
  return page.$$eval('.fn-popover', (els) =>
    els
      .filter((el) => !el.hidden && el.getClientRects().length > 0 &&
        getComputedStyle(el).display !== 'none' && getComputedStyle(el).visibility !== 'hidden')
      .map((el) => ({
        n: el.getAttribute('data-footnote'),
        tag: el.tagName.toLowerCase(),
        text: el.textContent,
        hrefs: [...el.querySelectorAll('a[href]')].map((a) => a.href),
        box: el.getBoundingClientRect().toJSON(),
      })),
  );
}

async function popoverState(page) {
  const all = await page.$$eval('.fn-popover', (els) => els.length).catch(() => 0);
  const shown = await visiblePopovers(page).catch(() => []);
  const script = await page
    .$$eval('script[src]', (s) => s.map((x) => x.src))
    .catch(() => []);
  return `${all} .fn-popover element(s) in the page, ${shown.length} visible` +
    (shown.length ? ` (data-footnote=${shown.map((p) => p.n).join(',')})` : '') +
    `; scripts: ${script.join(', ') || 'none'}`;
}

// Waits until exactly one popover is visible, for note `n`, and returns it.
async function expectOpen(page, n, how) {
  const deadline = Date.now() + WAIT;
  let shown = [];
  while (Date.now() < deadline) {
    shown = await visiblePopovers(page);
    if (shown.length === 1 && shown[0].n === String(n)) break;
    await page.waitForTimeout(50);
  }
  check(
    shown.length === 1 && shown[0].n === String(n),
    `expected one visible div.fn-popover[data-footnote="${n}"] within ${WAIT} ms after ${how}; ` +
      (await popoverState(page)),
  );
  check(shown[0].tag === 'div', `the popover is a <${shown[0].tag}>, not a <div>`);
  return shown[0];
}

async function expectClosed(page, how) {
  const deadline = Date.now() + WAIT;
  let shown;
  do {
    shown = await visiblePopovers(page);
    if (shown.length === 0) return;
    await page.waitForTimeout(50);
  } while (Date.now() < deadline);
  check(false, `a popover is still visible ${WAIT} ms after ${how}; ` + (await popoverState(page)));
}

// The note's first paragraph and its source links (not the backlink, not links into the site).
function noteOf(page, n) {
  return page.evaluate(
    ({ n, site }) => {
      const li = document.getElementById('fn-' + n);
      if (!li) return null;
      const p = li.querySelector('p:not(.fn-sources)');
      const sources = [...li.querySelectorAll('.fn-sources a[href]')]
        .filter((a) => a.getAttribute('role') !== 'doc-backlink')
        .filter((a) => !a.getAttribute('href').startsWith('#') && !a.href.startsWith(site))
        .map((a) => a.href);
      return { para: p ? p.textContent : null, sources };
    },
    { n, site: SITE_URL },
  );
}

const activeIsRef = (page, n) =>
  page.evaluate((n) => document.activeElement === document.querySelector(`#fnref-${n} a`), n);

const activeDescription = (page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return 'document.body';
    return a.outerHTML.slice(0, 120);
  });

test('static/style.css + footnotes.js + search.js are under 30 KB together', () => {
  const sizes = BUDGETED.map((f) => {
    const p = join(SITE_DIR, 'static', f);
    try {
      return [f, statSync(p).size];
    } catch {
      check(false, `static/${f} is missing from the built site`);
    }
  });
  const total = sizes.reduce((s, [, n]) => s + n, 0);
  const detail = sizes.map(([f, n]) => `${f} ${n} B`).join(' + ');
  console.log(`# ${detail} = ${total} B (limit ${SIZE_LIMIT} B)`);
  check(total < SIZE_LIMIT, `${detail} = ${total} B, not under ${SIZE_LIMIT} B`);
});

test('static/footnotes.js is loaded on every brief page', async () => {
  const briefs = sitePages().filter((p) => p.path.startsWith('briefs/'));
  check(briefs.some((p) => p.path === SEED + 'index.html'), `the seed brief ${SEED} was not built`);
  await withPage({}, async (page) => {
    for (const { url } of briefs) {
      const answers = [];
      const onResponse = (res) => {
        if (res.url() === SCRIPT_URL) answers.push(res.status());
      };
      page.on('response', onResponse);
      await openPage(page, url);
      page.off('response', onResponse);
      const scripts = await page.$$eval('script[src]', (s) => s.map((x) => x.src));
      check(
        answers.includes(200),
        `${shortUrl(url)} did not load ${shortUrl(SCRIPT_URL)}: ` +
          (answers.length ? `it answered HTTP ${answers.join(', ')}` : 'no request for it') +
          `; the page's scripts: ${scripts.map(shortUrl).join(', ') || 'none'}`,
      );
    }
  });
});

test('hover shows the note and a source in one popover; Escape hides it and refocuses the reference', async () => {
  await withPage({}, async (page) => {
    await openPage(page, SEED_URL);
    const note = await noteOf(page, 2);
    check(note && note.para, 'the seed brief has no li#fn-2 with a paragraph');
    check(note.sources.length > 0, 'li#fn-2 .fn-sources has no source link');

    await page.hover('#fnref-2 a');
    const pop = await expectOpen(page, 2, 'hovering #fnref-2 a');
    const attrs = await page.$eval('.fn-popover[data-footnote="2"]', (el) => ({
      hidden: el.hasAttribute('hidden'),
      display: getComputedStyle(el).display,
    }));
    check(!attrs.hidden, 'the open popover still has the hidden attribute');
    check(attrs.display !== 'none', 'the open popover is display: none');
    check(
      norm(pop.text).includes(norm(note.para)),
      `the popover text does not contain the first paragraph of li#fn-2.\n` +
        `  paragraph: ${norm(note.para)}\n  popover:   ${norm(pop.text)}`,
    );
    check(
      pop.hrefs.some((h) => note.sources.includes(h)),
      `the popover has none of li#fn-2's source links.\n  sources: ${note.sources.join(' ')}\n` +
        `  popover links: ${pop.hrefs.join(' ') || 'none'}`,
    );

    await page.keyboard.press('Escape');
    await expectClosed(page, 'pressing Escape');
    check(
      await activeIsRef(page, 2),
      `after Escape focus is on ${await activeDescription(page)}, not on #fnref-2 a`,
    );
  });
});

test('keyboard: Tab to #fnref-5 a and Enter opens note 5 with focus inside; Escape closes it', async () => {
  await withPage({}, async (page) => {
    await openPage(page, SEED_URL);
    const total = await page.$$eval('a[href], button, input, select, textarea, [tabindex]', (e) => e.length);
    let reached = false;
    for (let i = 0; i < total + 5 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await activeIsRef(page, 5);
    }
    check(reached, `Tab never reached #fnref-5 a (${total + 5} presses); focus is on ${await activeDescription(page)}`);

    await page.keyboard.press('Enter');
    await expectOpen(page, 5, 'Tab to #fnref-5 a and Enter');
    const inside = await page.evaluate(() => {
      const pop = document.querySelector('.fn-popover[data-footnote="5"]');
      return !!pop && pop.contains(document.activeElement);
    });
    check(inside, `focus did not move into the popover; it is on ${await activeDescription(page)}`);

    await page.keyboard.press('Escape');
    await expectClosed(page, 'pressing Escape in the keyboard-opened popover');
    check(
      await activeIsRef(page, 5),
      `after Escape focus is on ${await activeDescription(page)}, not back on #fnref-5 a`,
    );
  });
});

test('a click outside closes the popover', async () => {
  await withPage({}, async (page) => {
    await openPage(page, SEED_URL);
    // Opened from the keyboard so that the mouse is not hovering anything when the test starts.
    await page.focus('#fnref-3 a');
    await page.keyboard.press('Enter');
    await expectOpen(page, 3, 'focusing #fnref-3 a and pressing Enter');
    await page.click('.brief-header h1');
    await expectClosed(page, 'clicking the brief title, outside the popover');
  });
});

test('without JavaScript: no popover, and a reference is a link to its note', async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await openPage(page, SEED_URL);
    const shown = await visiblePopovers(page);
    check(shown.length === 0, `a .fn-popover is visible without JavaScript: ${JSON.stringify(shown)}`);
    await page.click('#fnref-1 a');
    await page.waitForURL(/#fn-1$/, { timeout: WAIT }).catch(() => {});
    check(new URL(page.url()).hash === '#fn-1', `clicking #fnref-1 a led to ${page.url()}, not #fn-1`);
    const box = await page.locator('#fn-1').boundingBox();
    const vp = page.viewportSize();
    check(box, '#fn-1 has no box');
    check(
      box.y < vp.height && box.y + box.height > 0 && box.x < vp.width && box.x + box.width > 0,
      `#fn-1 is not in the viewport after the jump: box ${JSON.stringify(box)}, viewport ${JSON.stringify(vp)}`,
    );
  });
});

test('390 px touch screen: a tapped reference opens a popover inside the viewport', async () => {
  const viewport = { width: 390, height: 844 };
  await withPage({ viewport, hasTouch: true, isMobile: true, deviceScaleFactor: 2 }, async (page) => {
    await openPage(page, SEED_URL);
    const refs = await page.$$eval('sup.fn-ref > a', (as) =>
      as.map((a) => a.getAttribute('href').replace('#fn-', '')),
    );
    check(refs.length > 0, 'the seed brief has no sup.fn-ref > a');
    const outside = [];
    for (const n of refs) {
      await openPage(page, SEED_URL);
      await page.tap(`#fnref-${n} a`);
      const pop = await expectOpen(page, n, `tapping #fnref-${n} a`);
      const { left, right, width } = pop.box;
      if (left < -0.5 || right > viewport.width + 0.5) {
        outside.push(`note ${n}: left ${left.toFixed(1)}, right ${right.toFixed(1)}, width ${width.toFixed(1)}`);
      }
    }
    check(outside.length === 0, `popover(s) outside 0..${viewport.width} px:\n  ${outside.join('\n  ')}`);
  });
});

// Not in the page-by-page axe run, which sees the popover closed: its content and colours,
// opened from the keyboard, in both colour schemes.
for (const colorScheme of ['light', 'dark']) {
  test(`axe-core, ${colorScheme}: 0 violations with a popover open`, async () => {
    await withPage({ colorScheme }, async (page) => {
      await openPage(page, SEED_URL);
      await page.focus('#fnref-2 a');
      await page.keyboard.press('Enter');
      await expectOpen(page, 2, 'focusing #fnref-2 a and pressing Enter');
      await page.evaluate(AXE_SOURCE);
      const violations = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) =>
          `${v.id} (${v.impact}): ${v.help}\n` +
          v.nodes.map((n) => `      ${n.target.join(' ')}\n        ${(n.failureSummary || '').replace(/\s+/g, ' ')}`).join('\n'));
      });
      check(violations.length === 0, `${violations.length} axe violation(s) with popover 2 open (${colorScheme}):\n  ${violations.join('\n  ')}`);
    });
  });
}
