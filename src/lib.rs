//! briefing: a static-site generator for short news briefs annotated with sourced background.
//!
//! The pipeline is a chain of stages, one module each, each producing a new value from the last
//! (see `pipeline`): `config`, `content`, `knowledge` (+ `matcher`), `annotate`, `markdown`
//! (+ `highlight`), `site` (+ `views`), `theme` + `templates`, and `output`, the only stage that
//! writes files.
//!
//! The authoring commands sit beside the pipeline and reuse its stages: `check` (+ `lint`,
//! `report`), `explain`, and `scaffold` (`init`, `new`).

pub mod annotate;
mod ascii8;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod error;
pub mod explain;
pub mod feeds;
pub mod highlight;
pub mod knowledge;
pub mod links;
pub mod lint;
pub mod markdown;
pub mod matcher;
pub mod metadata;
pub mod output;
pub mod pipeline;
pub mod publish;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod session;
pub mod site;
pub mod templates;
pub mod theme;
pub mod views;
pub mod yaml;
