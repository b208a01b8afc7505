//! Size facts the layer view needs: pull and on-disk sizes of base images, sizes of package
//! installs, the defaults used where no row applies, where package managers install, and
//! commands known to write little or nothing.
//!
//! Tables: `base_image_sizes.tsv` (shared with the rules), `package_sizes.tsv`,
//! `layer_defaults.tsv`, `install_targets.tsv`, `small_commands.tsv`.

use super::{parse_mb, tag_version, version_prefix, MbRange, Row, Table};
use crate::instructions::ImageRef;

const PACKAGE_SIZES: &str = include_str!("package_sizes.tsv");
const LAYER_DEFAULTS: &str = include_str!("layer_defaults.tsv");
const INSTALL_TARGETS: &str = include_str!("install_targets.tsv");
const SMALL_COMMANDS: &str = include_str!("small_commands.tsv");

macro_rules! layer_table {
    ($fn:ident, $text:expr) => {
        fn $fn() -> &'static Table {
            static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
            TABLE.get_or_init(|| Table::parse($text))
        }
    };
}

layer_table!(package_sizes_table, PACKAGE_SIZES);
layer_table!(layer_defaults_table, LAYER_DEFAULTS);
layer_table!(install_targets_table, INSTALL_TARGETS);
layer_table!(small_commands_table, SMALL_COMMANDS);

// ---------------------------------------------------------------------------------------
// Base images

/// How a reference was matched to a row of `base_image_sizes.tsv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagMatch {
    /// The row was measured for this version.
    Exact,
    /// Another version of the same variant (same major version, or the table's only one).
    Neighbour,
    /// No version in the tag (`latest`, a codename the table lacks, a digest only).
    Unversioned,
}

/// What the table knows about a base image's size.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageSizeFacts {
    /// The row's image, variant and version (`python`, `slim`, `3.12`).
    pub image: &'static str,
    pub variant: &'static str,
    pub version: &'static str,
    pub matched: TagMatch,
    /// Compressed (pull) size.
    pub compressed: MbRange,
    /// On-disk size, when a snapshot measured it.
    pub disk: Option<MbRange>,
    /// Filesystem layers of the image, when its history was read.
    pub layers: Option<u32>,
    pub source: &'static str,
}

impl ImageSizeFacts {
    /// `python:3.12-slim`: the tag the figures were measured for, as people write it.
    pub fn measured_tag(&self) -> String {
        let mut tag = String::new();
        if self.version != "latest" {
            tag.push_str(self.version);
        }
        if self.variant != "full" {
            if !tag.is_empty() {
                tag.push('-');
            }
            tag.push_str(self.variant);
        }
        if tag.is_empty() {
            tag.push_str("latest");
        }
        format!("{}:{tag}", self.image)
    }
}

/// Variant words a tag may carry, in the order they are looked for.
const VARIANTS: [&str; 4] = ["alpine", "slim", "jre", "jdk"];

/// The table key of an image: official images by name (`python`), others by registry and
/// repository with a distroless `-debianNN` suffix moved into the version.
fn image_key(image: &ImageRef) -> (String, Option<String>) {
    let full = if image.registry == "docker.io" {
        image
            .repository
            .strip_prefix("library/")
            .unwrap_or(&image.repository)
            .to_string()
    } else {
        format!("{}/{}", image.registry, image.repository)
    };
    if let Some(at) = full.rfind("-debian") {
        let suffix = &full[at + 1..];
        if suffix.len() > "debian".len()
            && suffix["debian".len()..].bytes().all(|b| b.is_ascii_digit())
        {
            return (full[..at].to_string(), Some(suffix.to_string()));
        }
    }
    (full, None)
}

