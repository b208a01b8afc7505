//! Facts about images and packages, embedded from data files (`*.tsv` beside this file).
//!
//! Every table has a `source` column saying where each row comes from; numbers are copied
//! from those sources, never made up, and sizes are estimates (images are rebuilt all the
//! time). Lines starting with `#` are comments; the first other line is the header.
//!
//! Lookups are plain functions over the parsed tables, so rules, the layer view and the
//! optimizer ask the same questions the same way:
//! [`slim_variant`], [`end_of_life`], [`image_traits`], [`image_size`],
//! [`is_build_tool_package`], [`is_debug_tool_package`], [`package_size`], [`cache_targets`],
//! [`manifest_files`]; for the layer view [`image_size_facts`], [`package_facts`],
//! [`layer_default`], [`install_target`], [`small_command`] (in `layers.rs`).

use std::sync::OnceLock;

use crate::instructions::ImageRef;

mod layers;
pub use layers::{
    image_size_facts, install_target, layer_default, package_facts, small_command, ImageSizeFacts,
    LayerDefault, PackageFacts, TagMatch,
};

/// The day the end-of-life table was last checked: an end of life on or before it is past.
/// (No clock is read: the core runs in browsers, and lint results must not change by
/// themselves from one day to the next.)
pub const AS_OF: &str = "2026-11-29";

const BASE_IMAGE_SIZES: &str = include_str!("base_image_sizes.tsv");
const SLIM_VARIANTS: &str = include_str!("slim_variants.tsv");
const END_OF_LIFE: &str = include_str!("end_of_life.tsv");
const BASE_IMAGE_TRAITS: &str = include_str!("base_image_traits.tsv");
const PACKAGES: &str = include_str!("packages.tsv");
const PACKAGE_CACHES: &str = include_str!("package_caches.tsv");
const DEPENDENCY_MANIFESTS: &str = include_str!("dependency_manifests.tsv");

/// A parsed TSV table: a header and rows of cells (borrowed from the embedded text).
#[derive(Debug)]
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<&'static str>>,
}

impl Table {
    /// Parses tab-separated text: `#` lines are comments, the first other line the header.
    pub fn parse(text: &'static str) -> Table {
        let mut lines = text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
        let header = lines
            .next()
            .map(|h| h.split('\t').map(str::trim).collect())
            .unwrap_or_default();
        let rows = lines
            .map(|l| l.split('\t').map(str::trim).collect())
            .collect();
        Table { header, rows }
    }

    /// The index of column `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| *h == name)
    }

    /// Rows as `Row`s (cells looked up by column name).
    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows
            .iter()
            .map(move |cells| Row { table: self, cells })
    }
}

/// One row of a [`Table`].
#[derive(Clone, Copy)]
pub struct Row<'t> {
    table: &'t Table,
    cells: &'t [&'static str],
}

impl Row<'_> {
    /// The cell of column `name` ("" when the column or cell is missing).
    pub fn get(&self, name: &str) -> &'static str {
        self.table
            .column(name)
            .and_then(|i| self.cells.get(i).copied())
            .unwrap_or("")
    }
}

macro_rules! table {
    ($fn:ident, $text:expr) => {
        fn $fn() -> &'static Table {
            static TABLE: OnceLock<Table> = OnceLock::new();
            TABLE.get_or_init(|| Table::parse($text))
        }
    };
}

table!(sizes_table, BASE_IMAGE_SIZES);
table!(slim_table, SLIM_VARIANTS);
table!(eol_table, END_OF_LIFE);
table!(traits_table, BASE_IMAGE_TRAITS);
table!(packages_table, PACKAGES);
table!(caches_table, PACKAGE_CACHES);
table!(manifests_table, DEPENDENCY_MANIFESTS);

/// Every embedded table by file name (for tests and for the docs).
pub fn tables() -> Vec<(&'static str, &'static Table)> {
    vec![
        ("base_image_sizes.tsv", sizes_table()),
        ("slim_variants.tsv", slim_table()),
        ("end_of_life.tsv", eol_table()),
        ("base_image_traits.tsv", traits_table()),
        ("packages.tsv", packages_table()),
        ("package_caches.tsv", caches_table()),
        ("dependency_manifests.tsv", manifests_table()),
    ]
    .into_iter()
    .chain(layers::layer_tables())
    .collect()
}

