//! The preview's HTTP side, on axum: the built site from memory, the live-reload script, and a
//! server-sent events stream that tells open pages about each build.
//!
//! Everything under `/__briefing/` belongs to the preview; everything else is looked up in the
//! current build. HTML pages get one `<script>` added before `</body>`, carrying the build
//! generation and, while the latest build is failing, its error; `build` output never has it.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::watch;

use super::files::{Lookup, SiteFiles, content_type};

/// The client script, served at [`LIVE_SCRIPT`].
const LIVE_JS: &str = include_str!("live.js");
pub const LIVE_SCRIPT: &str = "/__briefing/live.js";
pub const EVENTS: &str = "/__briefing/events";

/// Where the last build stands. `generation` counts good builds; `error` is the report of the
/// latest build if it failed (the site served is then the build of `generation`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    pub generation: u64,
    pub error: Option<String>,
}

/// What the server shares with the rebuild thread.
pub struct Shared {
    site: RwLock<Arc<SiteFiles>>,
    status: watch::Sender<Status>,
    stopping: watch::Receiver<bool>,
}

impl Shared {
    pub fn new(site: SiteFiles, status: Status, stopping: watch::Receiver<bool>) -> Shared {
        Shared {
            site: RwLock::new(Arc::new(site)),
            status: watch::Sender::new(status),
            stopping,
        }
    }

    /// Publishes a good build: later requests get it, and open pages reload.
    pub fn publish(&self, site: SiteFiles) -> Arc<SiteFiles> {
        let site = Arc::new(site);
        let before = std::mem::replace(&mut *self.write_site(), site);
        self.status.send_modify(|status| {
            status.generation += 1;
            status.error = None;
        });
        before
    }

    /// Reports a failed build: the last good one stays, open pages show the error.
    pub fn fail(&self, report: String) {
        self.status
            .send_modify(|status| status.error = Some(report));
    }

    pub fn site(&self) -> Arc<SiteFiles> {
        match self.site.read() {
            Ok(site) => site.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn write_site(&self) -> std::sync::RwLockWriteGuard<'_, Arc<SiteFiles>> {
        match self.site.write() {
            Ok(site) => site,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    pub fn status(&self) -> Status {
        self.status.borrow().clone()
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(LIVE_SCRIPT, get(live_script))
        .route(EVENTS, get(build_events))
        .fallback(site_file)
        .with_state(shared)
}

async fn live_script() -> Response {
    with_headers(
        Response::new(Body::from(LIVE_JS)),
        "text/javascript; charset=utf-8",
    )
}

/// One `build` event now, then one per change of status, until the server stops.
async fn build_events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let status = shared.status.subscribe();
    let stopping = shared.stopping.clone();
    let stream = futures_util::stream::unfold(
        (status, stopping, true),
        |(mut status, mut stopping, first)| async move {
            if !first {
                tokio::select! {
                    changed = status.changed() => changed.ok()?,
                    _ = stopping.wait_for(|stop| *stop) => return None,
                }
            }
            let now = status.borrow_and_update().clone();
            let data = serde_json::json!({ "generation": now.generation, "error": now.error });
            let event = Event::default().event("build").data(data.to_string());
            Some((Ok(event), (status, stopping, false)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let site = shared.site();
    let status = shared.status();
    // HEAD gets the GET response: hyper sends its headers (Content-Length included), not its body.
    match site.lookup(uri.path()) {
        Lookup::File(key, bytes) => file_response(StatusCode::OK, key, bytes, &status),
        Lookup::AddSlash => {
            let mut location = format!("{}/", uri.path());
            if let Some(query) = uri.query() {
                location = format!("{location}?{query}");
            }
            let mut response = plain(StatusCode::MOVED_PERMANENTLY, "");
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Lookup::NotFound => match site.get("404.html") {
            Some(page) => file_response(StatusCode::NOT_FOUND, "404.html", page, &status),
            None if site.is_empty() => failed_first_build(&status),
            None => plain(StatusCode::NOT_FOUND, "Not found\n"),
        },
    }
}

fn file_response(code: StatusCode, key: &str, bytes: &Arc<[u8]>, status: &Status) -> Response {
    let kind = content_type(key);
    let body = if kind.starts_with("text/html") {
        Body::from(with_live_script(bytes, status))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut response = with_headers(Response::new(body), &kind);
    *response.status_mut() = code;
    response
}

/// Before the first good build there is no site: every page is the error, and reloads when a
/// build succeeds.
fn failed_first_build(status: &Status) -> Response {
    let page = "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\">\
                <title>Build failed</title><body></body></html>";
    let mut response = with_headers(
        Response::new(Body::from(with_live_script(page.as_bytes(), status))),
        "text/html; charset=utf-8",
    );
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    response
}

/// The page with the live-reload script inserted before its last `</body>` (or at the end).
pub fn with_live_script(html: &[u8], status: &Status) -> Vec<u8> {
    let mut tag = format!(
        "<script src=\"{LIVE_SCRIPT}\" data-generation=\"{}\"",
        status.generation
    );
    if let Some(error) = &status.error {
        tag.push_str(" data-error=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut tag, error);
        tag.push('"');
    }
    tag.push_str("></script>\n");
    let at = find_last_ascii_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&at| haystack[at..at + needle.len()].eq_ignore_ascii_case(needle))
}

fn plain(code: StatusCode, text: &'static str) -> Response {
    let mut response = with_headers(Response::new(Body::from(text)), "text/plain; charset=utf-8");
    *response.status_mut() = code;
    response
}

/// A preview is never cached (every reload must show the latest build) and never sniffed.
fn with_headers(mut response: Response, content_type: &str) -> Response {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_closing_body_tag() {
        let status = Status {
            generation: 7,
            error: None,
        };
        let html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = String::from_utf8(with_live_script(html, &status)).unwrap();
        assert_eq!(
            out,
            "<html><body><p>&lt;/body&gt;</p><script src=\"/__briefing/live.js\" \
             data-generation=\"7\"></script>\n</BODY></html>"
        );
    }

    #[test]
    fn an_error_is_escaped_into_an_attribute() {
        let status = Status {
            generation: 1,
            error: Some("a.md:1:1: error: \"<script>\" & more".into()),
        };
        let out = String::from_utf8(with_live_script(b"<p>x</p>", &status)).unwrap();
        assert_eq!(
            out,
            "<p>x</p><script src=\"/__briefing/live.js\" data-generation=\"1\" \
             data-error=\"a.md:1:1: error: &quot;&lt;script&gt;&quot; &amp; more\"></script>\n"
        );
    }
}
