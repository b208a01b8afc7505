//! `RUN --mount=...` values (BuildKit's `commands_runmount.go`).

use serde::Serialize;

use crate::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MountType {
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mount {
    pub kind: MountType,
    pub from: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub id: Option<String>,
    pub sharing: Option<String>,
    pub readonly: bool,
    pub required: bool,
    pub mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub size: Option<String>,
    pub env: Option<String>,
    /// Span of the whole `--mount=...` flag.
    pub span: Span,
}

/// Parses one mount value (CSV of `key=value` fields, keys case-insensitive).
pub fn parse_mount(value: &str, span: Span) -> Result<Mount, String> {
    let fields = split_csv(value)?;
    let mut m = Mount {
        kind: MountType::Bind,
        from: None,
        source: None,
        target: None,
        id: None,
        sharing: None,
        readonly: true,
        required: false,
        mode: None,
        uid: None,
        gid: None,
        size: None,
        env: None,
        span,
    };
    let mut readonly_set = None;
    for field in fields {
        let (key, value) = match field.split_once('=') {
            Some((k, v)) => (k.to_lowercase(), Some(v.to_string())),
            None => (field.to_lowercase(), None),
        };
        let parse_bool = |v: &str| match v.to_lowercase().as_str() {
            "1" | "t" | "true" => Ok(true),
            "0" | "f" | "false" => Ok(false),
            _ => Err(format!("invalid value for {key}: {v}")),
        };
        let Some(value) = value else {
            match key.as_str() {
                "readonly" | "ro" => readonly_set = Some(true),
                "readwrite" | "rw" => readonly_set = Some(false),
                "required" if matches!(m.kind, MountType::Secret | MountType::Ssh) => {
                    m.required = true
                }
                "required" => {
                    return Err(format!(
                        "unexpected key '{key}' for mount type '{}'",
                        type_name(m.kind)
                    ))
                }
                _ => return Err(format!("invalid field '{field}' must be a key=value pair")),
            }
            continue;
        };
        match key.as_str() {
            "type" => {
                m.kind = match value.to_lowercase().as_str() {
                    "bind" => MountType::Bind,
                    "cache" => MountType::Cache,
                    "tmpfs" => MountType::Tmpfs,
                    "secret" => MountType::Secret,
                    "ssh" => MountType::Ssh,
                    _ => {
                        return Err(format!(
                            "unsupported mount type {}",
                            super::go_quote(&value)
                        ))
                    }
                }
            }
            "from" => {
                if value.contains('$') {
                    return Err(
                        "'from' doesn't support variable expansion, define alias stage instead"
                            .into(),
                    );
                }
                m.from = Some(value)
            }
            "source" | "src" => m.source = Some(value),
            "target" | "dst" | "destination" => m.target = Some(value),
            "readonly" | "ro" => readonly_set = Some(parse_bool(&value)?),
            "readwrite" | "rw" => readonly_set = Some(!parse_bool(&value)?),
            "required" if matches!(m.kind, MountType::Secret | MountType::Ssh) => {
                m.required = parse_bool(&value)?
            }
            "size" if m.kind == MountType::Tmpfs => m.size = Some(value),
            "env" if m.kind == MountType::Secret => m.env = Some(value),
            "required" | "size" | "env" => {
                return Err(format!(
                    "unexpected key '{key}' for mount type '{}'",
                    type_name(m.kind)
                ))
            }
            "id" => m.id = Some(value),
            "sharing" => match value.to_lowercase().as_str() {
                "shared" | "private" | "locked" => m.sharing = Some(value.to_lowercase()),
                _ => {
                    return Err(format!(
                        "unsupported sharing value {}",
                        super::go_quote(&value)
                    ))
                }
            },
            "mode" => {
                m.mode = Some(
                    u32::from_str_radix(&value, 8)
                        .map_err(|_| format!("invalid value {value} for mode"))?,
                )
            }
            "uid" => {
                m.uid = Some(
                    value
                        .parse()
                        .map_err(|_| format!("invalid value {value} for uid"))?,
                )
            }
            "gid" => {
                m.gid = Some(
                    value
                        .parse()
                        .map_err(|_| format!("invalid value {value} for gid"))?,
                )
            }
            _ => return Err(format!("unexpected key '{key}' in '{field}'")),
        }
    }
    validate(&mut m, readonly_set)?;
    Ok(m)
}

fn validate(m: &mut Mount, readonly_set: Option<bool>) -> Result<(), String> {
    let file_info_allowed = matches!(
        m.kind,
        MountType::Secret | MountType::Ssh | MountType::Cache
    );
    let kind = type_name(m.kind);
    if !file_info_allowed {
        for (name, set) in [
            ("mode", m.mode.is_some()),
            ("uid", m.uid.is_some()),
            ("gid", m.gid.is_some()),
        ] {
            if set {
                return Err(format!("{name} not allowed for \"{kind}\" type mounts"));
            }
        }
    }
    m.readonly = readonly_set.unwrap_or(!matches!(m.kind, MountType::Cache | MountType::Tmpfs));
    if m.kind == MountType::Secret {
        if m.from.is_some() {
            return Err("secret mount should not have a from".into());
        }
        if m.sharing.is_some() {
            return Err("secret mount should not define sharing".into());
        }
        if m.source.is_some() && m.id.is_some() {
            return Err("both source and id can't be set".into());
        }
    }
    if m.sharing.is_some() && m.kind != MountType::Cache {
        return Err(format!("invalid cache sharing set for {kind} mount"));
    }
    Ok(())
}

pub fn type_name(kind: MountType) -> &'static str {
    match kind {
        MountType::Bind => "bind",
        MountType::Cache => "cache",
        MountType::Tmpfs => "tmpfs",
        MountType::Secret => "secret",
        MountType::Ssh => "ssh",
    }
}

