//! The incremental rebuild `serve` uses: after each edit, the files a [`Session`] gives must be
//! byte-identical to a fresh full build of the same sources, and a brief-only edit must take
//! the brief-only path (or the test would pass by always rebuilding everything).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use briefing::pipeline::{self, BuildOptions};
use briefing::session::{Scope, Session};

const BRIEF: &str = "content/briefs/a-ceasefire.md";

/// A copy of the basic fixture site in a temp folder.
fn fixture_copy() -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/site");
    let temp = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let to = temp.path().join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    temp
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: root.join("public"),
        base_url: Some("http://127.0.0.1:1111/".into()),
        drafts: false,
    }
}

fn as_map(files: &[briefing::output::OutputFile]) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|file| (file.path.clone(), file.contents.to_vec()))
        .collect()
}

/// Edits `BRIEF` with `edit`, rebuilds, and checks the result against a full build.
fn edit_and_compare(session: &mut Session, root: &Path, edit: impl Fn(&str) -> String) -> Scope {
    let path = root.join(BRIEF);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(&text)).unwrap();
    let (files, _, scope) = session
        .rebuild(&[PathBuf::from(BRIEF)])
        .unwrap_or_else(|error| panic!("{}", error.report()));
    let full = pipeline::render(&options(root)).unwrap();
    let (incremental, full) = (as_map(&files), as_map(&full.files));
    assert_eq!(
        incremental.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>(),
        "the incremental build has other files than the full build"
    );
    for (path, bytes) in &full {
        assert!(
            incremental[path] == *bytes,
            "{path} differs from the full build after an edit\n--- incremental\n{}\n--- full\n{}",
            String::from_utf8_lossy(&incremental[path]),
            String::from_utf8_lossy(bytes)
        );
    }
    scope
}

#[test]
fn brief_edits_rebuild_only_the_brief_and_match_a_full_build() {
    let site = fixture_copy();
    let root = site.path();
    let mut session = Session::new(options(root));
    session.build_all().unwrap();

    let retitle = |text: &str| text.replace("Ceasefire ends the 44-day war", "Truce holds");
    assert_eq!(
        edit_and_compare(&mut session, root, retitle),
        Scope::Briefs(1)
    );
    // A new mention of a fact: a new footnote, and the fact page gains a citing brief.
    let mention = |text: &str| format!("{text}\nThe Lachin corridor stays open.\n");
    assert_eq!(
        edit_and_compare(&mut session, root, mention),
        Scope::Briefs(1)
    );
    // An older date moves the brief in every list, feed and previous/next link.
    let redate = |text: &str| text.replace("date: 2020-11-10", "date: 2019-01-01");
    assert_eq!(
        edit_and_compare(&mut session, root, redate),
        Scope::Briefs(1)
    );
    // New and dropped tags: tag pages and tag feeds appear and go.
    let retag = |text: &str| text.replace("tags: [Armenia, azerbaijan]", "tags: [russia]");
    assert_eq!(
        edit_and_compare(&mut session, root, retag),
        Scope::Briefs(1)
    );
}

#[test]
fn a_slug_or_draft_change_takes_a_full_rebuild_that_still_matches() {
    let site = fixture_copy();
    let root = site.path();
    let mut session = Session::new(options(root));
    session.build_all().unwrap();

    let reslug = |text: &str| text.replacen("---\n", "---\nslug: truce\n", 1);
    assert_eq!(edit_and_compare(&mut session, root, reslug), Scope::Full);
    let draft = |text: &str| text.replacen("---\n", "---\ndraft: true\n", 1);
    // b-before links to a-ceasefire, so a draft a-ceasefire is a broken link: an error.
    let path = root.join(BRIEF);
    let before = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, draft(&before)).unwrap();
    let error = session.rebuild(&[PathBuf::from(BRIEF)]).unwrap_err();
    assert!(
        error.report().contains("a draft this build leaves out"),
        "{}",
        error.report()
    );
    std::fs::write(&path, &before).unwrap();
    assert_eq!(
        edit_and_compare(&mut session, root, |t| t.to_string()),
        Scope::Full
    );
}

#[test]
fn a_failed_rebuild_changes_nothing_and_the_next_good_one_matches() {
    let site = fixture_copy();
    let root = site.path();
    let mut session = Session::new(options(root));
    session.build_all().unwrap();
    let path = root.join(BRIEF);
    let good = std::fs::read_to_string(&path).unwrap();

    std::fs::write(&path, good.replace("date: 2020-11-10", "date: 2020-02-30")).unwrap();
    let error = session.rebuild(&[PathBuf::from(BRIEF)]).unwrap_err();
    assert!(
        error.report().starts_with(&format!("{BRIEF}:3:7: error: ")),
        "{}",
        error.report()
    );
    // A footnote naming no fact fails after parsing, in annotate.
    std::fs::write(&path, format!("{good}\nSee [^no-such-fact].\n")).unwrap();
    let error = session.rebuild(&[PathBuf::from(BRIEF)]).unwrap_err();
    assert!(
        error.report().contains("no-such-fact"),
        "{}",
        error.report()
    );

    let body = |_: &str| good.replace("is over", "is over at last");
    assert_eq!(edit_and_compare(&mut session, root, body), Scope::Briefs(1));
}

#[test]
fn changes_outside_the_briefs_rebuild_everything() {
    let site = fixture_copy();
    let root = site.path();
    let mut session = Session::new(options(root));
    session.build_all().unwrap();
    let knowledge = root.join("content/knowledge.yaml");
    let text = std::fs::read_to_string(&knowledge).unwrap();
    std::fs::write(
        &knowledge,
        text.replace("Six weeks of fighting", "Six weeks of war"),
    )
    .unwrap();
    let (files, _, scope) = session
        .rebuild(&[PathBuf::from("content/knowledge.yaml")])
        .unwrap();
    assert_eq!(scope, Scope::Full);
    let full = pipeline::render(&options(root)).unwrap();
    assert!(as_map(&files) == as_map(&full.files));
    assert!(
        String::from_utf8_lossy(&as_map(&files)["context/second-war/index.html"])
            .contains("Six weeks of war")
    );
}
