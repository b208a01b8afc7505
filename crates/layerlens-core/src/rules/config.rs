//! Lint configuration: hadolint's settings (as `.hadolint.yaml` holds them) plus ours.
//!
//! The core takes a ready [`Config`]; reading YAML files is the CLI's job.

use std::collections::BTreeMap;

use super::Severity;

/// Types a label can be required to have (hadolint's `label-schema`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelType {
    Text,
    Url,
    Semver,
    Hash,
    Rfc3339,
    Spdx,
    Email,
}

impl LabelType {
    pub fn parse(s: &str) -> Option<LabelType> {
        Some(match s.trim() {
            "" | "text" => LabelType::Text,
            "url" => LabelType::Url,
            "semver" => LabelType::Semver,
            "hash" => LabelType::Hash,
            "rfc3339" => LabelType::Rfc3339,
            "spdx" => LabelType::Spdx,
            "email" => LabelType::Email,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Rule codes never reported.
    pub ignored: Vec<String>,
    /// Severity overrides by rule code.
    pub overrides: BTreeMap<String, Severity>,
    /// Registries FROM images may come from (`*`, `*.suffix`, `prefix*` patterns); empty
    /// means any (DL3026 is off).
    pub trusted_registries: Vec<String>,
    /// Required labels and their types (DL3049–DL3058).
    pub label_schema: BTreeMap<String, LabelType>,
    /// Labels outside the schema are findings (DL3050).
    pub strict_labels: bool,
    /// `# hadolint ignore=` / `# layerlens ignore=` pragmas have no effect.
    pub disable_ignore_pragma: bool,
    /// The lowest severity that makes the CLI fail.
    pub failure_threshold: Severity,
    /// Never fail (exit 0) whatever is found.
    pub no_fail: bool,
    /// The stage the build targets (`--target`); the last stage when `None`.
    pub target: Option<String>,
    /// OCI labels LL1013 expects in the final image.
    pub required_oci_labels: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            ignored: Vec::new(),
            overrides: BTreeMap::new(),
            trusted_registries: Vec::new(),
            label_schema: BTreeMap::new(),
            strict_labels: false,
            disable_ignore_pragma: false,
            failure_threshold: Severity::Info,
            no_fail: false,
            target: None,
            required_oci_labels: [
                "org.opencontainers.image.source",
                "org.opencontainers.image.version",
                "org.opencontainers.image.description",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

impl Config {
    /// The severity `code` has after overrides (`default` when not overridden).
    pub fn severity_of(&self, code: &str, default: Severity) -> Severity {
        self.overrides.get(code).copied().unwrap_or(default)
    }

    pub fn is_ignored(&self, code: &str) -> bool {
        self.ignored.iter().any(|c| c.eq_ignore_ascii_case(code))
    }
}
