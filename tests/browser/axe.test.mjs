// axe-core in headless Chromium on every page of the built site, once in a light and once in a
// dark colour-scheme context: 0 violations of axe's default rule set (WCAG 2.x A/AA plus best
// practices) allowed. Every page is also checked for requests that leave 127.0.0.1 or fail.
import { test, before, after } from 'node:test';
import {
  runAxe,
  describeViolations,
  launchBrowser,
  watchedContext,
  requestProblems,
  openPage,
  sitePages,
  shortUrl,
  check,
} from './helpers.mjs';

const SCHEMES = ['light', 'dark'];
const pages = sitePages();
const tally = new Map(); // violation id -> { impact, pages: Set, nodes }
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (tally.size) {
    console.log('# axe violations by id (all pages, both schemes):');
    for (const [id, t] of [...tally].sort((a, b) => b[1].nodes - a[1].nodes)) {
      console.log(`#   ${id} (${t.impact}): ${t.nodes} node(s) on ${t.pages.size} page/scheme run(s)`);
    }
  }
});

test('axe-core runs and catches a known violation (harness self-check)', async () => {
  const { context } = await watchedContext(browser);
  try {
    const page = await context.newPage();
    await page.setContent(
      '<!DOCTYPE html><html lang="en"><head><title>canary</title></head>' +
        '<body><main><img src="data:,"></main></body></html>',
    );
    const ids = (await runAxe(page)).map((v) => v.id);
    check(ids.includes('image-alt'), `axe did not report image-alt on the canary; got ${ids}`);
  } finally {
    await context.close();
  }
});

test('the site has pages to check', () => {
  check(pages.length > 0, 'no .html files in the built site');
  console.log(`# axe: ${pages.length} pages × ${SCHEMES.length} colour schemes`);
});

for (const scheme of SCHEMES) {
  test(`axe-core, ${scheme} colour scheme: 0 violations on every page`, async (t) => {
    const { context, requests } = await watchedContext(browser, { colorScheme: scheme });
    const page = await context.newPage();
    try {
      // The emulation itself works, or the dark run would silently repeat the light one.
      await openPage(page, pages[0].url);
      check(
        await page.evaluate((s) => matchMedia(`(prefers-color-scheme: ${s})`).matches, scheme),
        `Chromium does not emulate prefers-color-scheme: ${scheme}`,
      );
      for (const { path, url } of pages) {
        await t.test(`${scheme} ${shortUrl(url)}`, async () => {
          requests.reset();
          await openPage(page, url);
          const violations = await runAxe(page);
          for (const v of violations) {
            const e = tally.get(v.id) ?? { impact: v.impact, pages: new Set(), nodes: 0 };
            e.pages.add(`${scheme} ${path}`);
            e.nodes += v.nodes.length;
            tally.set(v.id, e);
          }
          const problems = [];
          if (violations.length) {
            problems.push(
              `${violations.length} axe violation(s) on ${shortUrl(url)} (${scheme}):\n${describeViolations(violations)}`,
            );
          }
          problems.push(...requestProblems(requests));
          check(problems.length === 0, problems.join('\n'));
        });
      }
    } finally {
      await context.close();
    }
  });
}