// ---------------------------------------------------------------------------------------
// Image references

/// The repository as people write it, for official images without `library/`
/// (`python`, `gcr.io/distroless/static`).
fn repo_name(image: &ImageRef) -> String {
    if image.explicit_registry && image.registry == "docker.io" {
        image
            .repository
            .strip_prefix("library/")
            .unwrap_or(&image.repository)
            .to_string()
    } else {
        image.short_name()
    }
}

/// The name of an official image (`python` for `python:3.12` or `docker.io/library/python`).
fn official_name(image: &ImageRef) -> Option<&str> {
    if image.registry == "docker.io" {
        image.repository.strip_prefix("library/")
    } else {
        None
    }
}

/// `*` matches any text (including `/` and `:`); everything else literally.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() {
        return false;
    }
    if !text[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

/// The leading version of a tag (`3.12.1-slim-bookworm` → `3.12.1`), if it starts with a digit.
fn tag_version(tag: &str) -> Option<&str> {
    let end = tag
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(tag.len());
    let v = tag[..end].trim_end_matches('.');
    (!v.is_empty() && v.starts_with(|c: char| c.is_ascii_digit())).then_some(v)
}

/// The first `n` dot-separated parts of a version.
fn version_prefix(version: &str, n: usize) -> String {
    version.split('.').take(n).collect::<Vec<_>>().join(".")
}

/// An inclusive size range in MB.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MbRange {
    pub low: f64,
    pub high: f64,
}

impl std::fmt::Display for MbRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if (self.high - self.low).abs() < 0.05 {
            write!(f, "~{:.0} MB", self.low)
        } else {
            write!(f, "~{:.0}-{:.0} MB", self.low, self.high)
        }
    }
}

fn parse_mb(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

// ---------------------------------------------------------------------------------------
// Sizes

/// A measured compressed (pull) size of an image variant.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageSize {
    pub image: &'static str,
    pub variant: &'static str,
    /// The version the figure was measured for (may differ from the one asked about).
    pub version: &'static str,
    pub compressed: MbRange,
    pub source: &'static str,
}

/// The compressed size of `image`'s `variant` (`full`, `slim`, `alpine`, `jre`, `jdk`),
/// preferring a figure measured for `version` (or its major version), else any version.
pub fn image_size(image: &str, variant: &str, version: Option<&str>) -> Option<ImageSize> {
    let rows: Vec<Row> = sizes_table()
        .iter()
        .filter(|r| r.get("image") == image && r.get("variant") == variant)
        .collect();
    let pick = version
        .and_then(|v| {
            rows.iter()
                .find(|r| r.get("version") == v)
                .or_else(|| {
                    let major = version_prefix(v, 1);
                    rows.iter()
                        .find(|r| version_prefix(r.get("version"), 1) == major)
                })
                .copied()
        })
        .or_else(|| rows.first().copied())?;
    Some(ImageSize {
        image: pick.get("image"),
        variant: pick.get("variant"),
        version: pick.get("version"),
        compressed: MbRange {
            low: parse_mb(pick.get("compressed_mb_low"))?,
            high: parse_mb(pick.get("compressed_mb_high"))?,
        },
        source: pick.get("source"),
    })
}

// ---------------------------------------------------------------------------------------
// Slim variants

/// How to get a smaller image of the same runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlimKind {
    /// Add a variant suffix (`3.12` → `3.12-slim`).
    Suffix,
    /// Ship the JRE instead of the JDK.
    JdkToJre,
    /// A toolchain image: build in it, ship the output on a small base.
    MultiStage,
}

