//! `card_html(card=card, heading="h3")`: a brief's card from `partials/card.html`, rendered once
//! per card and heading and reused by every list that shows it.
//!
//! A brief's card sits on an index page, on each of its tags' pages and on the page of each fact
//! it cites: about ten lists at 10,000 briefs. Rendered by an `{% include %}` on each of them, the
//! cards were two thirds of the time of a list page and a sixth of a whole build. The partial gets
//! `site`, `card` and `card_heading` (the `heading` argument, when given) and nothing of the page
//! it lands on, which is what makes one rendering good for every list; a theme whose card depends
//! on the page includes the partial itself, as before.
//!
//! A card is recognised by identity, not by content: the site's cards are prepared template
//! values ([`Prepared`]), and every page context that shows a card holds that very map. The cache
//! keeps those values alive, so no other map can have one's address while it exists. Any other
//! value (a patched card during `serve`, a map a template built) is rendered without the cache.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

use crate::views::{BriefCard, Prepared};

/// The partial every card is rendered from.
const CARD: &str = "partials/card.html";

/// The headings a card is cached for: none given (the partial's default), then `h1` to `h6`.
const HEADINGS: [&str; 7] = ["", "h1", "h2", "h3", "h4", "h5", "h6"];

/// The `card_html` function of one site's templates.
#[derive(Clone)]
pub struct CardHtml(Arc<Cards>);

struct Cards {
    /// The theme's templates, where `card_html` is [`refuse`]: the partial may not call it.
    tera: Tera,
    /// The site's cards, held so that their maps stay where `index` says they are.
    _held: Vec<Value>,
    /// A card map's address → its place in the site's cards (and in `rendered`).
    index: HashMap<usize, usize>,
    /// Each card's HTML, by place and then by heading (see [`HEADINGS`]), made on first use.
    /// Kept as text and copied into each list that shows it: a shared template string is
    /// counted in and out by every list, an atomic write to a card's memory that, on a card
    /// not touched since its last list, waits for that memory before anything else goes on;
    /// a copy's reads overlap with other work. At 100,000 briefs perf put the function and
    /// its copies at 21% of the lists' samples, against 23% with shared strings.
    rendered: Vec<[OnceLock<Box<str>>; HEADINGS.len()]>,
}

impl CardHtml {
    /// `tera` renders the partial; `cards` are the site's prepared cards.
    pub fn new(tera: Tera, cards: &[Prepared<BriefCard>]) -> CardHtml {
        let cards: Vec<Value> = cards.iter().map(|card| card.value().clone()).collect();
        let index = cards
            .iter()
            .enumerate()
            .filter_map(|(place, card)| Some((address(card)?, place)))
            .collect();
        let rendered = cards.iter().map(|_| Default::default()).collect();
        CardHtml(Arc::new(Cards {
            tera,
            _held: cards,
            index,
            rendered,
        }))
    }

    /// The function Tera calls: `card` is required, `heading` optional.
    pub fn call(&self, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
        let card = kwargs.must_get::<Value>("card")?;
        let heading = kwargs.get::<&str>("heading")?;
        let cards = &self.0;
        let slot = address(&card)
            .and_then(|address| cards.index.get(&address))
            .zip(HEADINGS.iter().position(|h| *h == heading.unwrap_or("")))
            .map(|(&place, heading)| &cards.rendered[place][heading]);
        if let Some(html) = slot.and_then(OnceLock::get) {
            return Ok(Value::safe_string(html));
        }
        let html = cards.render(card, heading, state)?;
        Ok(Value::safe_string(match slot {
            // Two threads may render the same card at once; both get the same text.
            Some(slot) => slot.get_or_init(|| html.into()),
            None => &html,
        }))
    }
}

/// The `card_html` of the environment the partial itself renders in: a card that asks for a
/// card would ask again forever.
pub fn refuse(_: Kwargs, _: &State) -> TeraResult<Value> {
    Err(tera::Error::message(format!(
        "`{CARD}` cannot call `card_html`, which renders it"
    )))
}

impl Cards {
    fn render(&self, card: Value, heading: Option<&str>, state: &State) -> TeraResult<String> {
        let mut context = Context::new();
        if let Some(site) = state.get::<Value>("site")? {
            context.insert_value("site", site);
        }
        context.insert_value("card", card);
        if let Some(heading) = heading {
            context.insert("card_heading", heading);
        }
        self.tera.render(CARD, &context).map_err(located)
    }
}

