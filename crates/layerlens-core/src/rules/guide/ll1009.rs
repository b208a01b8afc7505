//! LL1009: a full base image where the same image has a slim variant.

use super::g5_util::{
    chain_instructions, final_chain, from_image_span, healthcheck_line, package_name, package_op,
    root_of, LineScript, Root,
};
use crate::fix::{Edit, Fix};
use crate::instructions::{CommandLine, ImageRef, Typed};
use crate::knowledge::{self, SlimKind};
use crate::model::StageRef;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

/// Debian releases that appear in official tags (`3.12-bookworm`).
const SUITES: [&str; 6] = [
    "trixie", "bookworm", "bullseye", "buster", "stretch", "jessie",
];

/// Programs the full variants have and the small ones do not.
const FULL_ONLY: [&str; 14] = [
    "curl", "wget", "git", "gcc", "g++", "cc", "c++", "make", "ssh", "scp", "hg", "svn", "bzr",
    "unzip",
];

/// Programs of a JDK that a JRE lacks.
const JDK_ONLY: [&str; 8] = [
    "javac", "jar", "jlink", "jshell", "jdeps", "jpackage", "mvn", "gradle",
];

fn is_version(v: &str) -> bool {
    !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// The smaller variant's tag for tags this fix understands (version, Debian release).
fn small_tag(image: &ImageRef, kind: SlimKind) -> Option<(String, String)> {
    let tag = image.tag.as_deref().unwrap_or("latest");
    let name = image.name.as_str();
    match kind {
        SlimKind::Suffix => {
            let (version, suite) = match tag.split_once('-') {
                _ if tag == "latest" => ("", ""),
                _ if SUITES.contains(&tag) => ("", tag),
                None => (tag, ""),
                Some((v, s)) => (v, s),
            };
            let named = name == "node" && matches!(version, "lts" | "current");
            if !(version.is_empty() || is_version(version) || named)
                || !(suite.is_empty() || SUITES.contains(&suite))
            {
                return None;
            }
            // node puts the release first (`22-bookworm-slim`), python and ruby last.
            let parts: Vec<&str> = match (name, version.is_empty(), suite.is_empty()) {
                ("node", _, false) => vec![version, suite, "slim"],
                (_, _, false) => vec![version, "slim", suite],
                _ => vec![version, "slim"],
            };
            let new = parts
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            Some((name.to_string(), new))
        }
        SlimKind::JdkToJre if name == "eclipse-temurin" => {
            let (version, rest) = tag.split_once('-').unwrap_or((tag, ""));
            if !version.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            let new = if rest.is_empty() {
                format!("{version}-jre")
            } else if let Some(os) = rest.strip_prefix("jdk") {
                format!("{version}-jre{os}")
            } else {
                format!("{version}-jre-{rest}")
            };
            Some((name.to_string(), new))
        }
        SlimKind::JdkToJre if name == "openjdk" => {
            let major = tag.strip_suffix("-jdk").unwrap_or(tag);
            (!major.is_empty() && major.chars().all(|c| c.is_ascii_digit()))
                .then(|| ("eclipse-temurin".to_string(), format!("{major}-jre")))
        }
        _ => None,
    }
}

/// Whether the final image runs a program the smaller variant lacks, without installing it.
fn needs_full(context: &Context, chain: &[usize], missing: &[&str]) -> bool {
    let instructions = chain_instructions(context.model, chain);
    let mut installed: Vec<String> = Vec::new();
    for &i in &instructions {
        if let Some(run) = context.run(i) {
            for (cmd, _) in run.commands() {
                if let Some(op) = package_op(cmd) {
                    if op.install {
                        installed.extend(
                            op.packages
                                .iter()
                                .map(|w| package_name(&w.value).to_string()),
                        );
                    }
                    continue;
                }
                let Some(name) = cmd.basename() else { continue };
                let have = installed.iter().any(|p| {
                    p == name || (p == "build-essential" || p == "build-base") && name != "curl"
                });
                if missing.contains(&name) && !have {
                    return true;
                }
            }
            continue;
        }
        let line = match context.typed(i) {
            Typed::Cmd(l) | Typed::Entrypoint(l) => Some(l),
            t => healthcheck_line(t),
        };
        if let Some(script) = line
            .filter(|l| !matches!(l, CommandLine::Empty))
            .and_then(|l| LineScript::new(i, l))
        {
            if script.script.commands.iter().any(|c| {
                c.basename()
                    .is_some_and(|n| missing.contains(&n) && !installed.iter().any(|p| p == n))
            }) {
                return true;
            }
        }
    }
    false
}

/// The FROM rewrite, when it is a local change to the final image only.
fn slim_fix(context: &Context, image: &ImageRef, stage: usize, kind: SlimKind) -> Option<Fix> {
    let model = context.model;
    let chain = final_chain(context);
    // Another stage building on (or copying from) the final image's stages would change too.
    if model.edges.iter().any(|e| {
        matches!(e.from, StageRef::Stage(s) if chain.contains(&s)) && !chain.contains(&e.to)
    }) {
        return None;
    }
    if image.digest.is_some() {
        return None;
    }
    let missing: &[&str] = if kind == SlimKind::JdkToJre {
        &JDK_ONLY
    } else {
        &FULL_ONLY
    };
    if needs_full(context, &chain, missing) {
        return None;
    }
    let Typed::From(from) = context.typed(model.stages[stage].from) else {
        return None;
    };
    let written = from.image.span.slice(&model.doc.text);
    if written != image.raw || written.contains('$') {
        return None;
    }
    let (name, tag) = small_tag(image, kind)?;
    let new = if name != image.name {
        // openjdk → eclipse-temurin: only a bare official name is rewritten.
        if !written.starts_with(&format!("{}:", image.name)) && written != image.name {
            return None;
        }
        format!("{name}:{tag}")
    } else {
        let last_slash = written.rfind('/').map_or(0, |k| k + 1);
        let repo_end = written[last_slash..]
            .find(':')
            .map_or(written.len(), |k| last_slash + k);
        format!("{}:{tag}", &written[..repo_end])
    };
    Some(Fix::unsafe_(
        format!("Use `{new}`"),
        vec![Edit::replace(from.image.span, new)],
    ))
}

pub static RULE: Rule = Rule {
    code: "LL1009",
    name: "prefer-slim-base",
    origin: Origin::Layerlens,
    severity: Severity::Info,
    categories: &[Category::Size],
    summary: "The full variant carries compilers and tools the running app never uses.",
    docs: Docs::new(
        "Flags the final image's base when it is the full variant of an official image that \
         publishes a smaller one: python, node and ruby (`-slim`), openjdk and eclipse-temurin \
         (JDK where a JRE suffices), and golang (a toolchain image shipped as the runtime). \
         Build stages may keep full images: their tools are what they are for.",
        "Full variants are built on buildpack-deps with gcc, headers, git and more: python:3.12 \
         is about 411 MB compressed against about 43 MB for python:3.12-slim, and node:22 \
         about 405 MB against about 78 MB for node:22-slim. That is what every pull, deploy \
         and scale-out downloads, and every extra package is more to patch. Start from the \
         slim variant and install the few libraries the app needs.",
        "FROM python:3.13\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
        "FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
        "Image Size Optimization",
    )
    .with_fix_note(
        "Rewrites the tag in the FROM to the smaller variant of the same version \
         (`python:3.12` → `python:3.12-slim`, `node:22-bookworm` → `node:22-bookworm-slim`, \
         `eclipse-temurin:21-jdk` → `21-jre`, `openjdk:17` → `eclipse-temurin:17-jre`). \
         Unsafe: the slim image lacks compilers, headers, git, curl and wget (and a JRE lacks \
         javac and jlink), so a RUN that needs them can fail and a library the app loads may \
         be missing. No fix when the final image visibly calls such a tool, when other \
         stages build on the same base, or for golang, whose remedy is a build stage.",
    ),
    fix: crate::rules::Fixability::Unsafe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let Some(&target) = final_chain(context).first() else {
        return;
    };
    let Root::Image(image, stage) = root_of(context.model, target) else {
        return;
    };
    let Some(slim) = knowledge::slim_variant(image) else {
        return;
    };
    let sizes = match (&slim.current_size, &slim.suggested_size) {
        (Some(cur), Some(new)) => {
            let measured = if cur.version == new.version {
                format!(" (measured for {}:{})", cur.image, cur.version)
            } else {
                String::new()
            };
            format!(
                ": {} compressed instead of {}{measured}",
                new.compressed, cur.compressed
            )
        }
        _ => String::new(),
    };
    // The knowledge table writes node's release last (`22-slim-bookworm`); node's tags put it
    // first (`22-bookworm-slim`): name the tag the fix would write.
    let suggestion = match slim.kind {
        SlimKind::MultiStage => slim.suggestion.clone(),
        kind => small_tag(image, kind)
            .map(|(n, t)| format!("{n}:{t}"))
            .unwrap_or_else(|| slim.suggestion.clone()),
    };
    let message = match slim.kind {
        SlimKind::Suffix => format!(
            "the final image is based on full `{}`; `{}` leaves out {}{sizes}",
            image.raw, suggestion, slim.left_out
        ),
        SlimKind::JdkToJre => format!(
            "the final image ships a JDK (`{}`); running an application needs only a JRE such as `{}`, which leaves out {}{sizes}",
            image.raw, suggestion, slim.left_out
        ),
        SlimKind::MultiStage => format!(
            "the final image is the Go toolchain (`{}`): build in it as a stage and copy the binary onto a small base (scratch, distroless or alpine); {}{sizes}",
            image.raw, slim.left_out
        ),
    };
    let fix = match slim.kind {
        SlimKind::MultiStage => None,
        kind => slim_fix(context, image, stage, kind),
    };
    report
        .add(
            context.model.stages[stage].from,
            from_image_span(context, stage),
            message,
        )
        .fix = fix;
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn full_bases() {
        let f = findings("LL1009", "FROM python:3.12\nCMD [\"python\"]\n");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("python:3.12-slim"));
        assert!(
            f[0].message
                .contains("~43 MB compressed instead of ~411 MB"),
            "{}",
            f[0].message
        );
        assert_eq!(
            spans(
                "LL1009",
                "FROM node:20 AS base\nFROM base\nCMD [\"node\"]\n"
            ),
            ["node:20"]
        );
        assert!(findings("LL1009", "FROM eclipse-temurin:21-jdk\n")[0]
            .message
            .contains("21-jre"));
        assert_eq!(
            findings("LL1009", "FROM golang:1.23\nRUN go build\n").len(),
            1
        );
        // Build stages may be full; small variants and other images are fine.
        assert!(findings("LL1009", "FROM golang:1.23 AS build\nRUN go build -o /x\nFROM scratch\nCOPY --from=build /x /x\n").is_empty());
        for ok in [
            "FROM python:3.13-slim\n",
            "FROM node:22-alpine\n",
            "FROM nginx:1.27\n",
            "FROM myorg/python:3\n",
        ] {
            assert!(findings("LL1009", ok).is_empty(), "{ok}");
        }
    }

    #[test]
    fn fixes() {
        assert!(findings("LL1009", "FROM node:22-bookworm\n")[0]
            .message
            .contains("`node:22-bookworm-slim`"));
        assert_eq!(
            fixed("LL1009", "FROM python:3.13\nCMD [\"python\"]\n"),
            "FROM python:3.13-slim\nCMD [\"python\"]\n"
        );
        for (from, to) in [
            ("python", "python:slim"),
            ("python:latest", "python:slim"),
            ("python:3.12-bookworm", "python:3.12-slim-bookworm"),
            ("node:22-bookworm", "node:22-bookworm-slim"),
            ("node:lts", "node:lts-slim"),
            ("ruby:3.3.5", "ruby:3.3.5-slim"),
            (
                "docker.io/library/python:3.12",
                "docker.io/library/python:3.12-slim",
            ),
            (
                "eclipse-temurin:21-jdk-jammy",
                "eclipse-temurin:21-jre-jammy",
            ),
            ("eclipse-temurin:21", "eclipse-temurin:21-jre"),
            ("openjdk:17", "eclipse-temurin:17-jre"),
        ] {
            let text = format!("FROM {from} AS app\nCOPY . /app\n");
            assert_eq!(
                fixed("LL1009", &text),
                format!("FROM {to} AS app\nCOPY . /app\n"),
                "{from}"
            );
        }
        // Keyword casing and layout around the image are untouched.
        assert_eq!(
            fixed("LL1009", "from   node:20 as base\nfrom base\n"),
            "from   node:20-slim as base\nfrom base\n"
        );
        for text in [
            // Tools the slim image lacks, other stages on the same base, unknown tags, ARGs.
            "FROM python:3.13\nRUN git clone https://e.com/r.git\n",
            "FROM python:3.13\nHEALTHCHECK CMD curl -f http://localhost/\n",
            "FROM eclipse-temurin:21-jdk\nRUN javac App.java\n",
            "FROM python:3.13 AS base\nFROM base AS build\nRUN make\nFROM base\nCOPY --from=build /x /x\n",
            "FROM python:3.13-rc\n",
            "FROM openjdk:11.0.16-jdk-bullseye\n",
            "ARG V=3.13\nFROM python:${V}\n",
            "FROM python:3.13@sha256:abc\n",
            "FROM golang:1.23\nRUN go build\n",
        ] {
            let f = findings("LL1009", text);
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].fix.is_none(), "{text}");
        }
        // A tool the file installs itself is fine.
        assert!(has_fix(
            "LL1009",
            "FROM python:3.13\nRUN apt-get update && apt-get install -y --no-install-recommends git && git clone x\n"
        ));
    }

    #[test]
    fn guide_examples() {
        assert_eq!(findings("LL1009", "FROM python:3.13\n").len(), 1);
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1009", text).is_empty());
        }
    }
}