/// A smaller variant of a full image.
#[derive(Clone, Debug, PartialEq)]
pub struct SlimVariant {
    pub kind: SlimKind,
    /// The reference to use instead (`python:3.12-slim`), or for [`SlimKind::MultiStage`] the
    /// small image of the same family (`golang:1.22-alpine`).
    pub suggestion: String,
    /// What the smaller variant leaves out.
    pub left_out: &'static str,
    /// Measured sizes of the current and suggested variants, when the table has them.
    pub current_size: Option<ImageSize>,
    pub suggested_size: Option<ImageSize>,
    pub source: &'static str,
}

/// Whether a tag names a small variant already (or an OS the table does not describe).
fn is_small_tag(tag: &str) -> bool {
    [
        "slim",
        "alpine",
        "jre",
        "windowsservercore",
        "nanoserver",
        "distroless",
    ]
    .iter()
    .any(|s| tag.contains(s))
}

/// The smaller variant of `image` if it is the full variant of an official image that
/// publishes one (python, node, ruby: `-slim`; openjdk, eclipse-temurin: JRE; golang: build
/// in it and ship elsewhere).
pub fn slim_variant(image: &ImageRef) -> Option<SlimVariant> {
    let name = official_name(image)?;
    let row = slim_table().iter().find(|r| r.get("image") == name)?;
    let tag = image.tag.as_deref().unwrap_or("latest");
    if is_small_tag(tag) {
        return None;
    }
    let version = tag_version(tag);
    let kind = match row.get("kind") {
        "suffix" => SlimKind::Suffix,
        "jdk-to-jre" => SlimKind::JdkToJre,
        "multi-stage" => SlimKind::MultiStage,
        _ => return None,
    };
    let variant = row.get("variant");
    let (suggestion, current_variant) = match kind {
        SlimKind::Suffix | SlimKind::MultiStage => {
            let base = match version {
                Some(v) => format!("{v}-{variant}"),
                None => variant.to_string(),
            };
            // `3.12-bookworm` → `3.12-slim-bookworm` keeps the Debian release.
            let suite = tag
                .strip_prefix(version.unwrap_or(""))
                .unwrap_or("")
                .trim_start_matches('-');
            let keep_suite = kind == SlimKind::Suffix
                && !suite.is_empty()
                && suite != "latest"
                && version.is_some();
            // python writes `3.12-slim-bookworm`, node `22-bookworm-slim`.
            let tag = match (keep_suite, row.get("suite_order"), version) {
                (true, "suite-variant", Some(v)) => format!("{v}-{suite}-{variant}"),
                (true, _, _) => format!("{base}-{suite}"),
                _ => base,
            };
            (format!("{name}:{tag}"), "full")
        }
        SlimKind::JdkToJre => {
            let new_tag = if tag.contains("jdk") {
                tag.replacen("jdk", "jre", 1)
            } else {
                match version {
                    Some(v) => format!("{v}-jre"),
                    None => "jre".to_string(),
                }
            };
            let target = if name == "openjdk" {
                "eclipse-temurin"
            } else {
                name
            };
            (format!("{target}:{new_tag}"), "jdk")
        }
    };
    let size_image = if kind == SlimKind::JdkToJre {
        "eclipse-temurin"
    } else {
        name
    };
    Some(SlimVariant {
        kind,
        suggestion,
        left_out: row.get("what_is_left_out"),
        current_size: image_size(size_image, current_variant, version),
        suggested_size: image_size(size_image, variant, version),
        source: row.get("source"),
    })
}

// ---------------------------------------------------------------------------------------
// End of life

/// The end of life of the version an image is tagged with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndOfLife {
    /// The product whose support ended (`python`, `debian`, `alpine`...).
    pub product: &'static str,
    /// The release cycle (`3.8`, `10`); `*` for a deprecated image.
    pub cycle: &'static str,
    /// The codename, for distributions (`buster`).
    pub codename: &'static str,
    /// `YYYY-MM-DD`.
    pub date: &'static str,
    /// The whole image is deprecated rather than one version ending.
    pub deprecated: bool,
    pub source: &'static str,
}

impl EndOfLife {
    /// Whether the end of life is on or before [`AS_OF`].
    pub fn is_past(&self) -> bool {
        self.date <= AS_OF
    }

