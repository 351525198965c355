//! The command line: clap parses raw arguments, [`resolve`] turns them into validated options
//! for the pipeline, and [`run`] executes a command and returns what to print.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::Error;
use crate::pipeline::{self, BuildOptions};
use crate::serve::{self, ServeOptions};

#[derive(Debug, Parser)]
#[command(
    name = "briefing",
    version,
    about = "Build a static site of news briefs annotated with sourced background notes."
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
    /// Run every check the build makes, writing nothing
    #[command(after_help = "Example:\n  briefing check --root my-site")]
    Check {
        #[command(flatten)]
        site: SiteArgs,
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

/// Runs the command; `Ok` holds the line to print on success.
pub fn run(cli: Cli) -> Result<String, Error> {
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
            Ok(line)
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
        }),
        Command::Check { site } => {
            let options = BuildOptions {
                output: site.root.join("public"),
                root: site.root,
                base_url: None,
                drafts: site.drafts,
            };
            let (rendered, elapsed) = pipeline::timed(|| pipeline::render(&options));
            let stats = rendered?.stats;
            Ok(format!(
                "Checked {} briefs and {} facts: no errors ({:.0?})",
                stats.briefs, stats.facts, elapsed
            ))
        }
    }
}
