//! DL4001: both wget and curl in one stage.

use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "DL4001",
    name: "wget-or-curl",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Size, Category::Maintainability],
    summary: "Two download tools where one would do: extra packages to install, ship and patch.",
    docs: Docs::new(
        "Per stage, flags every RUN that calls `curl` or `wget` once both tools have been used \
         in the stage (the RUN that brings in the second tool and every later one using \
         either). Commands in heredoc scripts, `sh -c` strings and exec form count; ONBUILD \
         triggers are tracked separately, since they run together in a child build.",
        "curl and wget do the same job. Needing both usually means both get installed: on \
         Debian that is two packages plus their libraries (several MB together, more with \
         their TLS dependencies), each with its own CVE stream to patch, and two sets of \
         flags, retry and proxy behaviours to get right. Standardising on one tool (curl is \
         often already in the base image) keeps the image smaller and the scripts consistent.",
        "FROM debian:bookworm-slim\nRUN wget -q https://example.com/a.tar.gz\nRUN curl -fsSLO https://example.com/b.tar.gz\n",
        "FROM debian:bookworm-slim\nRUN curl -fsSLO https://example.com/a.tar.gz\nRUN curl -fsSLO https://example.com/b.tar.gz\n",
        "Image Size Optimization",
    ),
    // No fix: which of the two tools to keep is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

/// What one stage (or its ONBUILD triggers) has used so far: the first use of each tool.
#[derive(Default)]
struct Seen {
    curl: Option<usize>,
    wget: Option<usize>,
}

fn check(context: &Context, report: &mut Report) {
    for stage in &context.model.stages {
        let mut direct = Seen::default();
        let mut triggers = Seen::default();
        for &i in &stage.instructions {
            let Some(run) = context.run(i) else { continue };
            let seen = if context.typed_effective(i).1 {
                &mut triggers
            } else {
                &mut direct
            };
            let mut first: Option<(Span, &'static str)> = None;
            for (command, part) in run.commands() {
                let tool = if command.is("curl") {
                    "curl"
                } else if command.is("wget") {
                    "wget"
                } else {
                    continue;
                };
                let slot = if tool == "curl" {
                    &mut seen.curl
                } else {
                    &mut seen.wget
                };
                slot.get_or_insert(i);
                if first.is_none() {
                    first = Some((part.command_span(context.model, command), tool));
                }
            }
            let (Some((span, tool)), Some(curl), Some(wget)) = (first, seen.curl, seen.wget) else {
                continue;
            };
            let (other, other_at) = if tool == "curl" {
                ("wget", wget)
            } else {
                ("curl", curl)
            };
            let where_ = if other_at == i {
                "in this RUN too".to_string()
            } else {
                format!("on line {}", context.instruction(other_at).start_line)
            };
            report.add(
                i,
                span,
                format!(
                    "this stage uses both `{tool}` and `{other}` ({other} {where_}); pick one download tool"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "DL4001";

    #[test]
    fn flags_from_the_second_tool_on() {
        assert_eq!(
            lines("FROM node\nRUN wget my.xyz\nRUN curl localhost\n", CODE),
            vec![3]
        );
        assert_eq!(
            lines(
                "FROM node\nRUN wget my.xyz\nRUN curl my.xyz\nRUN echo hello\nRUN wget foo.com\n",
                CODE
            ),
            vec![3, 5]
        );
        let f = findings("FROM node\nRUN wget my.xyz && curl localhost\n", CODE);
        assert!(f[0].1.contains("in this RUN too"), "{f:?}");
        assert!(lines(
            "FROM node\nRUN wget my.xyz\nFROM scratch\nRUN curl localhost\n",
            CODE
        )
        .is_empty());
    }

    #[test]
    fn sees_heredocs_sh_c_and_exec_form() {
        assert_eq!(
            lines("FROM alpine\nRUN wget a\nRUN <<EOF\ncurl b\nEOF\n", CODE),
            vec![4]
        );
        assert_eq!(
            lines("FROM alpine\nRUN wget a\nRUN sh -c 'curl b'\n", CODE),
            vec![3]
        );
        assert_eq!(
            lines("FROM alpine\nRUN wget a\nRUN [\"curl\", \"b\"]\n", CODE),
            vec![3]
        );
    }

    #[test]
    fn onbuild_triggers_are_tracked_apart() {
        assert!(lines("FROM alpine\nRUN wget a\nONBUILD RUN curl b\n", CODE).is_empty());
        assert_eq!(
            lines(
                "FROM alpine\nONBUILD RUN wget a\nONBUILD RUN curl b\n",
                CODE
            ),
            vec![3]
        );
    }
}
