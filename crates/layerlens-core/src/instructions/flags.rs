//! Flag validation of BuildKit's instruction layer (`bflag.go`).

use crate::syntax::{Flag, ParseError, Text};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FlagType {
    /// `--x`, `--x=true|false`.
    Bool,
    /// `--x=value`, once.
    String,
    /// `--x=value`, repeatable.
    Strings,
}

/// The flags an instruction accepts, checked in the order they are written.
pub struct FlagSpec<'a> {
    pub allowed: &'a [(&'a str, FlagType)],
}

/// A flag value found on the instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagValue {
    pub name: String,
    /// The value after `=` (for bools: `true`/`false`).
    pub value: String,
    /// The whole flag as written.
    pub text: Text,
}

/// Checks `flags` against the spec; returns the values in order, or the first error.
pub fn check(flags: &[Flag], spec: &FlagSpec) -> Result<Vec<FlagValue>, ParseError> {
    let mut values: Vec<FlagValue> = Vec::new();
    for flag in flags {
        let fail = |message: String| ParseError {
            span: flag.text.span,
            message,
        };
        let raw = flag.text.value.as_str();
        let Some(body) = raw.strip_prefix("--") else {
            return Err(fail(format!("arg should start with -- : {raw}")));
        };
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        let Some(&(_, kind)) = spec.allowed.iter().find(|(n, _)| *n == name) else {
            let mut message = format!("unknown flag: --{name}");
            if let Some(hint) = suggest(name, spec.allowed.iter().map(|(n, _)| *n)) {
                message.push_str(&format!(" (did you mean --{hint}?)"));
            }
            return Err(fail(message));
        };
        if kind != FlagType::Strings && values.iter().any(|v| v.name == name) {
            return Err(fail(format!("duplicate flag specified: --{name}")));
        }
        let value = match (kind, value) {
            (FlagType::Bool, None) => "true".to_string(),
            (FlagType::Bool, Some("")) => {
                return Err(fail(format!("missing a value on flag: --{name}")))
            }
            (FlagType::Bool, Some(v)) => match v.to_lowercase().as_str() {
                "true" => "true".to_string(),
                "false" => "false".to_string(),
                _ => {
                    return Err(fail(format!(
                        "expecting boolean value for flag --{name}, not: {v}"
                    )))
                }
            },
            (_, None) => return Err(fail(format!("missing a value on flag: --{name}"))),
            (_, Some(v)) => v.to_string(),
        };
        values.push(FlagValue {
            name: name.to_string(),
            value,
            text: flag.text.clone(),
        });
    }
    Ok(values)
}

/// The closest candidate within a small edit distance, for "did you mean" hints.
pub fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .map(|c| (edit_distance(&word, &c.to_lowercase()), c))
        .filter(|&(d, c)| d > 0 && d <= (c.len() / 3).max(1))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Edit distance counting an adjacent swap as one edit (optimal string alignment).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_need_a_close_match() {
        let names = ["from", "chown", "chmod", "link"];
        assert_eq!(suggest("form", names.into_iter()), Some("from"));
        assert_eq!(suggest("chmd", names.into_iter()), Some("chmod"));
        assert_eq!(suggest("zzzzzz", names.into_iter()), None);
    }
}
