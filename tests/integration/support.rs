//! Helpers shared by the integration tests: running the binary, writing small sites, reading
//! whole output trees.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `briefing` with `args` in `dir`.
pub fn briefing(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the briefing binary runs")
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Writes `files` (path, contents) under `root`.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, contents) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
}

/// Every file under `root`, by relative `/`-separated path.
pub fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut tree = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(root).unwrap();
            let key = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            tree.insert(key, std::fs::read(entry.path()).unwrap());
        }
    }
    tree
}

/// A minimal valid site: one brief, one fact.
pub fn minimal_site() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "site.yaml",
            "title: Test\nbase_url: https://example.org/sub/\n",
        ),
        (
            "content/briefs/one.md",
            "---\ntitle: One\ndate: 2022-08-04\n---\nThe 2020 war ended.\n",
        ),
        (
            "content/knowledge.yaml",
            "entries:\n  - id: war\n    title: The war\n    terms: [\"2020 war\"]\n    note: Six weeks.\n    sources:\n      - { title: Src, url: \"https://example.org/src\" }\n",
        ),
    ]
}

/// A fresh temporary folder holding `files`.
pub fn site_with(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().to_path_buf();
    write_files(&root, files);
    (temp, root)
}

/// Copies every file under `from` to the same relative path under `to` (folders are created as
/// needed; symlinks are not followed, so a fixture cannot smuggle in files from outside it).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Reads the lines of a child's output on a thread of their own, so that a test can look at
/// what a long-running process (`briefing serve`) printed so far without blocking on it.
pub fn collect_lines(
    stream: impl std::io::Read + Send + 'static,
) -> std::sync::Arc<std::sync::Mutex<Vec<String>>> {
    use std::io::BufRead;
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stream)
            .lines()
            .map_while(Result::ok)
        {
            sink.lock().unwrap().push(line);
        }
    });
    lines
}

/// Waits up to `limit` for `child` to exit, polling, and gives its status; `None` if it still
/// runs (the caller decides whether to kill it).
pub fn wait_for_exit(
    child: &mut std::process::Child,
    limit: std::time::Duration,
) -> Option<std::process::ExitStatus> {
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        if started.elapsed() > limit {
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Asserts that `text` contains `needle`, showing both when it does not.
#[track_caller]
pub fn assert_contains(text: &str, needle: &str) {
    assert!(
        text.contains(needle),
        "expected to find {needle:?} in:\n{text}"
    );
}
