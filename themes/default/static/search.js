// Search for templates/search.html: fetches search-index.json once, when first needed, and
// lists the briefs (by title, tags, summary) and facts (by title) holding every query word as a
// word prefix, ignoring case and diacritics. A word scores by the best field it is in: title
// over any tag hits, tag over any summary hits; ties keep index order (newest first, then facts).
(() => {
  const root = document.getElementById('search');
  if (!root) return;
  const input = root.querySelector('input[name=q]');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const base = new URL(root.dataset.base, location.href);
  const title = document.title;
  const MAX = 50;
  const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
  let items, loading, timer;

  // Lower case, no diacritics (NFD minus marks), no apostrophes ("Armenia's" stays one word),
  // other non-alphanumerics but \1 as spaces. The /u regexps see only non-ASCII runs: on whole
  // strings they made folding 10,000 briefs 3 times slower.
  const fold = (s) => s.toLowerCase()
    .replace(/[^\0-\x7f]+/g, (r) => r.normalize('NFD').replace(/\p{M}|’/gu, '').replace(/[^\p{L}\p{N}]/gu, ' '))
    .replace(/'/g, '').replace(/[^a-z0-9\x01\x80-\uffff]+/g, ' ');

  // One folded string per entry, ' title \1 tags \1 summary', made once: indexOf(' ' + word)
  // finds a word prefix in one pass, and where (before a, before b) gives the best field.
  function prepare(json) {
    return [...json.briefs, ...json.facts.map((f) => ({ ...f, fact: 1 }))].map((e) => {
      const h = fold(` ${e.t} \x01 ${(e.g || []).join(' ')} \x01 ${e.s || ''}`);
      const a = h.indexOf('\x01');
      return { e, h, a, b: h.indexOf('\x01', a + 1) };
    });
  }

  function load() {
    return (loading ||= fetch(root.dataset.index)
      .then((r) => {
        if (!r.ok) throw Error(r.status);
        return r.json();
      })
      .then((json) => { items = prepare(json); })
      .catch((err) => {
        loading = null; // let the next query try again
        throw err;
      }));
  }

  function find(words) {
    const keys = words.map((w) => ' ' + w);
    const hits = [];
    next: for (const it of items) {
      let score = 0;
      for (const k of keys) {
        const p = it.h.indexOf(k);
        if (p < 0) continue next;
        score += p < it.a ? 100 : p < it.b ? 10 : 1;
      }
      hits.push({ it, score });
    }
    return hits.sort((x, y) => y.score - x.score); // stable: ties keep index order
  }

  const el = (tag, cls, text) => {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text) n.textContent = text;
    return n;
  };

  // As partials/card.html, but tags are text: the index has no tag URLs.
  function card({ it: { e } }) {
    const li = el('li');
    const art = li.appendChild(el('article', 'card'));
    if (e.fact) art.append(el('p', 'kicker', 'Context'));
    art.appendChild(el('h2', 'card-title')).appendChild(el('a', '', e.t)).href = new URL(e.u, base);
    if (e.fact) return li;
    const d = new Date(e.d.slice(0, 10));
    art.appendChild(el('p', 'meta')).appendChild(el('time', '', isNaN(d) ? e.d : day.format(d)))
      .dateTime = e.d;
    if (e.s) art.append(el('p', 'summary', e.s));
    if (e.g?.length) {
      const ul = art.appendChild(el('ul', 'tags'));
      ul.setAttribute('aria-label', 'Tags');
      for (const g of e.g) ul.appendChild(el('li')).append(el('span', '', g));
    }
    return li;
  }

  function show(hits, text) {
    status.textContent = text;
    list.replaceChildren(...hits.slice(0, MAX).map(card));
    list.hidden = !hits.length;
  }

  async function run() {
    const q = input.value.trim();
    const url = new URL(location.href);
    if (q) url.searchParams.set('q', q);
    else url.searchParams.delete('q');
    history.replaceState(history.state, '', url);
    document.title = q ? `“${q}” · ${title}` : title;
    const words = fold(q).split(' ').filter(Boolean);
    if (!words.length) return show([], '');
    if (!items) {
      status.textContent = 'Loading…';
      try {
        await load();
      } catch {
        return show([], 'Search is unavailable: its index did not load.');
      }
      if (input.value.trim() !== q) return; // a newer query is on its way
    }
    const hits = find(words);
    const n = hits.length;
    show(hits, (!n ? 'No results' : n > MAX ? `Showing ${MAX} of ${n} results` :
      `${n} result${n > 1 ? 's' : ''}`) + ` for “${q}”`);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 100);
  });
  input.addEventListener('focus', () => load().catch(() => {}), { once: true });
  root.querySelector('form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.value = new URLSearchParams(location.search).get('q') || '';
  if (input.value) run();
})();
