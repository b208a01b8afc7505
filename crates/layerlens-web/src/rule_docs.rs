//! A rule's documentation under a diagnostic: what it is about, why it matters, and the
//! rule's own bad → good example. Everything comes from the core's rule registry
//! (`layerlens_core::rules::find`); only parse errors, which are not rules, get their
//! explanation here.

use std::collections::BTreeSet;

use layerlens_core::analysis::SYNTAX_ERROR_CODE;
use layerlens_core::rules::{self, Origin, Rule};
use yew::prelude::*;

use crate::view::code_spans;

/// Text with `backticked` parts as code.
pub fn rich(text: &str) -> Html {
    code_spans(text)
        .into_iter()
        .map(|(code, run)| {
            if code {
                html! { <code>{ run.to_owned() }</code> }
            } else {
                html! { { run.to_owned() } }
            }
        })
        .collect()
}

fn origin_label(origin: Origin) -> &'static str {
    match origin {
        Origin::Hadolint => "hadolint rule",
        Origin::Buildkit => "BuildKit check",
        Origin::Layerlens => "Layerlens rule",
    }
}

/// A code example with the lines the other one lacks marked (`changed`).
fn example(text: &str, other: &str, kind: &'static str) -> Html {
    let theirs: BTreeSet<&str> = other.lines().map(str::trim_end).collect();
    let lines = text.trim_end_matches('\n').lines().map(|line| {
        let changed = !line.trim().is_empty() && !theirs.contains(line.trim_end());
        html! {
            <span class={classes!("ex-line", changed.then_some("changed"))}>{ format!("{line}\n") }</span>
        }
    });
    let (caption, testid) = match kind {
        "bad" => ("Flagged", "rule-bad"),
        _ => ("Better", "rule-good"),
    };
    html! {
        <figure class={classes!("example", kind)} data-testid={testid}>
            <figcaption>
                <span class="ex-mark" aria-hidden="true">{ if kind == "bad" { "✗" } else { "✓" } }</span>
                { caption }
            </figcaption>
            <pre><code>{ for lines }</code></pre>
        </figure>
    }
}

fn rule_docs(rule: &Rule) -> Html {
    let docs = &rule.docs;
    html! {
        <div class="rule-docs" data-testid="rule-docs" data-code={rule.code}>
            <div class="rule-meta">
                <span class="rule-name" data-testid="rule-name">{ rule.name }</span>
                { for rule.categories.iter().map(|c| html! {
                    <span class="chip" data-testid="rule-category">{ c.as_str() }</span>
                }) }
                <span class="origin">{ origin_label(rule.origin) }</span>
            </div>
            <p class="rule-summary">{ rich(rule.summary) }</p>
            <h4 class="docs-title">{ "Why it matters" }</h4>
            <p class="docs-text" data-testid="rule-why">{ rich(docs.why) }</p>
            <div class="examples">
                { example(docs.bad, docs.good, "bad") }
                { example(docs.good, docs.bad, "good") }
            </div>
            if !docs.fix_note.is_empty() {
                <p class="docs-text fix-note"><strong>{ "Fix: " }</strong>{ rich(docs.fix_note) }</p>
            }
            <p class="docs-foot">
                <span>{ "What it checks: " }</span>{ rich(docs.what) }
            </p>
            <p class="docs-foot">
                { "Guide section: " }<span class="guide" data-testid="rule-guide">{ docs.guide }</span>
                <span class="sep" aria-hidden="true">{ " · " }</span>
                <code>{ format!("layerlens explain {}", rule.code) }</code>
            </p>
        </div>
    }
}

/// What a parse error means and the usual cause (the core's explanation).
pub fn parse_error_hint(message: &str) -> &'static str {
    layerlens_core::analysis::syntax_error_hint(message)
}

fn parse_error_docs(message: &str) -> Html {
    html! {
        <div class="rule-docs" data-testid="rule-docs" data-code={SYNTAX_ERROR_CODE}>
            <div class="rule-meta">
                <span class="rule-name" data-testid="rule-name">{ "syntax error" }</span>
                <span class="chip">{ "correctness" }</span>
                <span class="origin">{ "BuildKit parser" }</span>
            </div>
            <p class="rule-summary">
                { "BuildKit cannot parse this line, so " }<code>{ "docker build" }</code>
                { " stops here before running a single step." }
            </p>
            <h4 class="docs-title">{ "What it means" }</h4>
            <p class="docs-text" data-testid="rule-why">{ rich(parse_error_hint(message)) }</p>
            <p class="docs-foot">
                { "Layerlens keeps reading after the error, so the rest of the file is still \
                   checked; its layers and sizes may be off until the line is fixed." }
            </p>
        </div>
    }
}

/// The documentation shown under a diagnostic with `code` and `message`.
pub fn docs_for(code: &str, message: &str) -> Html {
    if code == SYNTAX_ERROR_CODE {
        return parse_error_docs(message);
    }
    match rules::find(code) {
        Some(rule) => rule_docs(rule),
        None => html! {
            <div class="rule-docs" data-testid="rule-docs" data-code={code.to_owned()}>
                <p class="docs-text">{ format!("No documentation for {code}.") }</p>
            </div>
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_get_a_hint() {
        assert!(parse_error_hint("unknown instruction: libpq-dev").contains("backslash"));
        assert!(parse_error_hint("no build stage in current context").contains("FROM"));
        assert!(!parse_error_hint("something else").is_empty());
    }

    #[test]
    fn every_rule_has_docs_to_show() {
        for rule in rules::registry() {
            assert!(!rule.docs.why.is_empty(), "{}", rule.code);
            assert!(!rule.docs.bad.is_empty(), "{}", rule.code);
            assert!(!rule.docs.good.is_empty(), "{}", rule.code);
        }
    }
}
