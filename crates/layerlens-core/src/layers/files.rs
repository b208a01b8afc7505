//! The synthetic file model: what each layer of a stage stores, as coarse units of files
//! (the base image, one package install, the apt lists, a cache directory, a copied tree)
//! with the history of the layers that wrote, rewrote, copied up or deleted them.
//!
//! Layers are immutable, so a file deleted or rewritten by a later layer still costs its
//! bytes in the earlier one: this history is what the waste view and the efficiency score
//! are computed from.

use serde::Serialize;

use super::size::SizeRange;
use crate::dockerignore::glob_match;

/// What a unit of files is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    BaseImage,
    /// Files of OS packages (apt, apk, rpm...).
    Packages,
    /// Package-manager indexes (`/var/lib/apt/lists`, `/var/cache/apk`).
    PackageLists,
    /// Download caches (pip, npm, yarn, poetry, go build cache...).
    Cache,
    /// Language dependencies (site-packages, node_modules, a virtualenv, the Go module cache).
    Dependencies,
    /// What a build writes (a binary, `dist/`, `.next/`).
    BuildOutput,
    /// A file fetched with curl/wget or ADD from a URL.
    Download,
    /// Files copied from the build context.
    Context,
    /// Files copied from another stage or image.
    Copied,
    /// A directory created by WORKDIR or mkdir.
    Directory,
    /// Anything else a command writes.
    Other,
}

/// What a layer did to a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Stored for the first time.
    Created,
    /// Written again at the same path (a new copy in a new layer).
    Overwritten,
    /// Hidden by a whiteout: the bytes stay in the earlier layer.
    Deleted,
    /// Stored again unchanged but for ownership or mode (`chown -R`, `chmod -R`).
    CopiedUp,
}

/// One layer's effect on a unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Occurrence {
    pub instruction: usize,
    pub change: ChangeKind,
    /// Bytes the layer stores for the unit (0 for a deletion).
    pub bytes: SizeRange,
}

/// A group of files tracked as one.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    /// Identity: a later write with the same key rewrites the unit.
    pub key: String,
    /// Where the files are (a directory, or a file).
    pub path: String,
    pub what: String,
    pub kind: FileKind,
    /// OS or language packages it holds (and an apk `--virtual` name), for removals.
    pub packages: Vec<String>,
    /// The package manager that wrote it, if any.
    pub manager: Option<&'static str>,
    /// Its current size.
    pub bytes: SizeRange,
    pub history: Vec<Occurrence>,
    pub alive: bool,
}

impl Unit {
    /// The instruction that first stored it.
    pub fn created_by(&self) -> Option<usize> {
        self.history.first().map(|o| o.instruction)
    }

    /// Whether every write of the unit happened in instruction `i` (nothing of it reached an
    /// earlier layer).
    fn only_in(&self, i: usize) -> bool {
        self.history.iter().all(|o| o.instruction == i)
    }
}

/// A change one layer makes, as listed under its instruction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileChange {
    pub path: String,
    pub what: String,
    pub kind: FileKind,
    pub change: ChangeKind,
    pub bytes: SizeRange,
}

/// The files of one stage's image, as units.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileSystem {
    pub units: Vec<Unit>,
}

/// Whether `path` is `dir` or inside it.
pub fn is_within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() {
        return path.starts_with('/');
    }
    path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn has_glob(path: &str) -> bool {
    path.contains(['*', '?', '['])
}

/// Whether a deletion or copy target covers a unit's path: the unit is inside it, or the
/// target is a glob matching the unit (`/tmp/*.tar.gz`), or a directory's contents
/// (`/var/lib/apt/lists/*`).
fn covers(target: &str, unit_path: &str) -> bool {
    if let Some(dir) = target.strip_suffix("/*") {
        if !has_glob(dir) {
            // A unit stands for the contents of its path, so `dir/*` removes it too.
            return is_within(unit_path, dir);
        }
    }
    if has_glob(target) {
        // Match the unit or any of its parents.
        let mut candidate = unit_path;
        loop {
            if glob_match(target, candidate) {
                return true;
            }
            match candidate.rfind('/') {
                Some(0) | None => return false,
                Some(at) => candidate = &candidate[..at],
            }
        }
    }
    is_within(unit_path, target)
}

impl FileSystem {
    /// Stores `bytes` for the unit `key` in instruction `i`: a new unit, or a rewrite of a
    /// live one (a second write within the same instruction just replaces the first).
    /// Returns the unit's index.
    #[allow(clippy::too_many_arguments)]
    pub fn write(
        &mut self,
        i: usize,
        key: &str,
        path: &str,
        what: &str,
        kind: FileKind,
        bytes: SizeRange,
    ) -> usize {
        if let Some(at) = self.units.iter().position(|u| u.alive && u.key == key) {
            let unit = &mut self.units[at];
            unit.bytes = bytes;
            match unit.history.last_mut() {
                Some(last) if last.instruction == i => last.bytes = bytes,
                _ => unit.history.push(Occurrence {
                    instruction: i,
                    change: ChangeKind::Overwritten,
                    bytes,
                }),
            }
            return at;
        }
        self.units.push(Unit {
            key: key.to_string(),
            path: path.to_string(),
            what: what.to_string(),
            kind,
            packages: Vec::new(),
            manager: None,
            bytes,
            history: vec![Occurrence {
                instruction: i,
                change: ChangeKind::Created,
                bytes,
            }],
            alive: true,
        });
        self.units.len() - 1
    }

