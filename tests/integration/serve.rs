//! `briefing serve` end to end: the real binary on a temp copy of `tests/fixtures/basic/site`,
//! spoken to over HTTP the way a browser would, while the test edits the site on disk.
//!
//! Every wait for a rebuild polls with a generous bound ([`PATIENCE`]) instead of sleeping a
//! fixed time: CI runs this whole test binary on two busy cores, where a debug build of the
//! fixture (about 0.4 s on an idle machine) can take several times longer. The bound only limits
//! how long a real failure takes to report. The one fixed sleep asserts an absence (no rebuild
//! for editor noise) and is backed by a check that cannot pass by luck. Each server is owned by a
//! [`Server`] guard that kills it on drop, so a failing test never leaves one running.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{assert_contains, collect_lines, copy_tree, wait_for_exit};

/// The longest a build, a rebuild or an HTTP request may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);
/// The longest a stop may take after SIGTERM or SIGINT: it has nothing to wait for.
const STOP: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(50);

/// A running `briefing serve --port 0` on its own copy of the fixture site; killed on drop.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`, read from the `Serving … at http://127.0.0.1:PORT/` line.
    addr: String,
    root: PathBuf,
    agent: ureq::Agent,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
    _temp: tempfile::TempDir,
}

/// What an HTTP request got back.
struct Reply {
    status: u16,
    content_type: String,
    content_length: Option<usize>,
    location: Option<String>,
    body: String,
}

/// One `build` event of `/__briefing/events`: its generation and error.
#[derive(Debug, PartialEq, Eq)]
struct Build(u64, Option<String>);

fn fixture_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/site")
}

/// `briefing serve --port PORT --root ROOT` with its output piped.
fn serve_command(root: &Path, port: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["serve", "--port", port, "--root"])
        .arg(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the briefing binary starts")
}

impl Server {
    fn start() -> Server {
        Server::start_with(|_| {})
    }

    /// Copies the fixture to `<temp>/site`, lets `prepare` change it (`<temp>` around the site
    /// is outside it, for files the server must never show), starts the server and waits for
    /// its address.
    fn start_with(prepare: impl FnOnce(&Path)) -> Server {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("site");
        copy_tree(&fixture_site(), &root);
        prepare(&root);
        let mut child = serve_command(&root, "0");
        let stdout = collect_lines(child.stdout.take().unwrap());
        let stderr = collect_lines(child.stderr.take().unwrap());
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .timeout_global(Some(PATIENCE))
            .build()
            .new_agent();
        let mut server = Server {
            child,
            addr: String::new(),
            root,
            agent,
            stdout,
            stderr,
            _temp: temp,
        };
        let serving = format!("Serving {} at http://", server.root.display());
        server.addr = server.eventually("the `Serving … at http://…/` line", || {
            let stdout = server.stdout();
            let url = stdout.iter().find_map(|line| line.strip_prefix(&serving));
            url.and_then(|url| url.strip_suffix('/'))
                .map(str::to_string)
                .ok_or_else(|| "not yet".into())
        });
        assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
        server
    }

