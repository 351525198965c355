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
