//! Removing from a reused work folder what this build did not write.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::AddedPaths;
use crate::error::Error;

/// Removes every file and folder under `dir` that is not wanted. `wanted_dirs` holds every
/// folder of every wanted file (in a reused tree, [`super::Staging::add`] made sure each is a real
/// folder), so each entry of the tree is either in a wanted folder or under an unwanted one.
/// Each wanted folder is read on whichever thread takes it, and what it holds that is not
/// wanted goes, a folder with everything in it. A walk of the whole tree on one thread took a
/// tenth of a second of every repeat build of a 10,000-brief site.
pub(super) fn remove_unwanted(
    dir: &Path,
    wanted_files: &AddedPaths,
    wanted_dirs: &HashSet<String>,
) -> Result<(), Error> {
    let mut folders: Vec<&str> = std::iter::once("")
        .chain(wanted_dirs.iter().map(String::as_str))
        .collect();
    // Sorted, so that of several failures the same one is reported every time.
    folders.par_sort_unstable();
    let failures: Vec<Error> = folders
        .par_iter()
        .with_max_len(16)
        .filter_map(|folder| prune(dir, folder, wanted_files, wanted_dirs).err())
        .collect();
    failures.into_iter().next().map_or(Ok(()), Err)
}

/// Removes what the wanted folder `folder` (relative to `dir`, `""` for `dir` itself) holds
/// that is not wanted.
fn prune(
    dir: &Path,
    folder: &str,
    wanted_files: &AddedPaths,
    wanted_dirs: &HashSet<String>,
) -> Result<(), Error> {
    let path = dir.join(folder);
    let entries = fs::read_dir(&path).map_err(|e| Error::io("cannot read", &path, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("cannot read", &path, e))?;
        let kind = entry
            .file_type()
            .map_err(|e| Error::io("cannot read", entry.path(), e))?;
        // A name that is not UTF-8 is never one we write.
        let relative = entry.file_name().to_str().map(|name| match folder {
            "" => name.to_string(),
            _ => format!("{folder}/{name}"),
        });
        let keep = relative.is_some_and(|relative| {
            if kind.is_dir() {
                wanted_dirs.contains(&relative)
            } else {
                kind.is_file() && wanted_files.contains(&relative)
            }
        });
        if !keep {
            let removed = if kind.is_dir() {
                fs::remove_dir_all(entry.path())
            } else {
                fs::remove_file(entry.path())
            };
            removed.map_err(|e| Error::io("cannot remove", entry.path(), e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{OutputFile, write_site};

    fn tree(root: &std::path::Path) -> Vec<String> {
        let mut paths: Vec<String> = walkdir::WalkDir::new(root)
            .min_depth(1)
            .into_iter()
            .flatten()
            .map(|e| {
                e.path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        paths.sort();
        paths
    }

    #[test]
    fn what_a_build_no_longer_writes_goes_at_every_depth() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("public");
        let old = [
            "index.html",
            "old.txt",
            "tags/x/index.html",
            "tags/x/page/2/index.html",
            "tags/y/index.html",
            "briefs/a/index.html",
            "briefs/a/extra.html",
        ];
        let old: Vec<OutputFile> = old.iter().map(|p| OutputFile::new(*p, "old")).collect();
        // Twice, so that the next build reuses a spare holding these files.
        write_site(&out, &old).unwrap();
        write_site(&out, &old).unwrap();
        let new = ["index.html", "tags/x/index.html", "briefs/a/index.html"];
        let new: Vec<OutputFile> = new.iter().map(|p| OutputFile::new(*p, "new")).collect();
        write_site(&out, &new).unwrap();
        assert_eq!(
            tree(&out),
            [
                "briefs",
                "briefs/a",
                "briefs/a/index.html",
                "index.html",
                "tags",
                "tags/x",
                "tags/x/index.html"
            ]
        );
        assert_eq!(
            std::fs::read_to_string(out.join("tags/x/index.html")).unwrap(),
            "new"
        );
    }
}