    fn stdout(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    /// Everything the server printed so far, for failure messages.
    fn log(&self) -> String {
        let stderr = self.stderr.lock().unwrap().join("\n");
        format!(
            "--- stdout\n{}\n--- stderr\n{stderr}",
            self.stdout().join("\n")
        )
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    fn request(&self, method: &str, path: &str) -> Reply {
        let url = format!("http://{}{path}", self.addr);
        let result = match method {
            "HEAD" => self.agent.head(&url).call(),
            _ => self.agent.get(&url).call(),
        };
        let mut response = result.unwrap_or_else(|e| panic!("{method} {url}: {e}\n{}", self.log()));
        let header = |name: &str| Some(response.headers().get(name)?.to_str().unwrap().to_string());
        let (content_type, location) = (
            header("content-type").unwrap_or_default(),
            header("location"),
        );
        let content_length = header("content-length").map(|n| n.parse().unwrap());
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap();
        Reply {
            status,
            content_type,
            content_length,
            location,
            body,
        }
    }

    fn get(&self, path: &str) -> Reply {
        self.request("GET", path)
    }

    /// GETs `path` and checks its status and Content-Type.
    fn expect(&self, path: &str, status: u16, content_type: &str) -> Reply {
        let reply = self.get(path);
        let got = (reply.status, &*reply.content_type);
        assert_eq!(got, (status, content_type), "GET {path}:\n{}", reply.body);
        reply
    }

    /// Sends `METHOD target` exactly as written, over a plain socket: an HTTP client may
    /// normalise `..`, `//` or `%2e` before sending, which would test the client instead of the
    /// server. Returns the status and the body.
    fn raw(&self, method: &str, target: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let host = &self.addr;
        let request =
            format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let (head, body) = text.split_once("\r\n\r\n").expect("a whole HTTP response");
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok());
        (status.expect("a status line"), body.to_string())
    }

    /// The build generation the home page carries.
    fn generation(&self) -> u64 {
        let page = self.get("/");
        let generation = live_attribute(&page.body, "data-generation");
        generation
            .and_then(|g| g.parse().ok())
            .expect("a data-generation on the home page")
    }

    /// Polls `check` until it gives a value; fails after [`PATIENCE`] with its last complaint.
    fn eventually<T>(&self, what: &str, mut check: impl FnMut() -> Result<T, String>) -> T {
        let started = Instant::now();
        loop {
            match check() {
                Ok(value) => return value,
                Err(last) if started.elapsed() > PATIENCE => {
                    panic!(
                        "{what}: not within {PATIENCE:?}; last: {last}\n{}",
                        self.log()
                    )
                }
                Err(_) => std::thread::sleep(POLL),
            }
        }
    }

    /// Waits until the home page carries a generation above `before`.
    fn wait_for_generation_above(&self, before: u64) {
        self.eventually(&format!("a build after generation {before}"), || {
            let now = self.generation();
            if now > before {
                Ok(())
            } else {
                Err(format!("generation {now}"))
            }
        });
    }

    /// Opens `/__briefing/events` (checking it is an event stream) and reads it on a thread of
    /// its own, so that a test waits for the next event with a timeout. The receiver is
    /// disconnected once the stream ends.
    fn events(&self) -> Receiver<(String, String)> {
        // No overall timeout here: the stream stays open for the whole test.
        let agent = ureq::Agent::config_builder()
            .proxy(None)
            .build()
            .new_agent();
        let response = agent
            .get(format!("http://{}/__briefing/events", self.addr))
            .call()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let kind = response.headers().get("content-type").unwrap();
        assert_eq!(kind.to_str().unwrap(), "text/event-stream");
        let reader = BufReader::new(response.into_body().into_reader());
        let (send, received) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (String::new(), String::new());
            for line in reader.lines().map_while(Result::ok) {
                if let Some(value) = line.strip_prefix("event:") {
                    name = value.trim_start().to_string();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push_str(value.trim_start());
                } else if line.is_empty() && !(name.is_empty() && data.is_empty()) {
                    let event = (std::mem::take(&mut name), std::mem::take(&mut data));
                    if send.send(event).is_err() {
                        break;
                    }
                }
            }
        });
        received
    }

    /// Sends `kill -SIGNAL` to the server and waits for it to end.
    fn signal_and_wait(&mut self, signal: &str) -> ExitStatus {
        let pid = self.child.id().to_string();
        let kill = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status();
        assert!(kill.unwrap().success(), "kill -{signal} {pid}");
        let status = wait_for_exit(&mut self.child, STOP);
        status
            .unwrap_or_else(|| panic!("still running {STOP:?} after SIG{signal}:\n{}", self.log()))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The next event of a stream from [`Server::events`], which must be a `build` event.
fn next_build(events: &Receiver<(String, String)>) -> Build {
    let (name, data) = events
        .recv_timeout(PATIENCE)
        .expect("a build event in time");
    assert_eq!(name, "build", "event name; data: {data}");
    let json: serde_json::Value = serde_json::from_str(&data).unwrap();
    let generation = json["generation"].as_u64().expect("a generation");
    Build(generation, json["error"].as_str().map(str::to_string))
}

/// The `<script src="/__briefing/live.js" …>` tag the server adds to a page, if any.
fn live_tag(html: &str) -> Option<&str> {
    let start = html.find("<script src=\"/__briefing/live.js\"")?;
    // Attribute values are HTML-escaped, so the first `>` ends the tag.
    let end = start + html[start..].find('>')?;
    Some(&html[start..=end])
}

/// An attribute of the live-reload tag, still HTML-escaped.
fn live_attribute(html: &str, name: &str) -> Option<String> {
    let tag = live_tag(html)?;
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + tag[start..].find('"')?;
    Some(tag[start..end].to_string())
}

/// HTML escaping of text for a double-quoted attribute, written out here as the oracle.
fn escape(text: &str) -> String {
    let text = text.replace('&', "&amp;").replace('<', "&lt;");
    text.replace('>', "&gt;").replace('"', "&quot;")
}

/// Replaces `from` (which must be there) with `to`. In place, as VS Code saves; or `by_rename`,
/// as vim and JetBrains IDEs save (a hidden sibling renamed over the file), which also means no
/// build can read a half-written file.
fn edit(path: &Path, from: &str, to: &str, by_rename: bool) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    let text = text.replacen(from, to, 1);
    if by_rename {
        let temp = path.with_file_name(format!(
            ".{}.saving",
            path.file_name().unwrap().to_string_lossy()
        ));
        std::fs::write(&temp, text).unwrap();
        std::fs::rename(&temp, path).unwrap();
    } else {
        std::fs::write(path, text).unwrap();
    }
}

