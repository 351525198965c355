//! Writing the site: [`OutputFile`]s → the output folder, all or nothing.
//!
//! Steps: check every path stays inside the output folder (relative, no `..`, no empty or
//! hidden-by-accident parts), write every file into a staging folder next to the output folder,
//! then swap it into place with renames and remove the old copy. A build that fails at any step
//! before the swap leaves the previous output exactly as it was. Staging folders left by a build
//! that was killed are removed by the next one. This is the only stage that writes files.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::Error;

mod paths;
mod prune;

use paths::AddedPaths;
use prune::remove_unwanted;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    /// Shared, so that a rebuild in `serve` keeps unchanged files without copying them.
    pub contents: Arc<[u8]>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            contents: Arc::from(contents.into()),
        }
    }

    /// A file whose text is already shared (a rendered page kept for the next build).
    pub fn shared(path: impl Into<String>, text: &Arc<str>) -> Self {
        OutputFile {
            path: path.into(),
            contents: Arc::<[u8]>::from(text.clone()),
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
    // Split by hand rather than by `Path::components`, which would quietly accept `a//b` and
    // `./a`: a path here is one we made, and each part must be a plain name.
    for name in path.split('/') {
        match name {
            "" | "." | ".." => return Err(bad("absolute path, empty part, `.` or `..`")),
            _ if name.len() > 255 => return Err(bad("name too long")),
            _ if crate::content::is_reserved_name(name) => {
                return Err(bad("a name Windows reserves for a device"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Writes `files` to `output` atomically (see the module docs). Duplicate paths are an error
/// rather than a silent overwrite.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), Error> {
    let mut staging = Staging::begin(output)?;
    staging.add(files.iter().map(|file| file.path.as_str()))?;
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|file| (file.path.as_str(), &*file.contents))
        .collect();
    staging.write_files(&files)?;
    staging.finish()
}

/// Pages that are rendered as they are written, so that a build never holds every page's
/// text at once: their output paths, and how to make the page at an index.
pub struct Rendering<'r> {
    pub paths: Vec<&'r str>,
    /// The order to render them in (each index once).
    pub order: Vec<usize>,
    pub render: &'r (dyn Fn(usize) -> Result<Vec<u8>, Error> + Sync),
}

/// The output being written: a work folder next to `output` that [`Staging::finish`] swaps
/// into place. Paths are [`Staging::add`]ed in batches, each before its files are written
/// (from any thread, with [`Staging::write`]), so a build can write its brief pages while
/// the paths of the pages after them are still unknown; whatever the work folder held that
/// no batch added is removed before the swap.
///
/// The work folder is the output of the build before last, kept as `.briefing-spare-<name>`
/// next to the output: most of its files already have the right names, and on many file
/// systems overwriting a file costs a fraction of creating one, so reusing it makes a rebuild
/// several times faster than writing a fresh tree. Files whose bytes are unchanged are not
/// rewritten at all. The cost is one extra copy of the site on disk.
pub struct Staging {
    output: PathBuf,
    work: PathBuf,
    /// The work folder was made empty by this build, so nothing in it needs comparing,
    /// replacing or removing.
    fresh: bool,
    /// Every path added so far, to refuse a second page at the same path.
    files: AddedPaths,
    /// Every folder the added paths need that is known to be in place.
    folders: HashSet<String>,
}

impl Staging {
    /// Opens the work folder for `output`: the spare of the build before last, or a new one.
    pub fn begin(output: &Path) -> Result<Staging, Error> {
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
        let work = parent.join(format!(".briefing-spare-{name}"));
        let fresh = match fs::symlink_metadata(&work) {
            Ok(meta) if meta.is_dir() => false,
            Ok(_) => {
                fs::remove_file(&work).map_err(|e| Error::io("cannot remove", &work, e))?;
                true
            }
            Err(_) => true,
        };
        if fresh {
            fs::create_dir(&work).map_err(|e| Error::io("cannot create", &work, e))?;
        }
        Ok(Staging {
            output: output.to_path_buf(),
            work,
            fresh,
            files: AddedPaths::new(),
            folders: HashSet::new(),
        })
    }

    /// Takes the next batch of paths: checks that each stays inside the output folder and was
    /// not added before, and puts in place the folders they need.
    ///
    /// Folders are created a level at a time, each level in parallel, with one `mkdir` each: a
    /// 10,000-brief site has 15,000 of them, and creating them one after another, each after a
    /// `stat`, kept the other threads waiting for a tenth of a build. In a fresh work folder
    /// only the folders that hold other folders are made here; each of the rest holds files
    /// alone and is made by the writer of its first file (see [`write_if_changed`]): on ext4 a
    /// `mkdir` is the dearest step of writing a page (a zeroed directory block, and the
    /// parent's lock, which two threads making 10,000 folders in `briefs/` at once spent a
    /// twentieth of the build spinning on), and made by the writers they are spread among the
    /// renders. In a reused one, each missing folder is made here, and whatever stands where a
    /// folder must be is removed first. The checks, too, run on every thread: at 100,000
    /// briefs they were a fifth of a second of one thread's work while the other waited.
    pub fn add<'p>(&mut self, paths: impl IntoIterator<Item = &'p str>) -> Result<(), Error> {
        let paths: Vec<&str> = paths.into_iter().collect();
        // The first path refused, as a loop over them in order would find it: outside the
        // folder, or added already.
        let outside = paths
            .par_iter()
            .position_first(|path| check_path(path).is_err());
        let repeat = match outside {
            Some(at) => self.files.add_all(&paths[..at]).err(),
            None => self.files.add_all(&paths).err(),
        };
        if let Some(at) = repeat {
            return Err(Error::File {
                path: PathBuf::from(paths[at]),
                message: "two pages would be written to the same file".into(),
            });
        }
        if let Some(at) = outside {
            check_path(paths[at])?;
        }
        // The folders to make here: in a fresh tree those that hold other folders (each
        // file's grandparent and up), in a reused one every ancestor. A file's walk up stops
        // at a folder already in place or already wanted, whose ancestors are then too.
        let fresh = self.fresh;
        let known = &self.folders;
        let needed: HashSet<&str> = paths
            .par_iter()
            .fold(HashSet::new, |mut needed, file| {
                let mut ancestor = parent_of(file);
                if fresh {
                    ancestor = ancestor.and_then(parent_of);
                }
                while let Some(path) = ancestor {
                    if known.contains(path) || !needed.insert(path) {
                        break;
                    }
                    ancestor = parent_of(path);
                }
                needed
            })
            .reduce(HashSet::new, |mut all, some| {
                all.extend(some);
                all
            });
        let mut levels: Vec<Vec<&str>> = Vec::new();
        for &folder in &needed {
            let depth = folder.matches('/').count() + 1;
            if levels.len() < depth {
                levels.resize_with(depth, Vec::new);
            }
            levels[depth - 1].push(folder);
        }
        let work = &self.work;
        for level in levels {
            level
                .par_iter()
                .try_for_each(|folder| make_folder(&work.join(folder), fresh))?;
        }
        // Only the folders made above are known to be in place; a fresh tree's others are
        // made by their first file's writer.
        self.folders.extend(needed.into_iter().map(str::to_string));
        Ok(())
    }

    /// Writes one added file (any thread may).
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        write_if_changed(&self.work.join(path), bytes, self.fresh)
    }

    /// Writes added `files` (path and contents), in parallel.
    pub fn write_files(&self, files: &[(&str, &[u8])]) -> Result<(), Error> {
        files
            .par_iter()
            .try_for_each(|(path, contents)| self.write(path, contents))
    }

    /// Renders and writes the added pages of `rendering`, in parallel and in its `order`, each
    /// dropped once written. Gives every page's error, in page order, for
    /// [`Error::collect_distinct`].
    pub fn write_rendered(&self, rendering: Rendering) -> Vec<Error> {
        // Runs of at most eight pages: rayon otherwise splits the range only as far as it
        // sees idle threads, and the last run left whole (hundreds of pages) kept one thread
        // busy for the final 50 ms of a 10,000-brief build while the other had nothing to take.
        let results: Vec<(usize, Result<(), Error>)> = rendering
            .order
            .par_iter()
            .with_max_len(8)
            .map(|&index| {
                let written = (rendering.render)(index)
                    .and_then(|bytes| self.write(rendering.paths[index], &bytes));
                (index, written)
            })
            .collect();
        let mut errors: Vec<(usize, Error)> = results
            .into_iter()
            .filter_map(|(index, written)| Some((index, written.err()?)))
            .collect();
        errors.sort_by_key(|(index, _)| *index);
        errors.into_iter().map(|(_, error)| error).collect()
    }

    /// Removes from a reused work folder what no batch added, and puts the folder in place
    /// of the output.
    pub fn finish(self) -> Result<(), Error> {
        if !self.fresh {
            // In a reused tree `add` put every folder of every added file in `folders`.
            remove_unwanted(&self.work, &self.files, &self.folders)?;
        }
        swap_into_place(&self.work, &self.output)
    }
}

/// Makes the folder `path`. In a reused tree (`fresh` false) a folder already there is kept,
/// and anything else there (a file, a link) is replaced.
fn make_folder(path: &Path, fresh: bool) -> Result<(), Error> {
    match fs::create_dir(path) {
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && !fresh => {
            match fs::symlink_metadata(path) {
                Ok(meta) if meta.is_dir() => Ok(()),
                _ => {
                    fs::remove_file(path).map_err(|e| Error::io("cannot remove", path, e))?;
                    fs::create_dir(path).map_err(|e| Error::io("cannot create", path, e))
                }
            }
        }
        // A holding folder of a fresh tree that a writer of an earlier batch already made.
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
        result => result.map_err(|e| Error::io("cannot create", path, e)),
    }
}

/// The folder holding `path` (`/`-separated, relative), or `None` at the top.
fn parent_of(path: &str) -> Option<&str> {
    path.rsplit_once('/').map(|(parent, _)| parent)
}

/// Writes `bytes` to `path` unless they are there already. In a `fresh` tree it first makes
/// the file's folder, which [`Staging::add`] left to the writers; in a reused one, a folder
/// or link where the file goes is removed first.
fn write_if_changed(path: &Path, bytes: &[u8], fresh: bool) -> Result<(), Error> {
    if fresh {
        if let Some(folder) = path.parent() {
            match fs::create_dir(folder) {
                Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => {
                    return Err(Error::io("cannot create", folder, error));
                }
                _ => {}
            }
        }
    } else {
        match fs::symlink_metadata(path) {
            Ok(meta) if meta.is_file() => {
                let unchanged = meta.len() == bytes.len() as u64
                    && fs::read(path).is_ok_and(|before| before == bytes);
                if unchanged {
                    return Ok(());
                }
            }
            Ok(meta) if meta.is_dir() => {
                fs::remove_dir_all(path).map_err(|e| Error::io("cannot remove", path, e))?;
            }
            Ok(_) => fs::remove_file(path).map_err(|e| Error::io("cannot remove", path, e))?,
            Err(_) => {}
        }
    }
    fs::write(path, bytes).map_err(|e| Error::io("cannot write", path, e))
}

/// Puts the finished `work` folder at `output`; the old output becomes the next work folder.
/// On Linux the two are exchanged in one `renameat2` call, so `output` always holds a complete
/// site; elsewhere (or on file systems without exchange) three renames leave it absent for an
/// instant but never half-written.
fn swap_into_place(work: &Path, output: &Path) -> Result<(), Error> {
    match fs::symlink_metadata(output) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(Error::File {
                path: output.to_path_buf(),
                message: "the output path exists and is not a folder".into(),
            });
        }
        Err(_) => {
            return fs::rename(work, output)
                .map_err(|e| Error::io("cannot move into place", output, e));
        }
    }
    if exchange(work, output).is_ok() {
        return Ok(());
    }
    let aside = work.with_extension("old");
    let _ = fs::remove_dir_all(&aside);
    fs::rename(output, &aside).map_err(|e| Error::io("cannot move aside", output, e))?;
    if let Err(error) = fs::rename(work, output) {
        let _ = fs::rename(&aside, output);
        return Err(Error::io("cannot move into place", output, error));
    }
    let _ = fs::rename(&aside, work);
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Removes work folders of older versions of briefing (`.briefing-staging-<name>-<pid>`,
/// `.briefing-old-<name>-<pid>`), which a killed build could leave behind.
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
    use super::{OutputFile, Staging, check_path, write_site};

    #[test]
    fn paths_outside_the_folder_are_refused() {
        for path in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "",
            "a\0b",
            "a\\..\\b",
            "tags/nul/index.html",
            "a//b",
            "./a",
            "a/",
        ] {
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
        let mut names: Vec<_> = std::fs::read_dir(temp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, vec![".briefing-spare-public", "public"]);
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
    fn the_spare_tree_is_reused_and_pruned() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("public");
        write_site(
            &out,
            &[
                OutputFile::new("a/x.html", "1"),
                OutputFile::new("b/y.html", "1"),
            ],
        )
        .unwrap();
        write_site(&out, &[OutputFile::new("a/x.html", "2")]).unwrap();
        write_site(
            &out,
            &[OutputFile::new("a", "3"), OutputFile::new("c/z.html", "3")],
        )
        .unwrap();
        let tree: Vec<_> = walkdir::WalkDir::new(&out)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .map(|e| {
                e.path()
                    .strip_prefix(&out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(tree, vec!["", "a", "c", "c/z.html"]);
        assert_eq!(std::fs::read_to_string(out.join("a")).unwrap(), "3");
    }

    #[test]
    fn batches_are_checked_against_each_other_and_share_folders() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("public");
        let mut staging = Staging::begin(&out).unwrap();
        staging.add(["briefs/a/index.html"]).unwrap();
        staging.write("briefs/a/index.html", b"a").unwrap();
        // `briefs/a` was made by its file's writer; a later batch nests a folder in it.
        staging
            .add(["briefs/a/page/2/index.html", "index.html"])
            .unwrap();
        let again = staging.add(["index.html"]).unwrap_err();
        assert_eq!(
            again.to_string(),
            "index.html: two pages would be written to the same file"
        );
        staging.write("briefs/a/page/2/index.html", b"2").unwrap();
        staging.write("index.html", b"i").unwrap();
        staging.finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("briefs/a/page/2/index.html")).unwrap(),
            "2"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_reused_tree_loses_what_stands_in_the_way_and_its_links() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("public");
        let outside = temp.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        // Two builds, so that the next one reuses a spare holding these paths.
        for _ in 0..2 {
            write_site(
                &out,
                &[
                    OutputFile::new("a", "file where a folder goes"),
                    OutputFile::new("b/index.html", "x"),
                ],
            )
            .unwrap();
        }
        let spare = temp.path().join(".briefing-spare-public");
        std::os::unix::fs::symlink(&outside, spare.join("c")).unwrap();
        let mut staging = Staging::begin(&out).unwrap();
        staging.add(["a/index.html", "b", "c/index.html"]).unwrap();
        for path in ["a/index.html", "b", "c/index.html"] {
            staging.write(path, path.as_bytes()).unwrap();
        }
        staging.finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a/index.html"
        );
        assert_eq!(std::fs::read_to_string(out.join("b")).unwrap(), "b");
        assert!(out.join("c").symlink_metadata().unwrap().is_dir());
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
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