    /// `python 3.8`, `debian 10 (buster)`.
    pub fn label(&self) -> String {
        match (self.cycle, self.codename) {
            ("*", _) => self.product.to_string(),
            (c, "") => format!("{} {c}", self.product),
            (c, n) => format!("{} {c} ({n})", self.product),
        }
    }
}

fn eol_row(product: &str, matches: impl Fn(&Row) -> bool) -> Option<EndOfLife> {
    let row = eol_table()
        .iter()
        .find(|r| r.get("image") == product && matches(r))?;
    Some(EndOfLife {
        product: row.get("image"),
        cycle: row.get("cycle"),
        codename: row.get("codename"),
        date: row.get("eol"),
        deprecated: row.get("kind") == "deprecated",
        source: row.get("source"),
    })
}

/// The end-of-life entry for a version (`python`, `3.8.10`): matched on major.minor, or on
/// the major alone for products whose cycles are majors (node, debian).
fn eol_for_version(product: &str, version: &str) -> Option<EndOfLife> {
    let two = version_prefix(version, 2);
    let one = version_prefix(version, 1);
    eol_row(product, |r| r.get("cycle") == two).or_else(|| {
        eol_row(product, |r| {
            r.get("cycle") == one && !r.get("cycle").contains('.')
        })
    })
}

/// The end of life that applies to `image`: its own version (python 3.8, node 16, alpine
/// 3.16, debian buster...), a distribution named in its tag (`3.11-buster`,
/// `3.9-alpine3.16`), or the deprecation of the whole image (openjdk). Only official images
/// are looked up. Entries not yet past are returned too: check [`EndOfLife::is_past`].
pub fn end_of_life(image: &ImageRef) -> Option<EndOfLife> {
    let name = official_name(image)?;
    if let Some(e) = eol_row(name, |r| r.get("cycle") == "*") {
        return Some(e);
    }
    let tag = image.tag.as_deref()?;
    let mut found = Vec::new();
    if let Some(version) = tag_version(tag) {
        found.extend(eol_for_version(name, version));
    }
    // Distribution releases named in the tag.
    for part in tag.split('-') {
        if let Some(v) = part.strip_prefix("alpine").and_then(tag_version) {
            found.extend(eol_for_version("alpine", v));
        }
        for distro in ["debian", "ubuntu"] {
            if let Some(e) = eol_row(distro, |r| r.get("codename") == part) {
                found.push(e);
            }
        }
    }
    if name == "debian" || name == "ubuntu" {
        if let Some(version) = tag_version(tag) {
            found.extend(eol_row(name, |r| {
                r.get("cycle") == version_prefix(version, 2)
            }));
            found.extend(eol_row(name, |r| {
                r.get("cycle") == version_prefix(version, 1)
            }));
        }
    }
    // The earliest past end of life is the most telling; else the first entry found.
    found
        .iter()
        .filter(|e| e.is_past())
        .min_by(|a, b| a.date.cmp(b.date))
        .or_else(|| found.first())
        .cloned()
}

// ---------------------------------------------------------------------------------------
// What a base image contains

/// What a base image contains; `None` means unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageTraits {
    pub shell: Option<bool>,
    pub curl: Option<bool>,
    pub wget: Option<bool>,
    /// `Some(true)` when the image runs as a non-root user by default.
    pub nonroot: Option<bool>,
    pub source: &'static str,
}

/// `FROM scratch`: nothing at all.
pub fn scratch_traits() -> ImageTraits {
    ImageTraits {
        shell: Some(false),
        curl: Some(false),
        wget: Some(false),
        nonroot: Some(false),
        source: "https://docs.docker.com/build/building/base-images/#create-a-minimal-base-image-using-scratch",
    }
}

