//! Helpers shared by the hadolint rules of group g4 (and, for their fixes, by the BuildKit
//! checks that judge the same things): repeated instructions, keyword casing of inserted
//! instructions, deleting an instruction, MAINTAINER to LABEL, and what shell a base image
//! brings.

use crate::fix::{Edit, Fix};
use crate::instructions::Typed;
use crate::model::{Base, Model};
use crate::rules::Context;
use crate::syntax::NodeKind;
use crate::text::Span;

/// The later instructions of a stage that repeat an earlier one of the kind `matches`
/// selects (CMD, ENTRYPOINT): `(repeat, previous)` pairs, per stage, ONBUILD triggers
/// excluded.
pub(crate) fn repeats(
    context: &Context,
    matches: impl Fn(&crate::instructions::Typed) -> bool,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for stage in &context.model.stages {
        let mut previous: Option<usize> = None;
        for &i in &stage.instructions {
            if !matches(context.typed(i)) {
                continue;
            }
            if let Some(p) = previous {
                out.push((i, p));
            }
            previous = Some(i);
        }
    }
    out
}

/// `keyword` (upper-case, `LABEL`) cased like `written`, a keyword of the file: lower-case
/// when `written` is all lower-case, upper-case otherwise.
pub(crate) fn keyword_like(written: &str, keyword: &str) -> String {
    let has_lower = written.chars().any(|c| c.is_ascii_lowercase());
    let has_upper = written.chars().any(|c| c.is_ascii_uppercase());
    if has_lower && !has_upper {
        keyword.to_ascii_lowercase()
    } else {
        keyword.to_ascii_uppercase()
    }
}

pub(crate) use crate::text::json_string;

/// An edit deleting instruction `i` with its line break; the comments above it stay.
pub(crate) fn delete_instruction(model: &Model, i: usize) -> Option<Edit> {
    let instruction = model.doc.instructions.get(i)?;
    Some(Edit::delete(instruction.span))
}

/// An edit deleting the flag at `span` (`--platform=...`) with the blanks after it.
pub(crate) fn delete_flag(model: &Model, span: Span) -> Edit {
    let text = model.doc.text.as_str();
    let rest = text.get(span.end..).unwrap_or("");
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Edit::delete(Span::new(span.start, span.end + blanks))
}

/// Where a new instruction can go right before instruction `i`: the start of the comment
/// lines directly above it (they describe it, and pragmas there must stay attached to it),
/// else the start of its own first line.
pub(crate) fn insertion_point_before(model: &Model, i: usize) -> Option<usize> {
    let doc = &model.doc;
    let at = doc
        .nodes
        .iter()
        .position(|n| n.kind == NodeKind::Instruction(i))?;
    let mut start = doc.nodes.get(at)?.span.start;
    for node in doc.nodes[..at].iter().rev() {
        if node.kind != NodeKind::Comment {
            break;
        }
        start = node.span.start;
    }
    Some(start)
}

/// The fix turning the MAINTAINER at `i` into `LABEL org.opencontainers.image.authors="…"`
/// (keyword cased like the file's, the value quoted so that it reads back exactly as
/// written). `None` outside a stage, for an empty MAINTAINER, when the stage already sets
/// the authors label, or when comment lines inside its continuation would be lost.
pub(crate) fn maintainer_fix(context: &Context, i: usize) -> Option<Fix> {
    let model = context.model;
    let instruction = context.instruction(i);
    let stage = context.stage_of(i)?;
    let Typed::Maintainer(who) = context.typed(i) else {
        return None;
    };
    let value = who.value.trim();
    if value.is_empty()
        || instruction
            .pieces
            .iter()
            .any(|p| p.kind != crate::syntax::PieceKind::Line)
    {
        return None;
    }
    let has_label = model.stages.get(stage)?.instructions.iter().any(|&k| {
        matches!(context.typed(k), Typed::Label(pairs)
            if pairs.iter().any(|p| super::g3_util::unquote(&p.key.value) == AUTHORS))
    });
    if has_label {
        return None;
    }
    let escape = model.doc.directives.escape;
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        // Inside double quotes BuildKit's word processing treats `"`, `$` and the escape
        // character specially; everything else is literal.
        if c == '"' || c == '$' || c == escape {
            quoted.push(escape);
        }
        quoted.push(c);
    }
    quoted.push('"');
    let keyword = keyword_like(&instruction.command.keyword_text.value, "LABEL");
    let span = context.instruction_span(i);
    Some(Fix::safe(
        "Replace MAINTAINER with the OCI authors label",
        vec![Edit::replace(span, format!("{keyword} {AUTHORS}={quoted}"))],
    ))
}