const HTML: &str = "text/html; charset=utf-8";

#[test]
fn serves_pages_assets_redirects_and_the_theme_404_page() {
    let server = Server::start();
    let home = server.expect("/", 200, HTML);
    let tag = "<script src=\"/__briefing/live.js\" data-generation=\"1\"></script>\n</body>";
    assert_contains(&home.body, tag);

    let brief = server.expect("/briefs/a-ceasefire/", 200, HTML);
    assert_contains(&brief.body, "<title>Ceasefire ends the 44-day war");
    assert_contains(&brief.body, "<script src=\"/__briefing/live.js\"");
    // Links name the server's own address, not the base_url of site.yaml.
    assert_contains(
        &brief.body,
        &format!("href=\"http://{}/static/style.css\"", server.addr),
    );

    let css = server.expect("/static/style.css", 200, "text/css; charset=utf-8");
    assert!(!css.body.is_empty() && !css.body.contains("__briefing"));
    let script = server.expect("/__briefing/live.js", 200, "text/javascript; charset=utf-8");
    assert_contains(&script.body, "/__briefing/events");

    let folder = server.get("/briefs/a-ceasefire");
    assert_eq!(
        (folder.status, folder.location.as_deref()),
        (301, Some("/briefs/a-ceasefire/"))
    );

    let missing = server.expect("/briefs/no-such-brief/", 404, HTML);
    let theme_404 = server.expect("/404.html", 200, HTML);
    assert_eq!(
        missing.body, theme_404.body,
        "a 404 shows the theme's 404.html"
    );
    assert_contains(&missing.body, "<title>Page not found");

    // HEAD: the headers of GET (the length of the page with its script), no body.
    let head = server.request("HEAD", "/");
    assert_eq!((head.status, &*head.content_type), (200, HTML));
    let length = home.body.len();
    assert_eq!((head.content_length, &*head.body), (Some(length), ""));
    assert_eq!(server.request("HEAD", "/no-such-page").status, 404);
    assert_eq!(server.raw("POST", "/").0, 405);
}

#[test]
fn an_edited_title_is_served_after_the_rebuild() {
    let server = Server::start();
    let before = server.generation();
    let brief = server.path("content/briefs/a-ceasefire.md");
    edit(&brief, "ends the 44-day war", "edited while serving", false);
    server.eventually("the new title on the brief page", || {
        let page = server.get("/briefs/a-ceasefire/");
        let found = page.body.contains("<title>Ceasefire edited while serving");
        found.then_some(()).ok_or(format!("HTTP {}", page.status))
    });
    assert!(server.generation() > before);
}

