//! Writing the site: [`OutputFile`]s → the output folder, all or nothing.
//!
//! Steps: check every path stays inside the output folder (relative, no `..`, no empty or
//! hidden-by-accident parts), write every file into a staging folder next to the output folder,
//! then swap it into place with renames and remove the old copy. A build that fails at any step
//! before the swap leaves the previous output exactly as it was. Staging folders left by a build
//! that was killed are removed by the next one. This is the only stage that writes files.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::Error;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub contents: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            contents: contents.into(),
        }
    }
}

/// Checks that `path` names a file strictly inside the output folder.
pub fn check_path(path: &str) -> Result<(), Error> {
    let bad = |why: &str| Error::File {
        path: PathBuf::from(path),
        message: format!("refusing to write outside the output folder: {why}"),
    };
    if path.is_empty() || path.contains(['\0', '\\']) {
        return Err(bad("empty name, NUL or backslash"));
    }
    for component in Path::new(path).components() {
        match component {
            Component::Normal(_) => {}
            _ => return Err(bad("absolute path or `..`")),
        }
    }
    Ok(())
}

/// Writes `files` to `output` atomically (see the module docs). Duplicate paths are an error
/// rather than a silent overwrite.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), Error> {
    let mut seen = BTreeSet::new();
    for file in files {
        check_path(&file.path)?;
        if !seen.insert(file.path.as_str()) {
            return Err(Error::File {
                path: PathBuf::from(&file.path),
                message: "two pages would be written to the same file".into(),
            });
        }
    }
    let parent = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::File {
            path: output.to_path_buf(),
            message: "the output folder needs a name".into(),
        })?;
    fs::create_dir_all(&parent).map_err(|e| Error::io("cannot create", &parent, e))?;
    remove_leftovers(&parent, &name);

    let staging = parent.join(format!(".briefing-staging-{name}-{}", std::process::id()));
    let result = write_tree(&staging, files)
        .and_then(|()| swap_into_place(&staging, output, &parent, &name));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_tree(staging: &Path, files: &[OutputFile]) -> Result<(), Error> {
    if staging.exists() {
        fs::remove_dir_all(staging).map_err(|e| Error::io("cannot remove", staging, e))?;
    }
    let dirs: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|file| Path::new(&file.path).parent().map(|p| staging.join(p)))
        .chain(std::iter::once(staging.to_path_buf()))
        .collect();
    for dir in &dirs {
        fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
    }
    files.par_iter().try_for_each(|file| {
        let path = staging.join(&file.path);
        fs::write(&path, &file.contents).map_err(|e| Error::io("cannot write", &path, e))
    })
}

/// Moves the old output aside, the staging folder into its place, then deletes the old one.
/// Between the two renames the output folder is briefly absent, never half-written.
fn swap_into_place(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), Error> {
    let old = parent.join(format!(".briefing-old-{name}-{}", std::process::id()));
    let had_old = match fs::symlink_metadata(output) {
        Ok(meta) if meta.is_dir() => {
            fs::rename(output, &old).map_err(|e| Error::io("cannot move aside", output, e))?;
            true
        }
        Ok(_) => {
            return Err(Error::File {
                path: output.to_path_buf(),
                message: "the output path exists and is not a folder".into(),
            });
        }
        Err(_) => false,
    };
    if let Err(error) = fs::rename(staging, output) {
        if had_old {
            let _ = fs::rename(&old, output);
        }
        return Err(Error::io("cannot move into place", output, error));
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Removes staging and old-output folders of earlier builds of the same output that were
/// killed before they could clean up.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefixes = [
        format!(".briefing-staging-{name}-"),
        format!(".briefing-old-{name}-"),
    ];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let ours = prefixes.iter().any(|prefix| {
            file_name
                .strip_prefix(prefix.as_str())
                .is_some_and(|pid| !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()))
        });
        if ours {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{OutputFile, check_path, write_site};

    #[test]
    fn paths_outside_the_folder_are_refused() {
        for path in ["../x", "/etc/passwd", "a/../../b", "", "a\0b", "a\\..\\b"] {
            assert!(check_path(path).is_err(), "{path:?}");
        }
        assert!(check_path("briefs/a/index.html").is_ok());
    }

    #[test]
    fn writes_then_replaces_the_whole_folder() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("public");
        write_site(
            &out,
            &[
                OutputFile::new("a/index.html", "one"),
                OutputFile::new("old.txt", "x"),
            ],
        )
        .unwrap();
        write_site(&out, &[OutputFile::new("a/index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("old.txt").exists());
        let names: Vec<_> = std::fs::read_dir(temp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn a_refused_path_leaves_the_old_output() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("public");
        write_site(&out, &[OutputFile::new("index.html", "kept")]).unwrap();
        assert!(write_site(&out, &[OutputFile::new("../evil", "x")]).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "kept"
        );
        assert!(!temp.path().join("evil").exists());
    }

    #[test]
    fn leftover_staging_folders_are_cleaned() {
        let temp = tempfile::tempdir().unwrap();
        std::fs::create_dir(temp.path().join(".briefing-staging-public-123")).unwrap();
        write_site(
            &temp.path().join("public"),
            &[OutputFile::new("i.html", "x")],
        )
        .unwrap();
        assert!(!temp.path().join(".briefing-staging-public-123").exists());
    }
}
