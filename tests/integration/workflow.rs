//! The GitHub Pages workflow users copy, `.github/workflows/pages.yml`, read as YAML: its
//! triggers, permissions and the steps that build and deploy the site. Nothing here runs GitHub
//! Actions; the tests catch an edit that drops or reorders a step the deployment depends on.

use std::path::Path;

use serde_yaml::Value;

const WORKFLOW: &str = ".github/workflows/pages.yml";

/// The parsed workflow file.
fn workflow() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(WORKFLOW);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|error| panic!("{WORKFLOW} is not YAML: {error}"))
}

/// The value at a dotted `path` of mapping keys (`jobs.build.steps`); a missing key fails with
/// the path, so the message says what the workflow lacks.
fn at<'a>(root: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(root, |value, key| {
        value
            .get(key)
            .unwrap_or_else(|| panic!("{WORKFLOW} has no `{path}` (no key `{key}`)"))
    })
}

/// A string-valued `path`.
fn string_at<'a>(root: &'a Value, path: &str) -> &'a str {
    at(root, path)
        .as_str()
        .unwrap_or_else(|| panic!("`{path}` in {WORKFLOW} is not a string"))
}

/// The `on:` triggers. A YAML 1.1 parser (PyYAML, for one) reads a bare `on` key as the boolean
/// `true`. This crate follows the YAML 1.2 core schema, where only `true`/`false` are booleans,
/// and reads it as the string "on", as GitHub does. Both keys are accepted, so the test checks
/// the workflow rather than which YAML version the parser implements.
fn triggers(workflow: &Value) -> &Value {
    let root = workflow
        .as_mapping()
        .unwrap_or_else(|| panic!("{WORKFLOW} is not a mapping"));
    root.get("on")
        .or_else(|| root.get(Value::Bool(true)))
        .unwrap_or_else(|| panic!("{WORKFLOW} has no `on:` triggers"))
}

/// The steps of job `job`.
fn steps<'a>(workflow: &'a Value, job: &str) -> &'a [Value] {
    let path = format!("jobs.{job}.steps");
    at(workflow, &path)
        .as_sequence()
        .unwrap_or_else(|| panic!("`{path}` in {WORKFLOW} is not a list"))
}

/// One line per step (its `uses`, else its `run`, else its `name`), for failure messages.
fn describe(steps: &[Value]) -> String {
    steps
        .iter()
        .map(|step| {
            let field = |key| step.get(key).and_then(Value::as_str);
            match (field("uses"), field("run"), field("name")) {
                (Some(uses), _, _) => format!("\n  uses: {uses}"),
                (None, Some(run), _) => format!("\n  run: {}", run.trim()),
                (None, None, Some(name)) => format!("\n  name: {name}"),
                (None, None, None) => "\n  (a step with no uses, run or name)".to_string(),
            }
        })
        .collect()
}

/// The position and value of the step of `job` that uses `action` at any version
/// (`actions/checkout` matches `actions/checkout@v7`). Action names are case-insensitive on
/// GitHub, so they are compared that way.
fn step_using<'a>(workflow: &'a Value, job: &str, action: &str) -> (usize, &'a Value) {
    let steps = steps(workflow, job);
    steps
        .iter()
        .enumerate()
        .find(|(_, step)| {
            step.get("uses")
                .and_then(Value::as_str)
                .and_then(|uses| uses.split('@').next())
                .is_some_and(|name| name.eq_ignore_ascii_case(action))
        })
        .unwrap_or_else(|| {
            panic!(
                "job `{job}` has no step using `{action}`; its steps:{}",
                describe(steps)
            )
        })
}

/// The position and value of the step of `job` whose `run` contains every one of `needles`.
fn step_running<'a>(workflow: &'a Value, job: &str, needles: &[&str]) -> (usize, &'a Value) {
    let steps = steps(workflow, job);
    steps
        .iter()
        .enumerate()
        .find(|(_, step)| {
            step.get("run")
                .and_then(Value::as_str)
                .is_some_and(|run| needles.iter().all(|needle| run.contains(needle)))
        })
        .unwrap_or_else(|| {
            panic!(
                "job `{job}` has no step whose `run` contains all of {needles:?}; its steps:{}",
                describe(steps)
            )
        })
}