#[test]
fn a_broken_brief_keeps_the_last_good_build_and_shows_its_error() {
    let server = Server::start();
    let events = server.events();
    let Build(generation, error) = next_build(&events);
    assert_eq!(
        (generation, error),
        (server.generation(), None),
        "first event"
    );

    let brief = server.path("content/briefs/c-explicit.md");
    edit(&brief, "date: 2023-09-20", "date: \"2023-02-30\"", true);
    // The report is what `check` prints for the same files; its quotes test the escaping.
    let check = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["check", "--root"])
        .arg(&server.root)
        .output()
        .unwrap();
    let report = String::from_utf8(check.stderr).unwrap();
    let head = "content/briefs/c-explicit.md:3:8: error: front matter: invalid date `2023-02-30`";
    assert!(report.starts_with(head), "{report}");
    assert_contains(&report, "| date: \"2023-02-30\"");
    assert_eq!(next_build(&events), Build(generation, Some(report.clone())));

    let page = server.get("/briefs/c-explicit/");
    assert_eq!(page.status, 200, "the last good build is still served");
    assert_contains(&page.body, "<title>Context off, citation on");
    let served = live_attribute(&page.body, "data-generation");
    assert_eq!(served, Some(generation.to_string()));
    let error = live_attribute(&page.body, "data-error");
    assert_eq!(error, Some(escape(&report)));

    edit(&brief, "date: \"2023-02-30\"", "date: 2023-09-20", true);
    assert_eq!(next_build(&events), Build(generation + 1, None));
    let page = server.get("/briefs/c-explicit/");
    let next = generation + 1;
    let tag = format!("<script src=\"/__briefing/live.js\" data-generation=\"{next}\">");
    assert_eq!(live_tag(&page.body), Some(&*tag));
}

#[test]
fn a_site_broken_at_start_serves_its_error_until_fixed() {
    let (brief, good, bad) = (
        "content/briefs/c-explicit.md",
        "date: 2023-09-20",
        "date: 2023-13-01",
    );
    let server = Server::start_with(|root| edit(&root.join(brief), good, bad, false));
    let page = server.get("/briefs/a-ceasefire/");
    assert_eq!(page.status, 503, "there is no good build to serve");
    let generation = live_attribute(&page.body, "data-generation");
    assert_eq!(generation.as_deref(), Some("0"));
    let error = live_attribute(&page.body, "data-error").unwrap_or_default();
    assert!(
        error.starts_with("content/briefs/c-explicit.md:3:7: error: "),
        "{error}"
    );
    assert_contains(&server.log(), "\nServing the error until a build succeeds.");

    edit(&server.path(brief), bad, good, true);
    server.eventually("the fixed site served", || {
        let page = server.get("/briefs/a-ceasefire/");
        let generation = live_attribute(&page.body, "data-generation");
        match (page.status, generation.as_deref()) {
            (200, Some("1")) if live_attribute(&page.body, "data-error").is_none() => Ok(()),
            other => Err(format!("{other:?}")),
        }
    });
}

#[test]
fn traversal_and_symlinks_never_reach_files_outside_the_site() {
    const SECRET: &str = "secret-outside-the-site-7f3a";
    let server = Server::start_with(|root| {
        let outside = root.parent().unwrap().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.txt"), SECRET).unwrap();
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("static/plain.txt"), "a file of the site").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(outside.join("secret.txt"), root.join("static/leak.txt")).unwrap();
            symlink(&outside, root.join("static/outside")).unwrap();
        }
    });
    // The site's own static files are served, so a 404 below is a refusal, not a gap.
    let plain = server.raw("GET", "/static/plain.txt");
    assert_eq!(plain, (200, "a file of the site".to_string()));
    let not_found = server.raw("GET", "/no-such-page");
    assert_eq!(not_found.0, 404);
    for target in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E%2Fsite.yaml",
        "/static/..%2f..%2fsite.yaml",
        "/static/../../outside/secret.txt",
        "/static/%2e%2e/%2e%2e/outside/secret.txt",
        "//etc/passwd",
        "/..%5csite.yaml",
        "/static%5c..%5c..%5csite.yaml",
        "/%00",
        "/static/plain.txt%00.html",
        "/static/leak.txt",
        "/static/outside/secret.txt",
    ] {
        let (status, body) = server.raw("GET", target);
        assert_eq!(status, 404, "GET {target}");
        let leaked = body.contains(SECRET) || body.contains("paginate: 2");
        assert!(!leaked, "GET {target}: {body}");
        assert_eq!(body, not_found.1, "GET {target} gives the theme's 404 page");
    }
}

