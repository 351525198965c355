//! The command line: clap parses raw arguments, [`resolve`] turns them into validated options
//! for the pipeline, and [`run`] executes a command and returns what to print.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::check::{self, CheckOptions};
use crate::error::Error;
use crate::explain;
use crate::pipeline::{self, BuildOptions};
use crate::report::{Format, Outcome};
use crate::scaffold::{self, NewBrief};
use crate::serve::{self, ServeOptions};

#[derive(Debug, Parser)]
#[command(
    name = "briefing",
    version,
    about = "Build a static site of news briefs annotated with sourced background notes.",
    after_help = "Example:\n  briefing init my-site && cd my-site && briefing serve --open"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default)
    #[command(after_help = "Example:\n  briefing build --base-url https://user.github.io/repo/")]
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder [default: <root>/public]
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override `base_url` from site.yaml
        #[arg(long)]
        base_url: Option<String>,
        /// Also print how long each stage took
        #[arg(long)]
        timings: bool,
    },
    /// Build the site, serve it on 127.0.0.1, and rebuild and reload the browser on every change
    #[command(after_help = "Example:\n  briefing serve --open\n\n\
        The site is served from memory at http://127.0.0.1:1111/ (public/ is not touched).\n\
        Watched: content/, themes/, static/ and site.yaml.")]
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port to listen on (0 picks a free one)
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but a loopback address shows the preview to other machines
        #[arg(long, short, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in the default browser once it is served
        #[arg(long)]
        open: bool,
        /// Also print how long each stage of every rebuild took
        #[arg(long)]
        timings: bool,
    },
    /// Run every check the build makes, writing nothing, plus a lint of the knowledge file
    #[command(
        after_help = "Examples:\n  briefing check\n  briefing check --deny-warnings   \
        # in CI: warnings fail too\n  briefing check --format json\n\n\
        Errors are what `build` refuses. Warnings: unused-fact, shadowed-term, no-sources,\n\
        empty-note, broken-link (in a note), citation-outside-dates."
    )]
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Exit with code 1 on warnings as well as errors
        #[arg(long)]
        deny_warnings: bool,
        /// Report as compiler-style text or as JSON on standard output
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Show, for one brief, which facts got a footnote and why other mentions did not
    #[command(after_help = "Example:\n  briefing explain content/briefs/karabakh-restraint.md")]
    Explain {
        /// The brief's file (from the current folder, or relative to --root)
        brief: PathBuf,
        /// Site root: the folder holding site.yaml and content/
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// Report as text or as JSON
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Create a new site, ready to build, in a new or empty folder
    #[command(after_help = "Example:\n  briefing init my-site")]
    Init {
        /// The folder to create the site in (created when missing; must be empty)
        dir: PathBuf,
    },
    /// Write a new brief to content/briefs/<slug>.md, with its front matter filled in
    #[command(
        after_help = "Example:\n  briefing new \"Russia Urges Restraint\" --date 2022-08-04 --tags armenia,russia"
    )]
    New {
        /// The brief's title; its file name is made from it
        title: String,
        /// The brief's date, YYYY-MM-DD [default: today]
        #[arg(long)]
        date: Option<String>,
        /// Comma-separated tags
        #[arg(long)]
        tags: Option<String>,
        /// Site root: the folder holding site.yaml and content/
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// Site root: the folder holding site.yaml and content/
    #[arg(long, short, default_value = ".")]
    pub root: PathBuf,
    /// Include briefs marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
}

/// Runs the command; `Ok` holds what to print and whether the command failed (`check` reports
/// the problems it finds that way, warnings included), `Err` an error that stopped it.
pub fn run(cli: Cli) -> Result<Outcome, Error> {
    match cli.command {
        Command::Build {
            site,
            output,
            base_url,
            timings,
        } => {
            let options = BuildOptions {
                output: output.unwrap_or_else(|| site.root.join("public")),
                root: site.root,
                base_url,
                drafts: site.drafts,
            };
            let (stats, elapsed) = pipeline::timed(|| pipeline::build(&options));
            let stats = stats?;
            let mut line = pipeline::summary(&stats, &options.output, elapsed);
            if timings {
                line.push('\n');
                line.push_str(&pipeline::timings_line(&stats));
            }
            Ok(Outcome::success(line))
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
            timings,
        } => serve::run(ServeOptions {
            root: site.root,
            bind,
            port,
            drafts: site.drafts,
            open,
            timings,
        })
        .map(Outcome::success),
        Command::Check {
            site,
            deny_warnings,
            format,
        } => Ok(check::run(&CheckOptions {
            build: BuildOptions {
                output: site.root.join("public"),
                root: site.root,
                base_url: None,
                drafts: site.drafts,
            },
            deny_warnings,
            format,
        })),
        Command::Explain {
            brief,
            root,
            format,
        } => explain::run(&root, &brief, format).map(Outcome::success),
        Command::Init { dir } => scaffold::init(&dir).map(Outcome::success),
        Command::New {
            title,
            date,
            tags,
            root,
        } => scaffold::new_brief(&NewBrief {
            root,
            title,
            date,
            tags,
        })
        .map(Outcome::success),
    }
}