/// The partial's own error as one line, which Tera then shows at the `card_html` call: where in
/// the partial it failed, what failed, and what the partial is given.
fn located(error: tera::Error) -> tera::Error {
    let tera::ErrorKind::RenderingError(report) = error.kind() else {
        return error;
    };
    let span = report.span();
    tera::Error::message(format!(
        "`{}` line {}, column {}: {} (`card_html` gives it `site`, `card` and `card_heading`, \
         the same for every list the card is on)",
        report.filename(),
        span.start_line,
        span.start_col + 1,
        report.message()
    ))
}

/// Where a map value's entries live, for as long as the value does.
fn address(value: &Value) -> Option<usize> {
    value.as_map().map(|map| std::ptr::from_ref(map) as usize)
}

#[cfg(test)]
mod tests {
    use tera::{Context, Tera};

    use super::{CardHtml, refuse};
    use crate::views::{BriefCard, Prepared};

    fn card(title: &str) -> Prepared<BriefCard> {
        Prepared::new(BriefCard {
            slug: title.into(),
            url: format!("/briefs/{title}/"),
            title: title.into(),
            date: "2022-08-04".into(),
            date_human: "4 August 2022".into(),
            updated: "2022-08-04".into(),
            author: None,
            summary: None,
            tags: Vec::new(),
        })
    }

    /// Two environments with the same templates: one renders the partial, the other the page
    /// that calls `card_html`.
    fn tera(card_partial: &str, page: &str) -> (Tera, Tera) {
        let mut inner = Tera::new();
        inner.autoescape_on([".html"]);
        inner.register_function("card_html", refuse);
        inner
            .add_raw_templates([("partials/card.html", card_partial), ("page.html", page)])
            .unwrap();
        (inner.clone(), inner)
    }

    fn render(outer: &Tera, list: Vec<Prepared<BriefCard>>) -> String {
        let mut context = Context::new();
        context.insert("briefs", &list);
        context.insert("site", &serde_json::json!({ "title": "S & S" }));
        outer.render("page.html", &context).unwrap()
    }

    #[test]
    fn renders_the_partial_with_site_card_and_heading_and_does_not_escape_it() {
        let (inner, mut outer) = tera(
            "<{{ card_heading | default(value='h2') }}>{{ card.title }} · {{ site.title }}",
            "{% for card in briefs %}[{{ card_html(card=card) }}|\
             {{ card_html(card=card, heading='h3') }}]{% endfor %}",
        );
        let cards = vec![card("a<b"), card("c")];
        let function = CardHtml::new(inner, &cards);
        outer.register_function("card_html", move |kwargs, state: &tera::State| {
            function.call(kwargs, state)
        });
        let html = render(&outer, cards.clone());
        assert_eq!(
            html,
            "[<h2>a&lt;b · S &amp; S|<h3>a&lt;b · S &amp; S][<h2>c · S &amp; S|<h3>c · S &amp; S]"
        );
    }

    #[test]
    fn a_cached_card_is_the_same_text_as_a_card_rendered_without_the_cache() {
        let page = "{% for card in briefs %}{{ card_html(card=card, heading='h4') }};{% endfor %}";
        let (inner, mut outer) = tera("<{{ card_heading }}>{{ card.title }}", page);
        let cards = vec![card("one"), card("two")];
        let function = CardHtml::new(inner, &cards);
        outer.register_function("card_html", move |kwargs, state: &tera::State| {
            function.call(kwargs, state)
        });
        // Twice from the site's own cards (cached the second time), then from equal cards that
        // are other maps (never cached): the same text each time.
        let first = render(&outer, cards.clone());
        let second = render(&outer, cards.clone());
        let others = render(&outer, vec![card("one"), card("two")]);
        assert_eq!(first, "<h4>one;<h4>two;");
        assert_eq!(second, first);
        assert_eq!(others, first);
    }

    #[test]
    fn a_card_that_is_not_the_sites_own_is_rendered_as_it_is() {
        let page = "{{ card_html(card=briefs[0], heading='h5') }}|\
                    {{ card_html(card=briefs[0], heading='strong') }}";
        let (inner, mut outer) = tera("<{{ card_heading }}>{{ card.title }}", page);
        let cards = vec![card("kept")];
        let function = CardHtml::new(inner, &cards);
        outer.register_function("card_html", move |kwargs, state: &tera::State| {
            function.call(kwargs, state)
        });
        // A card changed since the cache was made (as `serve` patches one) shows its new title.
        let html = render(&outer, vec![card("changed")]);
        assert_eq!(html, "<h5>changed|<strong>changed");
    }
}