#[test]
fn editor_noise_does_not_rebuild() {
    let server = Server::start();
    let before = server.generation();
    for noise in [".a-ceasefire.md.swp", "a-ceasefire.md~"] {
        std::fs::write(server.path("content/briefs").join(noise), "noise").unwrap();
    }
    // 25 times the debounce: a rebuild for the noise would have been published by now on an
    // idle machine.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(server.generation(), before, "a rebuild for editor noise");
    // A real edit then gives exactly one rebuild, naming the brief alone. This catches a noise
    // rebuild that was still running at the check above on a slow machine.
    let real = server.path("content/briefs/b-before.md");
    edit(&real, "No peacekeepers", "No troops", false);
    server.wait_for_generation_above(before);
    let stdout = server.stdout();
    let rebuilt: Vec<&String> = stdout
        .iter()
        .filter(|l| l.starts_with("Rebuilt "))
        .collect();
    assert_eq!(rebuilt.len(), 1, "{rebuilt:?}");
    assert_contains(rebuilt[0], " after content/briefs/b-before.md changed");
}

/// The exact text names Linux's errno (98); other systems word the OS part differently.
#[cfg(target_os = "linux")]
#[test]
fn a_port_in_use_is_a_usage_error_that_says_what_to_do() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let temp = tempfile::tempdir().unwrap();
    copy_tree(&fixture_site(), temp.path());
    let mut child = serve_command(temp.path(), &port);
    // Bounded, then killed: a serve that wrongly started must not hang the test run.
    let status = wait_for_exit(&mut child, PATIENCE);
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    assert_eq!(status.and_then(|s| s.code()), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "error: cannot listen on 127.0.0.1:{port}: Address already in use (os error 98) \
             (another program uses this port; pick one with --port)\n"
        )
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    drop(taken);
}

/// An open event stream never ends by itself, so a graceful shutdown that waited for open
/// connections would hang here: both signals must stop the server at once, end the stream,
/// and print `Stopped.` with exit code 0.
#[cfg(unix)]
#[test]
fn sigterm_and_sigint_stop_cleanly_with_an_event_stream_open() {
    for signal in ["TERM", "INT"] {
        let mut server = Server::start();
        let events = server.events();
        assert_eq!(
            next_build(&events),
            Build(1, None),
            "SIG{signal}: first event"
        );
        let status = server.signal_and_wait(signal);
        assert_eq!(status.code(), Some(0), "SIG{signal}:\n{}", server.log());
        server.eventually("`Stopped.` last on stdout", || {
            let stdout = server.stdout();
            let stopped = stdout.last().is_some_and(|line| line == "Stopped.");
            stopped.then_some(()).ok_or(stdout.join("\n"))
        });
        match events.recv_timeout(STOP) {
            Err(RecvTimeoutError::Disconnected) => {}
            other => panic!("SIG{signal}: the event stream did not end: {other:?}"),
        }
    }
}

/// Bug: `watch::start` watches `static/` (like `content/` and `themes/`) only if it exists when
/// the server starts. One created later wakes a rebuild through the root's non-recursive watch,
/// but files added inside it afterwards are never seen until the server restarts.
#[test]
fn a_static_folder_created_while_serving_is_watched() {
    let server = Server::start();
    assert!(!server.path("static").exists());
    std::fs::create_dir(server.path("static")).unwrap();
    server.wait_for_generation_above(1);
    std::fs::write(server.path("static/late.txt"), "added later").unwrap();
    server.eventually("static/late.txt served", || {
        match server.raw("GET", "/static/late.txt") {
            (200, body) => Ok(body),
            (status, _) => Err(format!("HTTP {status}")),
        }
    });
}