/// The variant of a tag among those the table has for the image (`3.12-slim-bookworm` →
/// `slim`), else `full`.
fn tag_variant(tag: &str, available: &[&'static str]) -> &'static str {
    let tokens: Vec<&str> = tag.split('-').collect();
    for v in VARIANTS {
        if available.contains(&v) && tokens.iter().any(|t| t.starts_with(v)) {
            return v;
        }
    }
    "full"
}

/// The size facts for a base image, matching its tag to the nearest measured row:
/// the same variant (`slim`, `alpine`...) and version, else the same major version, else
/// the variant's first row. `None` when the image is not in the table at all.
pub fn image_size_facts(image: &ImageRef) -> Option<ImageSizeFacts> {
    let (key, key_version) = image_key(image);
    let rows: Vec<Row> = super::sizes_table()
        .iter()
        .filter(|r| r.get("image") == key)
        .collect();
    if rows.is_empty() {
        return None;
    }
    let available: Vec<&'static str> = rows.iter().map(|r| r.get("variant")).collect();
    let tag = image
        .tag
        .as_deref()
        .unwrap_or("latest")
        .to_ascii_lowercase();
    let variant = tag_variant(&tag, &available);
    let same_variant: Vec<Row> = rows
        .iter()
        .copied()
        .filter(|r| r.get("variant") == variant)
        .collect();
    let candidates = if same_variant.is_empty() {
        rows
    } else {
        same_variant
    };
    // The version: digits (`3.13`), else a leading word that is not a variant (`bookworm`).
    let version: Option<String> = key_version.or_else(|| {
        tag_version(&tag).map(str::to_string).or_else(|| {
            let first = tag.split('-').next().unwrap_or("");
            (!first.is_empty()
                && first != "latest"
                && !VARIANTS.iter().any(|v| first.starts_with(v)))
            .then(|| first.to_string())
        })
    });
    let (row, matched) = match &version {
        Some(v) => {
            if let Some(r) = candidates.iter().find(|r| r.get("version") == v) {
                (*r, TagMatch::Exact)
            } else {
                let major = version_prefix(v, 1);
                let r = candidates
                    .iter()
                    .find(|r| version_prefix(r.get("version"), 1) == major)
                    .or_else(|| candidates.first())?;
                (*r, TagMatch::Neighbour)
            }
        }
        None => (*candidates.first()?, TagMatch::Unversioned),
    };
    let range = |low: &str, high: &str| -> Option<MbRange> {
        Some(MbRange {
            low: parse_mb(row.get(low))?,
            high: parse_mb(row.get(high))?,
        })
    };
    Some(ImageSizeFacts {
        image: row.get("image"),
        variant: row.get("variant"),
        version: row.get("version"),
        matched,
        compressed: range("compressed_mb_low", "compressed_mb_high")?,
        disk: range("disk_mb_low", "disk_mb_high"),
        layers: row.get("layers").parse().ok(),
        source: row.get("source"),
    })
}

// ---------------------------------------------------------------------------------------
// Packages

/// A measured package install.
#[derive(Clone, Debug, PartialEq)]
pub struct PackageFacts {
    /// The packages of the row as written (`gcc,libpq-dev`).
    pub packages: &'static str,
    pub installed_mb: f64,
    pub download_mb: Option<f64>,
    pub source: &'static str,
}

/// The measured size of installing exactly `packages` (one name or a set; order does not
/// matter) with `manager` (`apt`, `apk`, `pip`, `npm`). For apt, `recommends` picks the row
/// measured with or without Recommends; other managers' rows ignore it.
pub fn package_facts(manager: &str, packages: &[&str], recommends: bool) -> Option<PackageFacts> {
    let mut wanted: Vec<&str> = packages.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let row = package_sizes_table().iter().find(|r| {
        if r.get("manager") != manager {
            return false;
        }
        let rec = r.get("recommends");
        if rec != "-" && (rec == "yes") != recommends {
            return false;
        }
        let mut have: Vec<&str> = r.get("packages").split(',').map(str::trim).collect();
        have.sort_unstable();
        have == wanted
    })?;
    Some(PackageFacts {
        packages: row.get("packages"),
        installed_mb: parse_mb(row.get("installed_mb"))?,
        download_mb: parse_mb(row.get("download_mb")),
        source: row.get("source"),
    })
}

// ---------------------------------------------------------------------------------------
// Defaults, install targets, small commands

/// A row of `layer_defaults.tsv`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerDefault {
    pub key: &'static str,
    pub low: f64,
    pub high: f64,
    /// `MB` or `factor`.
    pub unit: &'static str,
    pub source: &'static str,
}

impl LayerDefault {
    /// Whether the figure is a guess rather than a measurement.
    pub fn is_guess(&self) -> bool {
        self.source.starts_with("default")
    }
}

/// The default figure named `key` (`apt_lists`, `compression_ratio`, `deps_pip`...).
pub fn layer_default(key: &str) -> Option<LayerDefault> {
    let row = layer_defaults_table()
        .iter()
        .find(|r| r.get("key") == key)?;
    Some(LayerDefault {
        key: row.get("key"),
        low: parse_mb(row.get("low"))?,
        high: parse_mb(row.get("high"))?,
        unit: row.get("unit"),
        source: row.get("source"),
    })
}

/// Where `manager` installs (a template with `{workdir}` and `{python}`), with its source.
pub fn install_target(manager: &str) -> Option<(&'static str, &'static str)> {
    let row = install_targets_table()
        .iter()
        .find(|r| r.get("manager") == manager)?;
    Some((row.get("target"), row.get("source")))
}

/// What a command is known to write: `Some(false)` nothing, `Some(true)` a few small files,
/// `None` when the table does not list it.
pub fn small_command(name: &str) -> Option<(bool, &'static str)> {
    let row = small_commands_table()
        .iter()
        .find(|r| r.get("command") == name)?;
    match row.get("writes") {
        "none" => Some((false, row.get("source"))),
        "small" => Some((true, row.get("source"))),
        _ => None,
    }
}

/// The tables of this file, for [`super::tables`].
pub(super) fn layer_tables() -> Vec<(&'static str, &'static Table)> {
    vec![
        ("package_sizes.tsv", package_sizes_table()),
        ("layer_defaults.tsv", layer_defaults_table()),
        ("install_targets.tsv", install_targets_table()),
        ("small_commands.tsv", small_commands_table()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(s: &str) -> ImageSizeFacts {
        image_size_facts(&ImageRef::parse(s).unwrap()).unwrap()
    }

    #[test]
    fn image_tags_are_normalised() {
        let f = facts("python:3.12-slim");
        assert_eq!((f.variant, f.matched), ("slim", TagMatch::Exact));
        assert_eq!(f.disk.unwrap().low, 119.2);
        let f = facts("python:3.13-slim");
        assert_eq!((f.version, f.matched), ("3.12", TagMatch::Neighbour));
        assert_eq!(f.measured_tag(), "python:3.12-slim");
        let f = facts("python:3.13-slim-bookworm");
        assert_eq!(f.variant, "slim");
        assert_eq!(facts("node:18-alpine").compressed.low, 53.1);
        assert_eq!(facts("golang:1.21-alpine").variant, "alpine");
        assert_eq!(facts("python").matched, TagMatch::Unversioned);
        assert_eq!(facts("debian:bookworm-slim").variant, "slim");
        assert_eq!(facts("eclipse-temurin:21-jre-alpine").variant, "jre");
        let f = facts("gcr.io/distroless/python3-debian12");
        assert_eq!(
            (f.image, f.matched),
            ("gcr.io/distroless/python3", TagMatch::Exact)
        );
        assert!(image_size_facts(&ImageRef::parse("myorg/app:1").unwrap()).is_none());
    }

    #[test]
    fn packages_and_defaults() {
        let p = package_facts("apt", &["libpq-dev", "build-essential"], false).unwrap();
        assert_eq!(p.installed_mb, 289.1);
        assert_eq!(
            package_facts("apt", &["python3-pip"], true)
                .unwrap()
                .installed_mb,
            431.0
        );
        assert_eq!(
            package_facts("apt", &["python3-pip"], false)
                .unwrap()
                .installed_mb,
            47.9
        );
        assert!(package_facts("pip", &["poetry"], false).is_some());
        assert!(package_facts("apt", &["libpq5"], false).is_none());
        let d = layer_default("apt_lists").unwrap();
        assert_eq!((d.low, d.high), (11.8, 50.1));
        assert!(layer_default("deps_go").unwrap().is_guess());
        assert!(!layer_default("compression_ratio").unwrap().is_guess());
        assert_eq!(install_target("npm").unwrap().0, "{workdir}/node_modules");
        assert_eq!(small_command("useradd").map(|s| s.0), Some(true));
        assert_eq!(small_command("cd").map(|s| s.0), Some(false));
        assert!(small_command("make").is_none());
    }
}
