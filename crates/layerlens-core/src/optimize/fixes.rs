//! The rule fixes: whatever fixes the lint rules attach to their findings, one rule at a
//! time (every fix of that rule that fits together), re-linted after each step by the
//! engine. Works with any rule that carries fixes; nothing here knows a particular rule.
//!
//! In the optimizer, the fixes of rules whose remedy is one of the structural moves are left
//! to that move (it decides with more context, and switching the move off must switch the
//! remedy off too): see [`OWNED`].

use crate::fix::{Applicability, Edit, Fix};
use crate::rules::{self, Finding};
use crate::text::Span;

use super::engine::{Candidate, Ctx, Proposal};
use super::MoveKind;

/// Rules whose remedy is a structural move, with the move that owns it.
pub const OWNED: [(&str, MoveKind); 12] = [
    ("DL3003", MoveKind::Workdir),
    ("LL1011", MoveKind::NonRoot),
    ("DL3002", MoveKind::NonRoot),
    ("DL3025", MoveKind::ExecForm),
    ("JSONArgsRecommended", MoveKind::ExecForm),
    ("LL1015", MoveKind::ExecForm),
    ("DL3059", MoveKind::MergeRuns),
    ("LL1006", MoveKind::MergeRuns),
    ("LL1001", MoveKind::Reorder),
    ("LL1002", MoveKind::Reorder),
    ("LL1004", MoveKind::CacheMount),
    ("LL1005", MoveKind::StageSplit),
];

fn owned(code: &str) -> bool {
    OWNED.iter().any(|(c, _)| *c == code)
}

/// Chooses fixes greedily in order, skipping any that touch text an earlier chosen fix
/// edits (as `fix::apply_fixes` does), and returns the chosen edits and titles.
fn choose<'a>(source: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> (Vec<Edit>, Vec<&'a Fix>) {
    let mut chosen: Vec<Edit> = Vec::new();
    let mut used = Vec::new();
    for fix in fixes {
        let clashes = fix.edits.iter().any(|e| {
            chosen.iter().any(|c| {
                (e.span.start < c.span.end && c.span.start < e.span.end)
                    || (e.span == c.span && e.span.is_empty())
            })
        });
        if clashes {
            continue;
        }
        let mut trial = chosen.clone();
        trial.extend(fix.edits.iter().cloned());
        if crate::fix::apply(source, &trial).is_ok() {
            chosen = trial;
            used.push(fix);
        }
    }
    (chosen, used)
}

/// One candidate per rule with applicable fixes, rules in the order of their first fixable
/// finding in the text.
pub fn propose(cx: &Ctx, optimizing: bool) -> Vec<Proposal> {
    let allow_unsafe = cx.options.allow_unsafe;
    let mut out = Vec::new();
    let mut codes: Vec<&'static str> = Vec::new();
    for f in cx.findings.iter().filter(|f| f.fix.is_some()) {
        if !codes.contains(&f.code) {
            codes.push(f.code);
        }
    }
    for code in codes {
        if optimizing && owned(code) {
            continue;
        }
        let summary = rules::find(code).map(|r| r.summary).unwrap_or("");
        let findings: Vec<&Finding> = cx
            .findings
            .iter()
            .filter(|f| f.code == code && f.fix.is_some())
            .collect();
        if findings.is_empty() {
            continue;
        }
        let usable: Vec<&Fix> = findings
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .filter(|fix| allow_unsafe || fix.applicability == Applicability::Safe)
            .filter(|fix| !fix.edits.is_empty())
            .collect();
        let at = findings
            .iter()
            .map(|f| f.span)
            .reduce(Span::cover)
            .unwrap_or_default();
        if usable.is_empty() {
            // Only unsafe fixes: let the engine report them as skipped.
            let mut c = Candidate::new(MoveKind::Fix, Applicability::Unsafe, at);
            c.title = findings
                .iter()
                .filter_map(|f| f.fix.as_ref())
                .map(|f| f.title.clone())
                .next()
                .unwrap_or_default();
            c.rules = vec![code.to_string()];
            c.key = format!("fix:{}:unsafe", code);
            out.push(Ok(c));
            continue;
        }
        let (edits, used) = choose(&cx.model.doc.text, usable);
        if edits.is_empty() {
            continue;
        }
        let applicability = if used
            .iter()
            .any(|f| f.applicability == Applicability::Unsafe)
        {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        let mut titles: Vec<String> = Vec::new();
        for f in &used {
            if !titles.contains(&f.title) {
                titles.push(f.title.clone());
            }
        }
        let mut c = Candidate::new(MoveKind::Fix, applicability, at);
        c.title = if titles.len() > 3 {
            format!("{}; {} and {} more", titles[0], titles[1], titles.len() - 2)
        } else {
            titles.join("; ")
        };
        c.moved = if used.len() == 1 {
            format!("1 fix of {}", code)
        } else {
            format!("{} fixes of {}", used.len(), code)
        };
        c.rules = vec![code.to_string()];
        c.why = summary.to_string();
        c.key = format!("fix:{}:{}", code, c.title);
        c.edits = edits;
        out.push(Ok(c));
    }
    out
}
