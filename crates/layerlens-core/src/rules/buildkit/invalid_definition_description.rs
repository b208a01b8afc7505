//! InvalidDefinitionDescription: a comment above a stage or ARG that does not start with its
//! name (BuildKit's experimental check).

use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::NodeKind;
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "InvalidDefinitionDescription",
    name: "invalid-definition-description",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Maintainability],
    summary: "Comments right above a stage or ARG become its description when they start with its name.",
    docs: Docs::new(
        "Experimental (enable it with `# check=experimental=InvalidDefinitionDescription`). For \
         `FROM ... AS <name>` and every ARG (global ones too) preceded by comment lines, flags \
         the instruction when the first word of the last comment is not the stage name (as \
         BuildKit stores it, lower-cased) or one of the ARG's names. As in BuildKit, blank lines \
         do not detach a comment; an empty `#` line does.",
        "BuildKit turns a comment of the form `# <name> <description>` right above a stage or ARG \
         into its description: `docker buildx build --call=outline` and `--call=targets` list \
         the build arguments and targets with it, and IDEs show it, which is how users of a \
         shared Dockerfile discover what `--build-arg`s exist without reading the file. A \
         comment that does not start with the name is silently dropped from that output.",
        "# check=experimental=InvalidDefinitionDescription\n\n# Go toolchain version\nARG GO_VERSION=1.23\n\n# compiles the server\nFROM golang:${GO_VERSION} AS build\nRUN go version\n",
        "# check=experimental=InvalidDefinitionDescription\n\n# GO_VERSION is the Go toolchain version\nARG GO_VERSION=1.23\n\n# build compiles the server\nFROM golang:${GO_VERSION} AS build\nRUN go version\n",
        "Production Optimizations",
    ),
    // No fix: whether the comment is meant as a description is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let doc = &context.model.doc;
    let comment_spans = last_comment_spans(context);
    for i in 0..context.len() {
        let (keyword, keys): (&str, Vec<&str>) = match context.typed(i) {
            Typed::From(from) => match &from.name {
                Some(name) => ("FROM", vec![name.as_str()]),
                None => continue,
            },
            Typed::Arg(decls) => ("ARG", decls.iter().map(|d| d.name.as_str()).collect()),
            _ => continue,
        };
        let Some(last) = doc.instructions[i].comments.last() else {
            continue;
        };
        let first_word = last.split(' ').next().unwrap_or("");
        if keys.contains(&first_word) {
            continue;
        }
        let example = match keys.as_slice() {
            [one] => (*one).to_string(),
            _ => "<arg name>".to_string(),
        };
        let what = if keyword == "FROM" { "stage" } else { "ARG" };
        let span = comment_spans
            .get(i)
            .copied()
            .flatten()
            .unwrap_or_else(|| context.keyword_span(i));
        report.add(
            i,
            span,
            format!(
                "start this comment with the {what} name (`# {example} <description>`) so BuildKit uses it as the description, or put an empty `#` line between it and the {keyword}"
            ),
        );
    }
}

/// For each instruction, the span of the last comment line before it (since the previous
/// instruction), without its line break.
fn last_comment_spans(context: &Context) -> Vec<Option<Span>> {
    let doc = &context.model.doc;
    let mut out = vec![None; context.len()];
    let mut last: Option<Span> = None;
    for node in &doc.nodes {
        match node.kind {
            NodeKind::Comment => {
                let text = node.span.slice(&doc.text);
                let len = text.trim_end_matches(['\n', '\r']).len();
                last = Some(Span::new(node.span.start, node.span.start + len));
            }
            NodeKind::Instruction(i) => {
                if let Some(slot) = out.get_mut(i) {
                    *slot = last.take();
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "InvalidDefinitionDescription";

    #[test]
    fn buildkit_cases() {
        let text = "# check=skip=all;experimental=InvalidDefinitionDescription\n# foo this is the foo\nARG foo=bar\n\n# base this is the base image\nFROM scratch AS base\n\n# version this is the version number\nARG version=latest\n\n# baz this is the baz\nARG foo=baz bar=qux baz=quux\n#\nARG bit=bat\n\n# comment for something other than ARG or FROM\nCOPY Dockerfile .\n";
        assert!(lines(text, CODE).is_empty());
        let text = "# check=experimental=InvalidDefinitionDescription\n# bar this is the bar\nARG foo=bar\n# BasE this is the BasE image\nFROM scratch AS base\n# definitely a bad comment\nARG version=latest\n# definitely a bad comment\nARG foo=baz bar=qux baz=quux\n";
        assert_eq!(lines(text, CODE), vec![2, 4, 6, 8]);
        let f = findings(text, CODE);
        assert!(f[0].1.contains("`# foo <description>`"), "{f:?}");
        assert!(f[1].1.contains("`# base <description>`"), "{f:?}");
        assert!(f[3].1.contains("`# <arg name> <description>`"), "{f:?}");
    }

    #[test]
    fn experimental_only() {
        let text = "# not a description\nARG foo=bar\nFROM scratch\n";
        assert!(lines(text, CODE).is_empty());
        let text = "# check=experimental=all\n\n# not a description\nARG foo=bar\nFROM scratch\n";
        assert_eq!(lines(text, CODE), vec![3]);
        // `skip` does not apply to experimental checks.
        let text = "# check=skip=InvalidDefinitionDescription;experimental=InvalidDefinitionDescription\n# nope\nARG foo\nFROM scratch\n";
        assert_eq!(lines(text, CODE), vec![2]);
    }

    #[test]
    fn blank_lines_do_not_detach_comments() {
        let text = "# check=experimental=InvalidDefinitionDescription\n\n# header of the file\n\nARG foo=1\nFROM scratch\n";
        assert_eq!(lines(text, CODE), vec![3]);
    }
}
