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

/// How a rebuild went about it.
#[derive(Debug, PartialEq, Eq)]
enum Took {
    /// Only the pages showing the brief: `files` held only what changed.
    Patch,
    /// The brief alone re-rendered, the site assembled again.
    Assembly,
    /// Everything from scratch.
    Full,
}

/// A session and the files it has handed out so far, as `serve` keeps them.
struct Preview {
    session: Session,
    served: BTreeMap<String, Vec<u8>>,
}

impl Preview {
    fn start(root: &Path) -> Preview {
        let mut session = Session::new(options(root));
        let (files, _) = session.build_all().unwrap();
        Preview {
            session,
            served: as_map(&files),
        }
    }

    /// Rebuilds after `changed`, then checks the served files and figures against a fresh
    /// full build.
    fn rebuild_and_compare(&mut self, root: &Path, changed: &[&str]) -> Took {
        let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
        let rebuilt = self
            .session
            .rebuild(&changed)
            .unwrap_or_else(|error| panic!("{}", error.report()));
        if rebuilt.complete {
            self.served = as_map(&rebuilt.files);
        } else {
            self.served.extend(as_map(&rebuilt.files));
        }
        let full = pipeline::render(&options(root)).unwrap();
        let full_files = as_map(&full.files);
        assert_eq!(
            self.served.keys().collect::<Vec<_>>(),
            full_files.keys().collect::<Vec<_>>(),
            "the incremental build has other files than the full build"
        );
        for (path, bytes) in &full_files {
            assert!(
                self.served[path] == *bytes,
                "{path} differs from the full build after an edit\n--- incremental\n{}\n--- full\n{}",
                String::from_utf8_lossy(&self.served[path]),
                String::from_utf8_lossy(bytes)
            );
        }
        let figures = |stats: &pipeline::Stats| {
            let (a, b, c, d, e, f) = (
                stats.briefs,
                stats.facts,
                stats.notes_attached,
                stats.facts_cited,
                stats.pages,
                stats.files,
            );
            (a, b, c, d, e, f)
        };
        assert_eq!(figures(&rebuilt.stats), figures(&full.stats));
        match (rebuilt.scope, rebuilt.complete) {
            (Scope::Full, _) => Took::Full,
            (Scope::Briefs(_), true) => Took::Assembly,
            (Scope::Briefs(_), false) => Took::Patch,
        }
    }
}

/// Edits `BRIEF` with `edit`, rebuilds, and checks the result against a full build.
fn edit_and_compare(preview: &mut Preview, root: &Path, edit: impl Fn(&str) -> String) -> Took {
    edit_file(root, BRIEF, edit);
    preview.rebuild_and_compare(root, &[BRIEF])
}

fn edit_file(root: &Path, file: &str, edit: impl Fn(&str) -> String) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(&text)).unwrap();
}

#[test]
fn brief_edits_rebuild_only_the_brief_and_match_a_full_build() {
    let site = fixture_copy();
    let root = site.path();
    let mut preview = Preview::start(root);

    // A new title: the brief's page, its neighbours, the index, tag, fact pages and feeds
    // that list it, and the search index.
    let retitle = |text: &str| text.replace("Ceasefire ends the 44-day war", "Truce holds");
    assert_eq!(edit_and_compare(&mut preview, root, retitle), Took::Patch);
    let resummarise = |text: &str| text.replace("A truce & Russian troops.", "Troops <arrive>.");
    assert_eq!(
        edit_and_compare(&mut preview, root, resummarise),
        Took::Patch
    );
    let reauthor = |text: &str| text.replace("author: \"Desk\"\n", "");
    assert_eq!(edit_and_compare(&mut preview, root, reauthor), Took::Patch);
    // Dropping every mention of a fact empties its page: its `lastmod` goes, and the facts
    // index's count drops.
    let unmention = |text: &str| text.replace("peacekeepers", "troops");
    assert_eq!(edit_and_compare(&mut preview, root, unmention), Took::Patch);
    // A new mention: a new footnote, and the fact page gains its citing brief back.
    let mention = |text: &str| format!("{text}\nRussian peacekeepers stay.\n");
    assert_eq!(edit_and_compare(&mut preview, root, mention), Took::Patch);
    // A third brief citing the Lachin corridor gives its list a second page (two per page).
    let third = |text: &str| format!("{text}\nThe Lachin corridor stays open.\n");
    assert_eq!(edit_and_compare(&mut preview, root, third), Took::Assembly);
    let second =
        String::from_utf8_lossy(&preview.served["context/lachin-corridor/page/2/index.html"])
            .into_owned();
    // Later pages of a fact's list leave the note and sources to its first page.
    assert!(!second.contains("class=\"fact-note\""), "{second}");
    assert!(
        second.contains("Briefs that cite this, page 2 of 2"),
        "{second}"
    );
    // Two briefs edited in one batch, one of them the other's neighbour.
    edit_file(root, BRIEF, |text| {
        text.replace("Truce holds", "Truce holds, again")
    });
    edit_file(root, "content/briefs/b-before.md", |text| {
        text.replacen("title: \"", "title: \"Before: ", 1)
    });
    assert_eq!(
        preview.rebuild_and_compare(root, &[BRIEF, "content/briefs/b-before.md"]),
        Took::Patch
    );
    // An older date moves the brief in every list, feed and previous/next link.
    let redate = |text: &str| text.replace("date: 2020-11-10", "date: 2019-01-01");
    assert_eq!(edit_and_compare(&mut preview, root, redate), Took::Assembly);
    // New and dropped tags: tag pages and tag feeds appear and go.
    let retag = |text: &str| text.replace("tags: [Armenia, azerbaijan]", "tags: [russia]");
    assert_eq!(edit_and_compare(&mut preview, root, retag), Took::Assembly);
    let update = |text: &str| text.replacen("---\n", "---\nupdated: 2021-01-01\n", 1);
    assert_eq!(edit_and_compare(&mut preview, root, update), Took::Assembly);
}

