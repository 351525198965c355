//! What a traced annotate walk reports beyond the build's decisions: terms found where the
//! build does not look, and terms another fact's term overlapped. See `annotate_traced`.

use crate::error::Span;

/// Text that is never scanned for terms, by the container it sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotProse {
    CodeSpan,
    CodeBlock,
    LinkText,
    ImageAlt,
    Heading,
    RawHtml,
    FootnoteDefinition,
}

/// Why a term found in the brief never became a [`Mention`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// The term sits in text that is not prose.
    NotProse(NotProse),
    /// Another fact's term overlaps it and won (it starts first, or is longer). `contains` is
    /// true when the winner covers the whole of this term.
    Overlapped {
        fact: usize,
        term: usize,
        contains: bool,
    },
}

/// A term found where the build does not look, or where another term won.
#[derive(Debug, Clone)]
pub struct HiddenMention {
    pub fact: usize,
    pub term: usize,
    pub span: Span,
    pub why: Hidden,
}

/// What [`annotate_traced`] reports beyond the [`AnnotatedBrief`], in document order.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub hidden: Vec<HiddenMention>,
}

/// Receives what only a traced walk reports. `ON` is a constant so that the build's walk,
/// traced by `()`, contains no tracing code at all rather than a branch per event.
pub(super) trait Tracer {
    const ON: bool;
    fn hidden(&mut self, mention: HiddenMention);
}

impl Tracer for () {
    const ON: bool = false;
    fn hidden(&mut self, _: HiddenMention) {}
}

impl Tracer for Trace {
    const ON: bool = true;
    fn hidden(&mut self, mention: HiddenMention) {
        self.hidden.push(mention);
    }
}