#[test]
fn runs_on_push_to_main() {
    let workflow = workflow();
    let branches = at(triggers(&workflow), "push.branches");
    let branches = branches
        .as_sequence()
        .unwrap_or_else(|| panic!("`on.push.branches` in {WORKFLOW} is not a list"));
    assert!(
        branches
            .iter()
            .any(|branch| branch.as_str() == Some("main")),
        "`on.push.branches` is {branches:?}, without main"
    );
}

#[test]
fn token_may_deploy_to_pages() {
    let workflow = workflow();
    for permission in ["pages", "id-token"] {
        assert_eq!(
            string_at(&workflow, &format!("permissions.{permission}")),
            "write",
            "deploying to Pages needs `permissions: {permission}: write`"
        );
    }
}

#[test]
fn build_job_checks_out_and_caches_before_building() {
    let workflow = workflow();
    let (checkout, _) = step_using(&workflow, "build", "actions/checkout");
    let (cache, _) = step_using(&workflow, "build", "Swatinem/rust-cache");
    let (build, _) = step_running(&workflow, "build", &["cargo run --release", "build"]);
    assert!(
        checkout < cache && cache < build,
        "the build job must check out, then restore the cache, then build"
    );
}

/// The build must take its base URL from `actions/configure-pages`, so a project site's links
/// carry the `/<repo>/` prefix it is served under.
#[test]
fn build_uses_the_pages_base_url() {
    let workflow = workflow();
    let (configure, configure_step) = step_using(&workflow, "build", "actions/configure-pages");
    assert_eq!(
        configure_step.get("id").and_then(Value::as_str),
        Some("pages"),
        "the actions/configure-pages step needs `id: pages` for its outputs to be read"
    );
    let (build, build_step) = step_running(
        &workflow,
        "build",
        &["cargo run --release", "build", "--base-url"],
    );
    assert!(
        configure < build,
        "actions/configure-pages must run before the build that reads its base_url"
    );
    // The URL reaches the command either inline or through the step's environment.
    let output = "steps.pages.outputs.base_url";
    let inline = string_at(build_step, "run").contains(output);
    let through_env = build_step
        .get("env")
        .and_then(Value::as_mapping)
        .is_some_and(|env| {
            env.values()
                .any(|value| value.as_str().is_some_and(|value| value.contains(output)))
        });
    assert!(
        inline || through_env,
        "the build step does not pass `{output}` to --base-url"
    );
}

#[test]
fn build_uploads_public_as_the_pages_artifact() {
    let workflow = workflow();
    let (build, _) = step_running(&workflow, "build", &["cargo run --release", "build"]);
    let (upload, upload_step) = step_using(&workflow, "build", "actions/upload-pages-artifact");
    assert!(
        build < upload,
        "the site must be built before actions/upload-pages-artifact uploads it"
    );
    let path = string_at(upload_step, "with.path");
    assert_eq!(
        path.trim_end_matches('/'),
        "public",
        "actions/upload-pages-artifact must upload briefing's output folder"
    );
}

#[test]
fn deploy_job_deploys_the_build_to_the_github_pages_environment() {
    let workflow = workflow();
    // `needs` is a job name or a list of them.
    let needs = at(&workflow, "jobs.deploy.needs");
    let needs_build = match needs {
        Value::String(job) => job == "build",
        Value::Sequence(jobs) => jobs.iter().any(|job| job.as_str() == Some("build")),
        _ => false,
    };
    assert!(
        needs_build,
        "`jobs.deploy.needs` is {needs:?}, without build"
    );
    assert_eq!(
        string_at(&workflow, "jobs.deploy.environment.name"),
        "github-pages",
        "actions/deploy-pages deploys only from the `github-pages` environment"
    );
    step_using(&workflow, "deploy", "actions/deploy-pages");
}
