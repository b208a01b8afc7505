//! Image references as Docker normalises them (`python:3.13` → `docker.io/library/python:3.13`).

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    /// The reference as written (after ARG expansion).
    pub raw: String,
    /// Registry host; `docker.io` when none is written.
    pub registry: String,
    /// Whether the registry was written explicitly.
    pub explicit_registry: bool,
    /// Repository path without registry (`library/python`, `distroless/python3-debian12`).
    pub repository: String,
    /// Last path component (`python`).
    pub name: String,
    pub tag: Option<String>,
    /// `sha256:...` when pinned by digest.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses a reference. Returns `None` for text that cannot be one (empty, spaces,
    /// unexpanded variables).
    pub fn parse(raw: &str) -> Option<ImageRef> {
        if raw.is_empty() || raw.contains(|c: char| c.is_whitespace() || c == '$') {
            return None;
        }
        let (rest, digest) = match raw.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (raw, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (path, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (
                &rest[..last_slash + i],
                Some(rest[last_slash + i + 1..].to_string()),
            ),
            None => (rest, None),
        };
        if path.is_empty() || tag.as_deref() == Some("") || digest.as_deref() == Some("") {
            return None;
        }
        let (registry, explicit_registry, repository) = match path.split_once('/') {
            Some((first, remainder))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_string(), true, remainder.to_string())
            }
            _ if path.contains('/') => ("docker.io".to_string(), false, path.to_string()),
            _ => ("docker.io".to_string(), false, format!("library/{path}")),
        };
        let name = repository.rsplit('/').next().unwrap_or("").to_string();
        Some(ImageRef {
            raw: raw.to_string(),
            registry,
            explicit_registry,
            repository,
            name,
            tag,
            digest,
        })
    }

    /// Whether this is Docker Hub's official image (`library/...`).
    pub fn is_official(&self) -> bool {
        self.registry == "docker.io" && self.repository.starts_with("library/")
    }

    /// The reference's repository the way people write it (`python`, `gcr.io/x/y`).
    pub fn short_name(&self) -> String {
        if self.explicit_registry {
            format!("{}/{}", self.registry, self.repository)
        } else {
            self.repository
                .strip_prefix("library/")
                .unwrap_or(&self.repository)
                .to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_docker() {
        let r = ImageRef::parse("python:3.13-slim").unwrap();
        assert_eq!(r.registry, "docker.io");
        assert_eq!(r.repository, "library/python");
        assert_eq!(r.tag.as_deref(), Some("3.13-slim"));
        assert!(r.is_official());
        assert_eq!(r.short_name(), "python");

        let r = ImageRef::parse("localhost:5000/team/app:1@sha256:abc").unwrap();
        assert_eq!(r.registry, "localhost:5000");
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.name, "app");
        assert_eq!(r.tag.as_deref(), Some("1"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));

        let r = ImageRef::parse("gcr.io/distroless/python3-debian12").unwrap();
        assert_eq!(r.short_name(), "gcr.io/distroless/python3-debian12");
        assert_eq!(r.tag, None);

        let r = ImageRef::parse("bitnami/redis").unwrap();
        assert_eq!(r.repository, "bitnami/redis");
        assert!(!r.is_official());

        assert!(ImageRef::parse("${BASE}").is_none());
        assert!(ImageRef::parse("").is_none());
        assert!(ImageRef::parse("a:").is_none());
    }
}
