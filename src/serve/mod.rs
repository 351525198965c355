//! `briefing serve`: builds the site, serves it from memory on 127.0.0.1, and rebuilds when a
//! source changes. Open pages reload by themselves after a good build and show the error of a
//! failed one over the last good build, which stays served.
//!
//! Builds run the same stages as `build` (through a [`Session`], which redoes only what a
//! change touches), with `base_url` set to the server's own address, so the preview is what
//! `build` ships at that address. Nothing is written to disk.

mod files;
mod http;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

use crate::error::Error;
use crate::pipeline::{self, BuildOptions};
use crate::session::{Rebuilt, Scope, Session};
use files::SiteFiles;
use http::{Shared, Status};

/// What `serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
    /// Print each rebuild's stage times, as `build --timings` does.
    pub timings: bool,
}

/// Serves until Ctrl-C (or SIGTERM); returns the line to print on a clean stop.
pub fn run(options: ServeOptions) -> Result<String, Error> {
    let wanted = SocketAddr::new(options.bind, options.port);
    let listener = TcpListener::bind(wanted).map_err(|error| listen_error(wanted, &error))?;
    let address = listener
        .local_addr()
        .map_err(|error| listen_error(wanted, &error))?;
    let url = format!("http://{address}/");
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {address}, so other machines that can reach this one can \
             read the preview; leave out --bind to keep it on 127.0.0.1"
        );
    }
    let build = BuildOptions {
        output: options.root.join("public"),
        root: options.root.clone(),
        // On every interface the page URLs cannot name one host: root-relative links work from
        // whichever address a reader uses.
        base_url: Some(if options.bind.is_unspecified() {
            "/".to_string()
        } else {
            url.clone()
        }),
        drafts: options.drafts,
    };

    let (stop, stopping) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let mut session = Session::new(build);
    let shared = Arc::new(match session.build_all() {
        Ok((files, stats)) => {
            println!(
                "{}",
                pipeline::summary(&stats, "memory".as_ref(), started.elapsed())
            );
            let status = Status {
                generation: 1,
                error: None,
            };
            Shared::new(SiteFiles::new(files), status, stopping)
        }
        Err(error) => {
            let report = error.report();
            eprint!("{report}");
            eprintln!("Serving the error until a build succeeds.");
            let status = Status {
                generation: 0,
                error: Some(report),
            };
            Shared::new(SiteFiles::default(), status, stopping)
        }
    });

    let (changes, changed) = mpsc::channel();
    let mut watch = watch::start(&options.root, changes)?;
    {
        let shared = shared.clone();
        let timings = options.timings;
        std::thread::spawn(move || {
            rebuild_on_change(&mut session, &mut watch, &shared, &changed, timings)
        });
    }

    println!("Serving {} at {url}", options.root.display());
    println!("Watching content/, themes/, static/ and site.yaml. Press Ctrl-C to stop.");
    if options.open
        && let Err(error) = open::that_detached(&url)
    {
        eprintln!("warning: cannot open a browser at {url}: {error}");
    }
    serve(listener, shared, stop).map_err(|error| listen_error(address, &error))?;
    Ok("Stopped.".to_string())
}

fn listen_error(address: SocketAddr, error: &std::io::Error) -> Error {
    let hint = match error.kind() {
        std::io::ErrorKind::AddrInUse => " (another program uses this port; pick one with --port)",
        std::io::ErrorKind::AddrNotAvailable => " (no interface of this machine has that address)",
        std::io::ErrorKind::PermissionDenied => " (ports below 1024 need privileges)",
        _ => "",
    };
    Error::Usage(format!("cannot listen on {address}: {error}{hint}"))
}

/// Runs the HTTP server on a small tokio runtime until Ctrl-C or SIGTERM, then lets open
/// event streams end so the shutdown does not wait on them.
fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    stop: tokio::sync::watch::Sender<bool>,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let shutdown = async move {
            stop_signal().await;
            let _ = stop.send(true);
        };
        axum::serve(listener, http::router(shared))
            .with_graceful_shutdown(shutdown)
            .await
    })
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// The rebuild loop: one build per batch of changes (batches that queued up during a build
/// are merged into the next), reported in the terminal and to open pages.
fn rebuild_on_change(
    session: &mut Session,
    watch: &mut watch::Watch,
    shared: &Shared,
    changed: &mpsc::Receiver<Vec<PathBuf>>,
    timings: bool,
) {
    while let Ok(mut paths) = changed.recv() {
        while let Ok(more) = changed.try_recv() {
            paths.extend(more);
        }
        paths.sort();
        paths.dedup();
        watch.follow_new_folders(&paths);
        let started = Instant::now();
        match session.rebuild(&paths) {
            Ok(Rebuilt {
                files,
                complete,
                stats,
                scope,
            }) => {
                let site = if complete {
                    SiteFiles::new(files)
                } else {
                    shared.site().with(files)
                };
                let took = started.elapsed();
                let count = site.len();
                let before = shared.publish(site);
                let now = shared.site();
                let scope = match scope {
                    Scope::Full => "full rebuild".to_string(),
                    Scope::Briefs(n) => format!("{n} brief{}", if n == 1 { "" } else { "s" }),
                };
                println!(
                    "Rebuilt in {took:.0?} after {} ({scope}, {} pages rendered): {} of {count} files changed",
                    describe(&paths),
                    stats.rendered,
                    now.changed_since(&before),
                );
                if timings {
                    println!("{}", pipeline::timings_line(&stats));
                }
            }
            Err(error) => {
                let report = error.report();
                eprint!("{report}");
                eprintln!("Still serving the last good build.");
                shared.fail(report);
            }
        }
    }
}

/// `content/briefs/a.md changed`, or `3 files changed` for more than one.
fn describe(paths: &[PathBuf]) -> String {
    match paths {
        [one] => format!("{} changed", one.display()),
        many => format!("{} files changed", many.len()),
    }
}