fn yes_no(cell: &str) -> Option<bool> {
    match cell {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// What `image` is known to contain (shell, curl, wget) and which user it runs as.
pub fn image_traits(image: &ImageRef) -> Option<ImageTraits> {
    let key = format!(
        "{}:{}",
        repo_name(image),
        image.tag.as_deref().unwrap_or("latest")
    );
    // Several rules ask about the same few images for every file; matching the key against
    // every pattern of the table is what costs, so answers are remembered (per thread).
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<String, Option<ImageTraits>>> =
            Default::default();
    }
    if let Some(known) = SEEN.with(|seen| seen.borrow().get(&key).cloned()) {
        return known;
    }
    let traits = lookup_traits(&key);
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        // Bounded: a long-lived playground session sees an open-ended set of names.
        if seen.len() >= 4096 {
            seen.clear();
        }
        seen.insert(key, traits.clone());
    });
    traits
}

fn lookup_traits(key: &str) -> Option<ImageTraits> {
    let row = traits_table()
        .iter()
        .find(|r| wildcard_match(r.get("pattern"), key))?;
    Some(ImageTraits {
        shell: yes_no(row.get("shell")),
        curl: yes_no(row.get("curl")),
        wget: yes_no(row.get("wget")),
        nonroot: match row.get("user") {
            "nonroot" => Some(true),
            "root" => Some(false),
            _ => None,
        },
        source: row.get("source"),
    })
}

// ---------------------------------------------------------------------------------------
// Packages

/// What an OS package is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PackageKind {
    /// Compilers, build systems, headers.
    BuildTool,
    /// Editors, debuggers, remote shells.
    DebugTool,
}

/// Strips an apt/apk/rpm version or release pin (`gcc=4:12.2`, `gcc~12`, `vim/bookworm`).
fn package_base(name: &str) -> &str {
    let end = name.find(['=', '~', '>', '<', '/']).unwrap_or(name.len());
    name[..end].trim_end_matches(':')
}

/// The kind of an OS package: from the table, or by name (`*-dev`, `*-devel`, `*-headers`).
pub fn package_kind(name: &str) -> Option<PackageKind> {
    let base = package_base(name);
    if let Some(row) = packages_table().iter().find(|r| r.get("package") == base) {
        return match row.get("kind") {
            "build-tool" => Some(PackageKind::BuildTool),
            "debug-tool" => Some(PackageKind::DebugTool),
            _ => None,
        };
    }
    let pattern_build = base.ends_with("-dev")
        || base.ends_with("-devel")
        || base.ends_with("-headers")
        || (base.starts_with("gcc-") && base[4..].starts_with(|c: char| c.is_ascii_digit()))
        || (base.starts_with("g++-") && base[4..].starts_with(|c: char| c.is_ascii_digit()))
        || (base.starts_with("clang-") && base[6..].starts_with(|c: char| c.is_ascii_digit()));
    pattern_build.then_some(PackageKind::BuildTool)
}

/// Compilers, build tools and development headers (`build-essential`, `gcc`, `libpq-dev`).
pub fn is_build_tool_package(name: &str) -> bool {
    package_kind(name) == Some(PackageKind::BuildTool)
}

/// Editors and debugging tools (`vim`, `strace`, `openssh-server`).
pub fn is_debug_tool_package(name: &str) -> bool {
    package_kind(name) == Some(PackageKind::DebugTool)
}

/// A package's measured size (Debian 12, with its dependencies, `--no-install-recommends`).
#[derive(Clone, Debug, PartialEq)]
pub struct PackageSize {
    pub installed_mb: f64,
    pub download_mb: f64,
    pub source: &'static str,
}

/// The installed size of an apt package and its dependencies, when measured.
pub fn package_size(name: &str) -> Option<PackageSize> {
    let base = package_base(name);
    let row = packages_table().iter().find(|r| r.get("package") == base)?;
    Some(PackageSize {
        installed_mb: parse_mb(row.get("installed_mb"))?,
        download_mb: parse_mb(row.get("download_mb"))?,
        source: row.get("source"),
    })
}

// ---------------------------------------------------------------------------------------
// Package-manager caches and manifests

/// Where `manager` (`pip`, `npm`, `apt`, `go`...) keeps its cache when run as root.
pub fn cache_targets(manager: &str) -> Vec<&'static str> {
    caches_table()
        .iter()
        .filter(|r| r.get("manager") == manager)
        .map(|r| r.get("target"))
        .collect()
}