/// The OCI annotation for the image's authors.
const AUTHORS: &str = "org.opencontainers.image.authors";

/// Which shell a base image brings, as far as its name tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BaseShell {
    /// Alpine or BusyBox: `/bin/sh` is BusyBox ash, which knows `-o pipefail`.
    Ash,
    /// bash is installed (Debian, Ubuntu, the RHEL family and the official language images
    /// built on them).
    Bash,
    /// Unknown, scratch, distroless, Windows.
    Unknown,
}

/// Images (last path component) known to ship bash unless their tag names another base.
const BASH_IMAGES: &[&str] = &[
    "debian",
    "ubuntu",
    "buildpack-deps",
    "fedora",
    "centos",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "oraclelinux",
    "ubi",
    "ubi8",
    "ubi9",
    "ubi10",
    "ubi-minimal",
    "ubi8-minimal",
    "ubi9-minimal",
    "archlinux",
    "python",
    "pypy",
    "node",
    "golang",
    "ruby",
    "rust",
    "php",
    "perl",
    "openjdk",
    "eclipse-temurin",
    "amazoncorretto",
    "maven",
    "gradle",
    "gcc",
    "haskell",
    "julia",
    "elixir",
    "erlang",
    "r-base",
    "swift",
    "dart",
    "nginx",
    "httpd",
    "tomcat",
    "postgres",
    "mysql",
    "mariadb",
    "redis",
    "mongo",
    "rabbitmq",
    "wordpress",
    "drupal",
    "ghost",
    "cuda",
];

/// The shell the image at the root of `stage`'s `FROM` chain brings.
pub(crate) fn base_shell(model: &Model, stage: usize) -> BaseShell {
    let mut current = stage;
    // Parents come earlier in the file, so this walk ends.
    for _ in 0..=model.stages.len() {
        match model.stages.get(current).map(|s| &s.base) {
            Some(Base::Stage(parent)) if *parent < current => current = *parent,
            Some(Base::Image(image)) => return image_shell(image),
            _ => return BaseShell::Unknown,
        }
    }
    BaseShell::Unknown
}

fn image_shell(image: &crate::instructions::ImageRef) -> BaseShell {
    let name = image.name.to_ascii_lowercase();
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let windows = ["windows", "nanoserver", "servercore", "ltsc"];
    if windows.iter().any(|w| tag.contains(w) || name.contains(w)) {
        return BaseShell::Unknown;
    }
    if name == "alpine" || name == "busybox" || tag.contains("alpine") {
        return BaseShell::Ash;
    }
    let distroless = image.repository.contains("distroless") || tag.contains("distroless");
    if !distroless && BASH_IMAGES.contains(&name.as_str()) {
        return BaseShell::Bash;
    }
    BaseShell::Unknown
}

/// `text` after applying every fix of `code`'s findings, repeated until nothing changes
/// (fixes that clash with one already chosen wait for the next round).
#[cfg(test)]
pub(crate) fn fixed(text: &str, code: &str) -> String {
    use crate::model::Model;
    use crate::rules::{lint, Config, LintOptions};
    let options = LintOptions {
        keep_off_by_default: true,
    };
    let mut current = text.to_string();
    for _ in 0..8 {
        let findings = lint(&Model::parse(&current), &Config::default(), None, &options);
        let fixes: Vec<&Fix> = findings
            .iter()
            .filter(|f| f.code == code)
            .filter_map(|f| f.fix.as_ref())
            .collect();
        let (next, applied) = crate::fix::apply_fixes(&current, fixes);
        if applied == 0 || next == current {
            break;
        }
        current = next;
    }
    current
}

/// Lines (1-based) of the findings of `code` on `text`, all rules run, off-by-default kept.
#[cfg(test)]
pub(crate) fn lines(text: &str, code: &str) -> Vec<usize> {
    findings(text, code).into_iter().map(|(l, _)| l).collect()
}

/// `(line, message)` of the findings of `code` on `text`.
#[cfg(test)]
pub(crate) fn findings(text: &str, code: &str) -> Vec<(usize, String)> {
    use crate::model::Model;
    use crate::rules::{lint, Config, LintOptions};
    let model = Model::parse(text);
    let options = LintOptions {
        keep_off_by_default: true,
    };
    lint(&model, &Config::default(), None, &options)
        .into_iter()
        .filter(|f| f.code == code)
        .map(|f| {
            let line = text[..f.span.start.min(text.len())].matches('\n').count() + 1;
            (line, f.message)
        })
        .collect()
}
