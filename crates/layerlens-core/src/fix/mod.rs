//! Fixes: plain text edits on byte ranges, marked safe or unsafe.
//!
//! A **safe** fix cannot change what the image contains or does (adding `--no-cache-dir`,
//! `ADD` → `COPY` for a local file, keyword casing...). An **unsafe** fix may change the
//! result (version pins, a slim base, a non-root user, merging RUNs...) and is only applied
//! when asked.

use serde::Serialize;

use crate::text::Span;

/// Replace `span` with `text` (an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

impl Edit {
    pub fn replace(span: Span, text: impl Into<String>) -> Edit {
        Edit {
            span,
            text: text.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit::replace(Span::empty(at), text)
    }

    pub fn delete(span: Span) -> Edit {
        Edit::replace(span, "")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Cannot change what the image contains or does.
    Safe,
    /// May change the result; applied only on request.
    Unsafe,
}

/// One fix: a title and the edits that make it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            applicability: Applicability::Safe,
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            applicability: Applicability::Unsafe,
        }
    }
}

/// Why edits could not be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FixError {
    /// Two edits touch the same text.
    Overlap(Span, Span),
    /// An edit lies outside the text or splits a character.
    OutOfBounds(Span),
}

/// Applies non-overlapping edits to `source`. Edits may come in any order; two insertions
/// at the same offset keep their given order.
pub fn apply(source: &str, edits: &[Edit]) -> Result<String, FixError> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    let mut previous: Option<Span> = None;
    for edit in sorted {
        let span = edit.span;
        let in_bounds = span.start <= span.end
            && span.end <= source.len()
            && source.is_char_boundary(span.start)
            && source.is_char_boundary(span.end);
        if !in_bounds {
            return Err(FixError::OutOfBounds(span));
        }
        if let Some(p) = previous {
            // Touching is fine; sharing bytes is not.
            if span.start < p.end {
                return Err(FixError::Overlap(p, span));
            }
        }
        out.push_str(&source[at..span.start]);
        out.push_str(&edit.text);
        at = span.end;
        previous = Some(span);
    }
    out.push_str(&source[at..]);
    Ok(out)
}

/// Applies as many fixes as fit together, in order, skipping any whose edits would overlap
/// an earlier chosen one. Returns the new text and how many fixes were applied.
pub fn apply_fixes<'a>(source: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> (String, usize) {
    let mut chosen: Vec<Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let clashes = fix.edits.iter().any(|e| {
            chosen.iter().any(|c| {
                e.span.start < c.span.end && c.span.start < e.span.end
                    || (e.span == c.span && e.span.is_empty())
            })
        });
        if clashes {
            continue;
        }
        let mut trial = chosen.clone();
        trial.extend(fix.edits.iter().cloned());
        if apply(source, &trial).is_ok() {
            chosen = trial;
            applied += 1;
        }
    }
    let text = apply(source, &chosen).unwrap_or_else(|_| source.to_string());
    (text, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_sorted_edits() {
        let s = "RUN pip install flask";
        let edits = [
            Edit::insert(15, " --no-cache-dir"),
            Edit::replace(Span::new(0, 3), "run"),
        ];
        assert_eq!(
            apply(s, &edits).unwrap(),
            "run pip install --no-cache-dir flask"
        );
    }

    #[test]
    fn rejects_overlaps_and_bad_spans() {
        let s = "abcdef";
        assert!(matches!(
            apply(
                s,
                &[Edit::delete(Span::new(0, 3)), Edit::delete(Span::new(2, 4))]
            ),
            Err(FixError::Overlap(..))
        ));
        assert!(matches!(
            apply(s, &[Edit::delete(Span::new(4, 9))]),
            Err(FixError::OutOfBounds(_))
        ));
        assert!(matches!(
            apply("é", &[Edit::delete(Span::new(0, 1))]),
            Err(FixError::OutOfBounds(_))
        ));
    }

    #[test]
    fn apply_fixes_skips_clashing_fixes() {
        let s = "abc";
        let a = Fix::safe("a", vec![Edit::replace(Span::new(0, 1), "A")]);
        let b = Fix::safe("b", vec![Edit::replace(Span::new(0, 2), "XY")]);
        let c = Fix::safe("c", vec![Edit::insert(3, "!")]);
        assert_eq!(apply_fixes(s, [&a, &b, &c]), ("Abc!".to_string(), 2));
    }
}