/// The manifest files a dependency install of `manager` reads (`npm` → `package.json`,
/// `package-lock.json`).
pub fn manifest_files(manager: &str) -> Vec<&'static str> {
    manifests_table()
        .iter()
        .find(|r| r.get("manager") == manager)
        .map(|r| r.get("files").split_whitespace().collect())
        .unwrap_or_default()
}

/// Whether a file name is a dependency manifest or lock file of any manager
/// (`requirements-dev.txt` and `package*.json` count).
pub fn is_manifest_file(basename: &str) -> bool {
    let name = basename.trim_end_matches('/');
    if name.starts_with("requirements") && name.ends_with(".txt") {
        return true;
    }
    if name.contains('*') {
        // A glob such as `package*.json` or `requirements*.txt` copies manifests only.
        return manifests_table().iter().any(|r| {
            r.get("files")
                .split_whitespace()
                .any(|f| wildcard_match(name, f))
        });
    }
    manifests_table()
        .iter()
        .any(|r| r.get("files").split_whitespace().any(|f| f == name))
        || name.starts_with("build.gradle")
        || name == "settings.gradle"
        || name == "gradle.lockfile"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(s: &str) -> ImageRef {
        ImageRef::parse(s).unwrap()
    }

    #[test]
    fn every_table_has_a_source_for_every_row() {
        for (name, table) in tables() {
            let source = table
                .column("source")
                .unwrap_or_else(|| panic!("{name}: no source column"));
            assert!(!table.rows.is_empty(), "{name}: empty");
            for row in &table.rows {
                assert_eq!(row.len(), table.header.len(), "{name}: {row:?}");
                assert!(
                    row.get(source).is_some_and(|s| !s.is_empty()),
                    "{name}: row without source: {row:?}"
                );
            }
        }
    }

    #[test]
    fn end_of_life_dates_are_iso_dates() {
        for row in eol_table().iter() {
            let d = row.get("eol");
            assert!(
                d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-',
                "{d}"
            );
        }
    }

    #[test]
    fn slim_variants() {
        assert_eq!(
            slim_variant(&image("node:22-bookworm")).unwrap().suggestion,
            "node:22-bookworm-slim"
        );
        let s = slim_variant(&image("python:3.12")).unwrap();
        assert_eq!(s.suggestion, "python:3.12-slim");
        assert_eq!(s.current_size.unwrap().compressed.low, 410.9);
        assert_eq!(s.suggested_size.unwrap().compressed.low, 43.2);
        assert_eq!(
            slim_variant(&image("python:3.11-bookworm"))
                .unwrap()
                .suggestion,
            "python:3.11-slim-bookworm"
        );
        assert_eq!(
            slim_variant(&image("node")).unwrap().suggestion,
            "node:slim"
        );
        assert!(slim_variant(&image("python:3.12-slim")).is_none());
        assert!(slim_variant(&image("node:20-alpine")).is_none());
        assert!(slim_variant(&image("nginx:1.27")).is_none());
        assert!(slim_variant(&image("myorg/python:3.12")).is_none());
        let jre = slim_variant(&image("eclipse-temurin:21-jdk")).unwrap();
        assert_eq!(jre.suggestion, "eclipse-temurin:21-jre");
        assert_eq!(jre.kind, SlimKind::JdkToJre);
        assert!(jre.suggested_size.is_some());
        assert_eq!(
            slim_variant(&image("openjdk:17")).unwrap().suggestion,
            "eclipse-temurin:17-jre"
        );
        let go = slim_variant(&image("golang:1.22")).unwrap();
        assert_eq!(go.kind, SlimKind::MultiStage);
        assert_eq!(go.suggestion, "golang:1.22-alpine");
    }

    #[test]
    fn end_of_life_lookups() {
        let e = end_of_life(&image("python:3.8-slim")).unwrap();
        assert_eq!((e.product, e.cycle), ("python", "3.8"));
        assert!(e.is_past());
        assert!(!end_of_life(&image("python:3.13")).unwrap().is_past());
        assert!(end_of_life(&image("node:18-alpine")).unwrap().is_past());
        assert!(!end_of_life(&image("node:22")).unwrap().is_past());
        let e = end_of_life(&image("python:3.12-buster")).unwrap();
        assert_eq!(e.product, "debian");
        let e = end_of_life(&image("node:22-alpine3.16")).unwrap();
        assert_eq!((e.product, e.cycle), ("alpine", "3.16"));
        assert!(end_of_life(&image("debian:buster-slim")).unwrap().is_past());
        assert!(end_of_life(&image("debian:10")).unwrap().is_past());
        assert!(!end_of_life(&image("debian:bookworm")).unwrap().is_past());
        assert!(end_of_life(&image("ubuntu:20.04")).unwrap().is_past());
        assert!(end_of_life(&image("ubuntu:focal")).unwrap().is_past());
        assert!(!end_of_life(&image("ubuntu:24.04")).unwrap().is_past());
        assert!(end_of_life(&image("alpine:3.18")).unwrap().is_past());
        assert!(end_of_life(&image("golang:1.21-alpine")).unwrap().is_past());
        assert!(end_of_life(&image("ruby:3.0")).unwrap().is_past());
        assert!(end_of_life(&image("php:8.0-apache")).unwrap().is_past());
        assert!(end_of_life(&image("openjdk:21")).unwrap().deprecated);
        assert!(end_of_life(&image("python:latest")).is_none());
        assert!(end_of_life(&image("myorg/python:2.7")).is_none());
        // `3` alone is not the 3.x cycle of anything.
        assert!(end_of_life(&image("python:3")).is_none());
    }

    #[test]
    fn traits() {
        let t = image_traits(&image("gcr.io/distroless/static-debian12:nonroot")).unwrap();
        assert_eq!((t.shell, t.nonroot), (Some(false), Some(true)));
        let t = image_traits(&image("gcr.io/distroless/python3-debian12")).unwrap();
        assert_eq!((t.shell, t.nonroot), (Some(false), Some(false)));
        let t = image_traits(&image("gcr.io/distroless/base:debug")).unwrap();
        assert_eq!(t.shell, Some(true));
        let t = image_traits(&image("python:3.13-slim")).unwrap();
        assert_eq!((t.curl, t.wget), (Some(false), Some(false)));
        let t = image_traits(&image("node:18-alpine")).unwrap();
        assert_eq!((t.curl, t.wget), (Some(false), Some(true)));
        let t = image_traits(&image("python:3.13")).unwrap();
        assert_eq!(t.curl, Some(true));
        assert!(image_traits(&image("myorg/app:1")).is_none());
    }

    #[test]
    fn packages() {
        assert!(is_build_tool_package("build-essential"));
        assert!(is_build_tool_package("libpq-dev"));
        assert!(is_build_tool_package("openssl-devel"));
        assert!(is_build_tool_package("gcc=4:12.2.0-3"));
        assert!(is_build_tool_package("gcc-12"));
        assert!(!is_build_tool_package("libpq5"));
        assert!(!is_build_tool_package("curl"));
        assert!(is_debug_tool_package("vim"));
        assert!(!is_debug_tool_package("gcc"));
        assert_eq!(package_size("build-essential").unwrap().installed_mb, 274.3);
        assert!(package_size("clang").is_none());
        assert_eq!(cache_targets("pip"), vec!["/root/.cache/pip"]);
        assert_eq!(manifest_files("go"), vec!["go.mod", "go.sum"]);
        assert!(is_manifest_file("requirements-dev.txt"));
        assert!(is_manifest_file("package*.json"));
        assert!(is_manifest_file("poetry.lock"));
        assert!(!is_manifest_file("app.py"));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("python:*slim*", "python:3.12-slim-bookworm"));
        assert!(wildcard_match(
            "gcr.io/distroless/*",
            "gcr.io/distroless/static:nonroot"
        ));
        assert!(!wildcard_match("python:*slim*", "python:3.12"));
        assert!(wildcard_match("a*b*c", "abc"));
        assert!(!wildcard_match("a*b*c", "ac"));
    }
}