    /// Deletes unit `at` in instruction `i`. Returns true if it had reached an earlier
    /// layer (so the deletion only hides it), false if it never left this layer.
    pub fn delete(&mut self, at: usize, i: usize) -> bool {
        let Some(unit) = self.units.get_mut(at) else {
            return false;
        };
        if !unit.alive {
            return false;
        }
        unit.alive = false;
        if unit.only_in(i) {
            unit.history.clear();
            return false;
        }
        // A rewrite in this same layer never got stored either.
        if unit.history.last().is_some_and(|o| o.instruction == i) {
            unit.history.pop();
        }
        unit.history.push(Occurrence {
            instruction: i,
            change: ChangeKind::Deleted,
            bytes: SizeRange::ZERO,
        });
        true
    }

    /// Live units a deletion of `target` removes (the base image is never removed whole).
    pub fn covered(&self, target: &str) -> Vec<usize> {
        self.units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.alive && u.kind != FileKind::BaseImage && covers(target, &u.path))
            .map(|(at, _)| at)
            .collect()
    }

    /// `chown -R` / `chmod -R` of `target` in instruction `i`: every file under it that an
    /// earlier layer stored is stored again. Returns the bytes copied up.
    pub fn copy_up(&mut self, target: &str, i: usize) -> (SizeRange, Vec<usize>) {
        let mut total = SizeRange::ZERO;
        let mut touched = Vec::new();
        for (at, unit) in self.units.iter_mut().enumerate() {
            if !unit.alive || unit.kind == FileKind::BaseImage || !covers(target, &unit.path) {
                continue;
            }
            if unit.history.last().is_some_and(|o| o.instruction == i) {
                continue;
            }
            unit.history.push(Occurrence {
                instruction: i,
                change: ChangeKind::CopiedUp,
                bytes: unit.bytes,
            });
            total = total.plus(unit.bytes);
            touched.push(at);
        }
        (total, touched)
    }

    /// The live units a `COPY --from` of `source` takes, with their paths relative to it:
    /// units inside `source` whole, and units that contain it partly (the part is unknown:
    /// from nothing up to the whole unit). The base image is not broken down by path.
    pub fn under(&self, source: &str) -> Vec<(usize, Option<String>)> {
        let source = source.trim_end_matches('/');
        let source = if source.is_empty() { "/" } else { source };
        // A unit written exactly at `source` replaced what earlier layers had there.
        let exact_since = self
            .units
            .iter()
            .filter(|u| u.alive && u.path == source && u.kind != FileKind::BaseImage)
            .filter_map(|u| u.history.last().map(|o| o.instruction))
            .max();
        self.units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.alive && u.kind != FileKind::BaseImage)
            .filter_map(|(at, u)| {
                if covers(source, &u.path) {
                    let rest = u
                        .path
                        .strip_prefix(source)
                        .unwrap_or("")
                        .trim_start_matches('/');
                    Some((at, Some(rest.to_string())))
                } else if is_within(source, &u.path)
                    && !exact_since.is_some_and(|since| {
                        u.history.last().is_some_and(|o| o.instruction < since)
                    })
                {
                    Some((at, None))
                } else {
                    None
                }
            })
            .collect()
    }

    /// Bytes stored by instruction `i` (writes, rewrites and copies up).
    #[cfg(test)]
    pub fn layer_bytes(&self, i: usize) -> SizeRange {
        self.units
            .iter()
            .flat_map(|u| &u.history)
            .filter(|o| o.instruction == i)
            .fold(SizeRange::ZERO, |acc, o| acc.plus(o.bytes))
    }

    /// What instruction `i` did to the files, in the order units were made.
    pub fn changes_of(&self, i: usize) -> Vec<FileChange> {
        self.units
            .iter()
            .flat_map(|u| {
                u.history
                    .iter()
                    .filter(move |o| o.instruction == i)
                    .map(move |o| FileChange {
                        path: u.path.clone(),
                        what: u.what.clone(),
                        kind: u.kind,
                        change: o.change,
                        bytes: o.bytes,
                    })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletions_in_the_same_layer_leave_nothing() {
        let mut fs = FileSystem::default();
        let a = fs.write(
            1,
            "lists",
            "/var/lib/apt/lists",
            "apt lists",
            FileKind::PackageLists,
            SizeRange::exact(50),
        );
        assert_eq!(fs.covered("/var/lib/apt/lists/*"), vec![a]);
        assert!(!fs.delete(a, 1));
        assert!(fs.units[a].history.is_empty());
        let b = fs.write(
            2,
            "lists",
            "/var/lib/apt/lists",
            "apt lists",
            FileKind::PackageLists,
            SizeRange::exact(50),
        );
        assert!(fs.delete(b, 3));
        assert_eq!(fs.units[b].history.len(), 2);
        assert_eq!(fs.layer_bytes(2), SizeRange::exact(50));
        assert_eq!(fs.layer_bytes(3), SizeRange::ZERO);
    }

    #[test]
    fn copy_up_and_under() {
        let mut fs = FileSystem::default();
        fs.write(
            1,
            "ctx",
            "/app",
            "context",
            FileKind::Context,
            SizeRange::exact(10),
        );
        fs.write(
            2,
            "venv",
            "/app/.venv",
            "venv",
            FileKind::Dependencies,
            SizeRange::exact(5),
        );
        let (bytes, touched) = fs.copy_up("/app", 3);
        assert_eq!((bytes, touched.len()), (SizeRange::exact(15), 2));
        assert_eq!(fs.under("/app/.venv").len(), 2); // the venv whole, /app partly
        assert!(covers("/tmp/*.tar.gz", "/tmp/x.tar.gz"));
        assert!(!covers("/var/lib/apt/lists/*", "/var/lib/apt"));
    }
}