#[test]
fn a_slug_or_draft_change_takes_a_full_rebuild_that_still_matches() {
    let site = fixture_copy();
    let root = site.path();
    let mut preview = Preview::start(root);

    let reslug = |text: &str| text.replacen("---\n", "---\nslug: truce\n", 1);
    assert_eq!(edit_and_compare(&mut preview, root, reslug), Took::Full);
    let draft = |text: &str| text.replacen("---\n", "---\ndraft: true\n", 1);
    // b-before links to a-ceasefire, so a draft a-ceasefire is a broken link: an error.
    let path = root.join(BRIEF);
    let before = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, draft(&before)).unwrap();
    let error = preview
        .session
        .rebuild(&[PathBuf::from(BRIEF)])
        .unwrap_err();
    assert!(
        error.report().contains("a draft this build leaves out"),
        "{}",
        error.report()
    );
    std::fs::write(&path, &before).unwrap();
    assert_eq!(
        edit_and_compare(&mut preview, root, |t| t.to_string()),
        Took::Full
    );
}

#[test]
fn a_failed_rebuild_changes_nothing_and_the_next_good_one_matches() {
    let site = fixture_copy();
    let root = site.path();
    let mut preview = Preview::start(root);
    let path = root.join(BRIEF);
    let good = std::fs::read_to_string(&path).unwrap();

    std::fs::write(&path, good.replace("date: 2020-11-10", "date: 2020-02-30")).unwrap();
    let error = preview
        .session
        .rebuild(&[PathBuf::from(BRIEF)])
        .unwrap_err();
    assert!(
        error.report().starts_with(&format!("{BRIEF}:3:7: error: ")),
        "{}",
        error.report()
    );
    // A footnote naming no fact fails after parsing, in annotate.
    std::fs::write(&path, format!("{good}\nSee [^no-such-fact].\n")).unwrap();
    let error = preview
        .session
        .rebuild(&[PathBuf::from(BRIEF)])
        .unwrap_err();
    assert!(
        error.report().contains("no-such-fact"),
        "{}",
        error.report()
    );

    let body = |_: &str| good.replace("is over", "is over at last");
    assert_eq!(edit_and_compare(&mut preview, root, body), Took::Patch);
}

#[test]
fn changes_outside_the_briefs_rebuild_everything() {
    let site = fixture_copy();
    let root = site.path();
    let mut preview = Preview::start(root);
    let knowledge = root.join("content/knowledge.yaml");
    let text = std::fs::read_to_string(&knowledge).unwrap();
    std::fs::write(
        &knowledge,
        text.replace("Six weeks of fighting", "Six weeks of war"),
    )
    .unwrap();
    assert_eq!(
        preview.rebuild_and_compare(root, &["content/knowledge.yaml"]),
        Took::Full
    );
    assert!(
        String::from_utf8_lossy(&preview.served["context/second-war/index.html"])
            .contains("Six weeks of war")
    );
}

#[test]
fn the_streamed_build_writes_exactly_what_render_gives() {
    let site = fixture_copy();
    assert_build_matches_render(site.path());
}

/// A build takes briefs through its brief stage in runs of 1,024; with more briefs than one
/// run, every brief must still land at its own place in the lists, feeds and sitemap.
#[test]
fn the_streamed_build_matches_render_across_runs_of_briefs() {
    let site = fixture_copy();
    let terms = [
        "the 2020 war",
        "peacekeepers",
        "the Lachin corridor",
        "nothing known",
    ];
    let tags = ["armenia", "azerbaijan", "russia"];
    for i in 0..1_100 {
        let text = format!(
            "---\ntitle: Brief {i}\ndate: 2021-{:02}-{:02}\ntags: [{}]\n---\nOn {} and {}.\n",
            i % 12 + 1,
            i % 28 + 1,
            tags[i % 3],
            terms[i % 4],
            terms[(i / 4) % 4],
        );
        let path = site.path().join(format!("content/briefs/many-{i:04}.md"));
        std::fs::write(path, text).unwrap();
    }
    assert_build_matches_render(site.path());
}

/// `build` writes the files `render` gives in memory, and reports the same figures.
fn assert_build_matches_render(root: &Path) {
    let options = BuildOptions {
        output: root.join("out"),
        ..options(root)
    };
    let stats = pipeline::build(&options).unwrap();
    let rendered = pipeline::render(&options).unwrap();
    let mut written = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&options.output) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let path = entry.path().strip_prefix(&options.output).unwrap();
            let path = path.to_str().unwrap().replace('\\', "/");
            written.insert(path, std::fs::read(entry.path()).unwrap());
        }
    }
    assert!(written == as_map(&rendered.files));
    assert_eq!(
        (
            stats.pages,
            stats.files,
            stats.notes_attached,
            stats.facts_cited
        ),
        (
            rendered.stats.pages,
            rendered.stats.files,
            rendered.stats.notes_attached,
            rendered.stats.facts_cited
        )
    );
}
