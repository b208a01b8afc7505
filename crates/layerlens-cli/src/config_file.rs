//! Reading `.hadolint.yaml` (as hadolint reads it) and our `.layerlens.yaml`.
//!
//! `.layerlens.yaml` takes every hadolint key plus:
//! - `target: <stage>`: the stage the build targets (default: the last one);
//! - `required-oci-labels: [..]`: the labels LL1013 expects in the final image;
//! - `rules: {CODE: off|error|warning|info|style}`: turn rules off or change severity.
//!
//! Lists from several sources add up and scalars from later sources win, as in hadolint
//! (environment, then `.hadolint.yaml`, then `.layerlens.yaml`, then `--config`, then flags).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use layerlens_core::rules::{Config, LabelType, Severity};
use serde::Deserialize;

/// The keys of hadolint's config file, plus ours.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FileConfig {
    pub failure_threshold: Option<String>,
    pub format: Option<String>,
    #[serde(default)]
    pub ignored: Vec<String>,
    #[serde(default)]
    pub override_: Option<Overrides>,
    #[serde(default, alias = "trustedRegistries")]
    pub trusted_registries: Vec<String>,
    #[serde(default)]
    pub label_schema: BTreeMap<String, Option<String>>,
    pub strict_labels: Option<bool>,
    pub disable_ignore_pragma: Option<bool>,
    pub no_fail: Option<bool>,
    pub no_color: Option<bool>,
    pub target: Option<String>,
    pub required_oci_labels: Option<Vec<String>>,
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Overrides {
    #[serde(default)]
    pub error: Vec<String>,
    #[serde(default)]
    pub warning: Vec<String>,
    #[serde(default)]
    pub info: Vec<String>,
    #[serde(default)]
    pub style: Vec<String>,
}

/// Parses one config file's text. `override` is a Rust keyword, so it is renamed here.
pub fn parse(text: &str) -> Result<FileConfig, String> {
    let mut value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    if value.is_null() {
        return Ok(FileConfig::default());
    }
    if let Some(map) = value.as_mapping_mut() {
        if let Some(o) = map.remove("override") {
            map.insert("override-".into(), o);
        }
    }
    serde_yaml::from_value(value).map_err(|e| e.to_string())
}

/// Adds a file's settings to `config`. Returns an error message for bad values.
pub fn apply(file: &FileConfig, config: &mut Config) -> Result<(), String> {
    config.ignored.extend(file.ignored.iter().cloned());
    if let Some(o) = &file.override_ {
        // Applied style → info → warning → error, so error wins, as in hadolint.
        for (list, severity) in [
            (&o.style, Severity::Style),
            (&o.info, Severity::Info),
            (&o.warning, Severity::Warning),
            (&o.error, Severity::Error),
        ] {
            for code in list {
                config.overrides.insert(code.clone(), severity);
            }
        }
    }
    config
        .trusted_registries
        .extend(file.trusted_registries.iter().cloned());
    for (name, kind) in &file.label_schema {
        let kind_text = kind.as_deref().unwrap_or("");
        let kind = LabelType::parse(kind_text)
            .ok_or_else(|| format!("label-schema: unknown type `{kind_text}` for `{name}`"))?;
        config.label_schema.insert(name.clone(), kind);
    }
    if let Some(v) = file.strict_labels {
        config.strict_labels = v;
    }
    if let Some(v) = file.disable_ignore_pragma {
        config.disable_ignore_pragma = v;
    }
    if let Some(v) = file.no_fail {
        config.no_fail = v;
    }
    if let Some(t) = &file.failure_threshold {
        config.failure_threshold =
            parse_threshold(t).ok_or_else(|| format!("failure-threshold: unknown level `{t}`"))?;
    }
    if let Some(t) = &file.target {
        config.target = Some(t.clone());
    }
    if let Some(labels) = &file.required_oci_labels {
        config.required_oci_labels = labels.clone();
    }
    for (code, setting) in &file.rules {
        match setting.to_ascii_lowercase().as_str() {
            "off" | "ignore" | "false" => config.ignored.push(code.clone()),
            other => {
                let severity = Severity::parse(other)
                    .ok_or_else(|| format!("rules: unknown setting `{setting}` for `{code}`"))?;
                config.overrides.insert(code.clone(), severity);
            }
        }
    }
    Ok(())
}