/// One line of Go's `encoding/csv`: commas separate fields; a field may be double-quoted
/// (`""` is a literal quote); a quote inside an unquoted field is an error.
fn split_csv(value: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut chars = value.chars().peekable();
    let mut column = 0;
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            column += 1;
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => {
                        return Err(format!(
                            "failed to parse csv mounts: parse error on line 1, column {column}: extraneous or missing \" in quoted-field"
                        ))
                    }
                }
                column += 1;
            }
            match chars.next() {
                None => {
                    fields.push(field);
                    return Ok(fields);
                }
                Some(',') => {}
                Some(_) => {
                    return Err(format!(
                        "failed to parse csv mounts: parse error on line 1, column {column}: extraneous or missing \" in quoted-field"
                    ))
                }
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(field);
                        return Ok(fields);
                    }
                    Some(',') => break,
                    Some('"') => {
                        return Err(format!(
                            "failed to parse csv mounts: parse error on line 1, column {column}: bare \" in non-quoted-field"
                        ))
                    }
                    Some(c) => field.push(c),
                }
                column += 1;
            }
        }
        fields.push(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mount(s: &str) -> Result<Mount, String> {
        parse_mount(s, Span::default())
    }

    #[test]
    fn parses_cache_and_secret_mounts() {
        let m = mount("type=cache,target=/root/.cache/pip,sharing=locked").unwrap();
        assert_eq!(m.kind, MountType::Cache);
        assert_eq!(m.target.as_deref(), Some("/root/.cache/pip"));
        assert!(!m.readonly);
        let m = mount("type=secret,id=token,required").unwrap();
        assert!(m.required && m.readonly);
        let m = mount("from=build,source=/out,target=/in,rw").unwrap();
        assert_eq!(m.kind, MountType::Bind);
        assert!(!m.readonly);
        let m = mount("\"type=bind\",target=/a").unwrap();
        assert_eq!(m.target.as_deref(), Some("/a"));
    }

    #[test]
    fn rejects_what_buildkit_rejects() {
        assert!(mount("type=foo")
            .unwrap_err()
            .contains("unsupported mount type"));
        assert!(mount("type=bind,mode=0700")
            .unwrap_err()
            .contains("mode not allowed"));
        assert!(mount("type=bind,sharing=locked")
            .unwrap_err()
            .contains("sharing"));
        assert!(mount("from=$X").unwrap_err().contains("variable expansion"));
        assert!(mount("target").unwrap_err().contains("key=value"));
        assert!(mount("a\"b").unwrap_err().contains("bare"));
        assert!(mount("bogus=1").unwrap_err().contains("unexpected key"));
    }
}
