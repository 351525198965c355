//! The theme: templates and static assets, from the embedded default theme overlaid file by file
//! with the site's `themes/<name>/` and then the site's own `static/` folder.
//!
//! Steps: start from the default theme compiled into the binary (so a site with no `themes/`
//! folder builds), replace or add every file the site's theme folder has, then every file of the
//! site's `static/`. This stage reads files; it does not parse templates.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::config::LoadedConfig;
use crate::error::{Error, SourceText};

/// The default theme, as it is in `themes/default/` when the binary is built.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Every template by name (`brief.html`, `partials/footnotes.html`) with its source, and every
/// static file by path under `static/`.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, SourceText>,
    pub static_files: BTreeMap<String, Vec<u8>>,
}

/// Loads the theme `config` names, for the site at `root`.
pub fn load(root: &Path, loaded: &LoadedConfig) -> Result<Theme, Error> {
    let mut theme = Theme::default();
    add_embedded(&DEFAULT_THEME, &mut theme);
    let name = &loaded.config.theme;
    let theme_dir = Path::new("themes").join(name);
    let valid_name = !name.is_empty() && !name.contains(['/', '\\']) && name != ".." && name != ".";
    if !valid_name || !root.join(&theme_dir).is_dir() {
        if name != "default" || !valid_name {
            return Err(loaded.error_at(
                "theme",
                format!(
                    "theme `{name}` not found: expected a folder {}/",
                    theme_dir.display()
                ),
            ));
        }
    } else {
        add_folder(
            root,
            &theme_dir.join("templates"),
            &mut |rel, bytes, shown| {
                let text = String::from_utf8(bytes).map_err(|_| Error::File {
                    path: shown.clone(),
                    message: "template is not valid UTF-8".into(),
                })?;
                theme.templates.insert(rel, SourceText::new(shown, text));
                Ok(())
            },
        )?;
        add_folder(root, &theme_dir.join("static"), &mut |rel, bytes, _| {
            theme.static_files.insert(rel, bytes);
            Ok(())
        })?;
    }
    add_folder(root, Path::new("static"), &mut |rel, bytes, _| {
        theme.static_files.insert(rel, bytes);
        Ok(())
    })?;
    Ok(theme)
}

fn add_embedded(dir: &Dir<'static>, theme: &mut Theme) {
    for entry in dir.entries() {
        if let Some(sub) = entry.as_dir() {
            add_embedded(sub, theme);
        } else if let Some(file) = entry.as_file() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                let shown = PathBuf::from("(default theme)").join(&path);
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                theme
                    .templates
                    .insert(name.to_string(), SourceText::new(shown, text));
            } else if let Some(name) = path.strip_prefix("static/") {
                theme
                    .static_files
                    .insert(name.to_string(), file.contents().to_vec());
            }
        }
    }
}

/// Calls `add(relative path with '/', bytes, path shown to the user)` for each file under
/// `root/folder`, in name order. A missing folder adds nothing. Symbolic links are not followed,
/// so nothing outside the site is read into the output.
fn add_folder(
    root: &Path,
    folder: &Path,
    add: &mut dyn FnMut(String, Vec<u8>, PathBuf) -> Result<(), Error>,
) -> Result<(), Error> {
    let full = root.join(folder);
    if !full.is_dir() {
        return Ok(());
    }
    for entry in WalkDir::new(&full).sort_by_file_name() {
        let entry = entry.map_err(|error| {
            let path = error.path().unwrap_or(&full).to_path_buf();
            Error::io("cannot read", path, error.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(&full).unwrap_or(entry.path());
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if name.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        let bytes = std::fs::read(entry.path())
            .map_err(|error| Error::io("cannot read", entry.path(), error))?;
        add(name, bytes, folder.join(relative))?;
    }
    Ok(())
}