/// A failure threshold: a severity, or `none` (never fail).
pub fn parse_threshold(s: &str) -> Option<Severity> {
    Severity::parse(s)
}

/// hadolint's config discovery: the first file found wins.
pub fn find_hadolint_config() -> Option<PathBuf> {
    let mut candidates = vec![
        PathBuf::from(".hadolint.yaml"),
        PathBuf::from(".hadolint.yml"),
    ];
    if let Some(xdg) = std::env::var_os("XDG_CONFIG_HOME") {
        let xdg = PathBuf::from(xdg);
        candidates.push(xdg.join("hadolint.yaml"));
        candidates.push(xdg.join("hadolint.yml"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        for name in ["hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml"] {
            candidates.push(home.join(".hadolint").join(name));
        }
        candidates.push(home.join(".hadolint.yaml"));
        candidates.push(home.join(".hadolint.yml"));
    }
    candidates.into_iter().find(|p| p.is_file())
}

/// Our own config in the current directory.
pub fn find_layerlens_config() -> Option<PathBuf> {
    [".layerlens.yaml", ".layerlens.yml"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// hadolint's environment variables.
pub fn apply_env(config: &mut Config) {
    let truthy = |name: &str| {
        std::env::var(name)
            .map(|v| {
                matches!(
                    v.to_ascii_lowercase().as_str(),
                    "1" | "y" | "yes" | "on" | "true"
                )
            })
            .unwrap_or(false)
    };
    let list = |name: &str| -> Vec<String> {
        std::env::var(name)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    if truthy("HADOLINT_NOFAIL") {
        config.no_fail = true;
    }
    if truthy("HADOLINT_STRICT_LABELS") {
        config.strict_labels = true;
    }
    if truthy("HADOLINT_DISABLE_IGNORE_PRAGMA") {
        config.disable_ignore_pragma = true;
    }
    if let Some(t) = std::env::var("HADOLINT_FAILURE_THRESHOLD")
        .ok()
        .as_deref()
        .and_then(parse_threshold)
    {
        config.failure_threshold = t;
    }
    config.ignored.extend(list("HADOLINT_IGNORE"));
    config
        .trusted_registries
        .extend(list("HADOLINT_TRUSTED_REGISTRIES"));
    for (name, severity) in [
        ("HADOLINT_OVERRIDE_STYLE", Severity::Style),
        ("HADOLINT_OVERRIDE_INFO", Severity::Info),
        ("HADOLINT_OVERRIDE_WARNING", Severity::Warning),
        ("HADOLINT_OVERRIDE_ERROR", Severity::Error),
    ] {
        for code in list(name) {
            config.overrides.insert(code, severity);
        }
    }
}

/// Reads and applies one file; returns it for the output settings it holds.
pub fn load_into(path: &Path, config: &mut Config) -> Result<FileConfig, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file = parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    apply(&file, config).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hadolint_keys_and_ours() {
        let file = parse(
            "failure-threshold: warning\nignored: [DL3008]\noverride:\n  error: [DL3001]\n  info: [DL3001]\ntrustedRegistries:\n  - docker.io\nlabel-schema:\n  author: text\n  version: semver\nstrict-labels: true\nrules:\n  LL1009: off\n  LL1013: warning\n",
        )
        .unwrap();
        let mut config = Config::default();
        apply(&file, &mut config).unwrap();
        assert_eq!(config.failure_threshold, Severity::Warning);
        assert!(config.is_ignored("DL3008") && config.is_ignored("LL1009"));
        assert_eq!(config.overrides["DL3001"], Severity::Error);
        assert_eq!(config.overrides["LL1013"], Severity::Warning);
        assert_eq!(config.trusted_registries, ["docker.io"]);
        assert_eq!(config.label_schema["version"], LabelType::Semver);
        assert!(config.strict_labels);
    }

    #[test]
    fn bad_values_are_reported() {
        let file = parse("label-schema:\n  a: banana\n").unwrap();
        assert!(apply(&file, &mut Config::default())
            .unwrap_err()
            .contains("banana"));
        assert!(parse("ignored: [unterminated").is_err());
        assert!(parse("").is_ok());
    }
}
