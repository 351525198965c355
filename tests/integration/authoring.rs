//! The authoring commands end to end: `init` and `new` with the exact text of every error a user
//! can hit, the whole init → new → build → check path from an empty folder, and the help.

use crate::support::{briefing, minimal_site, read_tree, site_with, stderr};

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn init_then_new_then_build_then_check_from_an_empty_folder() {
    let temp = tempfile::tempdir().unwrap();
    let init = briefing(temp.path(), &["init", "my-site"]);
    assert!(init.status.success(), "{}", stderr(&init));
    assert_eq!(
        stdout(&init),
        "Created a new site in my-site:\n  .gitignore\n  README.md\n  content/briefs/karabakh-ceasefire-2020-11-10.md\n  content/knowledge.yaml\n  site.yaml\nNext: briefing serve --root my-site --open\n"
    );
    let site = temp.path().join("my-site");
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    assert!(yaml.contains("\ntitle: \"my-site\"\n"), "{yaml}");

    let new = briefing(
        &site,
        &[
            "new",
            "Russia Urges \"Restraint\": Talks",
            "--date",
            "2022-08-04",
            "--tags",
            "armenia, russia",
        ],
    );
    assert!(new.status.success(), "{}", stderr(&new));
    assert_eq!(
        stdout(&new),
        "Created content/briefs/russia-urges-restraint-talks.md\n"
    );
    let written =
        std::fs::read_to_string(site.join("content/briefs/russia-urges-restraint-talks.md"))
            .unwrap();
    assert!(
        written.starts_with(
            "---\ntitle: \"Russia Urges \\\"Restraint\\\": Talks\"\ndate: 2022-08-04\ntags: [\"armenia\", \"russia\"]\n"
        ),
        "{written}"
    );
    std::fs::write(
        site.join("content/briefs/russia-urges-restraint-talks.md"),
        format!("{written}Moscow recalled the 2020 war.\n"),
    )
    .unwrap();

    let build = briefing(&site, &["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(
        stdout(&build).starts_with("Built 2 briefs with 4 context notes from 3 of 3 facts"),
        "{}",
        stdout(&build)
    );
    let page =
        std::fs::read_to_string(site.join("public/briefs/russia-urges-restraint-talks/index.html"))
            .unwrap();
    assert!(page.contains("data-fact=\"second-karabakh-war\""), "{page}");

    let check = briefing(&site, &["check", "--deny-warnings"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert_eq!(stderr(&check), "");
    assert!(
        stdout(&check).starts_with("Checked 2 briefs and 3 facts: no errors or warnings ("),
        "{}",
        stdout(&check)
    );
}

#[test]
fn the_starter_brief_cites_every_starter_fact() {
    let temp = tempfile::tempdir().unwrap();
    assert!(briefing(temp.path(), &["init", "."]).status.success());
    let explain = briefing(
        temp.path(),
        &["explain", "content/briefs/karabakh-ceasefire-2020-11-10.md"],
    );
    assert!(
        stdout(&explain).starts_with(
            "content/briefs/karabakh-ceasefire-2020-11-10.md (2020-11-10): 3 facts attached, 0 mentions not attached\n"
        ),
        "{}",
        stdout(&explain)
    );
}

#[test]
fn init_into_an_existing_empty_folder() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::create_dir(temp.path().join("empty")).unwrap();
    let output = briefing(temp.path(), &["init", "empty"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(temp.path().join("empty/content/knowledge.yaml").is_file());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let (_temp, root) = site_with(&[("notes.txt", "mine\n")]);
    let output = briefing(&root, &["init", "."]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: .: the folder is not empty; `briefing init` only creates a site in a new or empty folder, so it never overwrites files\n"
    );
    assert_eq!(read_tree(&root).len(), 1, "init wrote into the folder");
}

#[test]
fn init_refuses_a_file() {
    let (_temp, root) = site_with(&[("taken", "a file\n")]);
    let output = briefing(&root, &["init", "taken"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: taken: exists and is not a folder\n"
    );
}

#[test]
fn new_defaults_to_today_and_works_with_root() {
    let (_temp, root) = site_with(&[("site/site.yaml", "title: T\n")]);
    let output = briefing(&root, &["new", "Plain title", "--root", "site"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "Created site/content/briefs/plain-title.md\n"
    );
    let text = std::fs::read_to_string(root.join("site/content/briefs/plain-title.md")).unwrap();
    let date = text.lines().nth(2).unwrap();
    let day = date.strip_prefix("date: ").unwrap();
    assert!(
        day.len() == 10 && day.as_bytes()[4] == b'-' && day.as_bytes()[7] == b'-',
        "{text}"
    );
    assert!(!text.contains("tags:"), "{text}");
    let check = briefing(&root, &["check", "--root", "site"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn new_refuses_to_overwrite_a_brief() {
    let (_temp, root) = site_with(&[("content/briefs/same.md", "keep me\n")]);
    let output = briefing(&root, &["new", "Same"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: content/briefs/same.md: already exists; `briefing new` never overwrites a brief (choose another title, or edit that file)\n"
    );
    let kept = std::fs::read_to_string(root.join("content/briefs/same.md")).unwrap();
    assert_eq!(kept, "keep me\n");
}

/// Runs `briefing new ARGS` in an empty site and expects exit 1, nothing written, and `error`.
fn new_error(args: &[&str], error: &str) {
    let (_temp, root) = site_with(&[]);
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    let output = briefing(&root, &all);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), error);
    assert!(!root.join("content").exists(), "new wrote a file");
}

#[test]
fn new_rejects_a_title_without_letters() {
    new_error(
        &["!!!"],
        "error: cannot make a file name from the title `!!!`: it has no letters or digits\n",
    );
}

#[test]
fn new_rejects_a_date_that_does_not_exist() {
    new_error(
        &["X", "--date", "2022-02-30"],
        "error: --date: invalid date `2022-02-30`, expected a real calendar day written YYYY-MM-DD\n",
    );
}

#[test]
fn new_rejects_a_tag_without_letters() {
    new_error(
        &["X", "--tags", "armenia,!!"],
        "error: --tags: tag `!!` has no letters or digits to make a URL from\n",
    );
}

#[test]
fn every_command_s_help_shows_an_example() {
    let (_temp, root) = site_with(&[]);
    for command in [
        &["--help"][..],
        &["build", "--help"],
        &["serve", "--help"],
        &["check", "--help"],
        &["explain", "--help"],
        &["init", "--help"],
        &["new", "--help"],
    ] {
        let output = briefing(&root, command);
        assert!(output.status.success(), "{command:?}");
        let help = stdout(&output);
        assert!(help.contains("\nExample"), "{command:?}:\n{help}");
        assert!(help.contains("\n  briefing "), "{command:?}:\n{help}");
    }
}

#[test]
fn a_misspelt_command_gets_a_suggestion() {
    let (_temp, root) = site_with(&[]);
    let output = briefing(&root, &["chek"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: unrecognized subcommand 'chek'\n\n  tip: a similar subcommand exists: 'check'\n\nUsage: briefing <COMMAND>\n\nFor more information, try '--help'.\n"
    );
}

#[test]
fn a_new_brief_in_an_existing_site_is_checked_with_the_rest() {
    let (_temp, root) = site_with(&minimal_site());
    let output = briefing(&root, &["new", "Second", "--date", "2022-08-05"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let check = briefing(&root, &["check"]);
    assert!(
        stdout(&check).starts_with("Checked 2 briefs and 1 fact: no errors or warnings ("),
        "{}",
        stderr(&check)
    );
}
