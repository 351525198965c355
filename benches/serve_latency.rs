//! How long an author waits, in `briefing serve`, from saving a brief to the new page being
//! served: the figure the preview is judged by. A benchmark, not a test: run it by hand on a
//! large corpus, for example the 10,000-brief one `gen_corpus.py` writes:
//!
//! ```text
//! python3 ../shared/bench/gen_corpus.py --out /tmp/corpus-10k -n 10000 -k 500 --seed 42
//! cargo bench --bench serve_latency -- /tmp/corpus-10k/neutral [edits]
//! ```
//!
//! It starts the release binary on a free port, then edits one brief's title `edits` times
//! (default 30), each time timing from just before the write to the first response for the
//! brief's page that holds the new title (polled every millisecond over one keep-alive
//! connection), and prints the distribution. It restores the brief at the end.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the server however the benchmark ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .collect();
    let Some(site) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench serve_latency -- SITE_ROOT [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(30);
    let brief = first_brief(&site);
    let original = std::fs::read_to_string(&brief).expect("the brief is readable");
    let slug = brief.file_stem().unwrap().to_string_lossy().into_owned();

    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("briefing starts");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let mut url = String::new();
    for line in lines.by_ref() {
        let line = line.expect("server output");
        println!("server: {line}");
        if let Some(at) = line
            .split(" at ")
            .nth(1)
            .filter(|_| line.starts_with("Serving "))
        {
            url = at.trim().to_string();
            break;
        }
    }
    assert!(!url.is_empty(), "the server never said where it serves");
    // Keep reading the server's lines so its pipe never fills; print its rebuild reports.
    let reports = std::thread::spawn(move || {
        lines
            .map_while(Result::ok)
            .filter(|line| line.starts_with("Rebuilt"))
            .collect::<Vec<String>>()
    });

    let page = format!("{url}briefs/{slug}/");
    let agent = ureq::Agent::new_with_defaults();
    let mut took = Vec::with_capacity(edits);
    for edit in 0..edits {
        let title = format!("Latency probe {edit}");
        let text = retitle(&original, &title);
        std::thread::sleep(Duration::from_millis(300)); // let the machine settle
        let start = Instant::now();
        std::fs::write(&brief, text).expect("the brief is writable");
        loop {
            let body = agent
                .get(&page)
                .call()
                .ok()
                .and_then(|mut response| response.body_mut().read_to_string().ok())
                .unwrap_or_default();
            if body.contains(&title) {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no new page after 60 s"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        took.push(start.elapsed());
    }
    std::fs::write(&brief, &original).expect("the brief is restored");
    std::thread::sleep(Duration::from_millis(500));
    drop(server);
    for report in reports.join().unwrap_or_default().iter().take(3) {
        println!("server: {report}");
    }

    took.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| took[((took.len() - 1) as f64 * q).round() as usize];
    println!(
        "save → served, {} edits of {}: min {:.1} ms · median {:.1} ms · p90 {:.1} ms · max {:.1} ms",
        took.len(),
        brief.display(),
        ms(took[0]),
        ms(at(0.5)),
        ms(at(0.9)),
        ms(took[took.len() - 1]),
    );
}

/// The brief with the first name in sorted order, so runs edit the same one.
fn first_brief(site: &Path) -> PathBuf {
    let mut briefs: Vec<PathBuf> = std::fs::read_dir(site.join("content/briefs"))
        .expect("SITE_ROOT/content/briefs exists")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    briefs.sort();
    briefs.into_iter().next().expect("a brief to edit")
}

/// The brief's text with its `title:` line replaced.
fn retitle(text: &str, title: &str) -> String {
    text.lines()
        .map(|line| {
            if line.starts_with("title:") {
                format!("title: \"{title}\"")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
