//! LL1005: compilers and development headers installed in the final image.

use super::g5_util::kept_packages;
use crate::knowledge;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1005",
    name: "build-tools-in-final-image",
    origin: Origin::Layerlens,
    severity: Severity::Warning,
    categories: &[Category::Size, Category::Security],
    summary: "Compilers and headers in the shipped image: a multi-stage build leaves them behind.",
    docs: Docs::new(
        "Flags build tools (build-essential, gcc, g++, make, clang, cmake, build-base...) and \
         development packages (`*-dev`, `*-devel`, python3-dev, libpq-dev...) installed by a \
         RUN of the final image and not removed in that same RUN.",
        "Build tools are needed to compile, not to run: on Debian 12, build-essential alone \
         installs about 274 MB with its dependencies (gcc 180 MB, g++ 267 MB, python3-dev \
         94 MB), all pulled on every deploy and all extra attack surface (a compiler in a \
         breached container helps the attacker). Compile in a builder stage and copy only the \
         results (wheels, a virtualenv, a binary) into a runtime stage that installs the \
         runtime libraries (`libpq5`, not `libpq-dev`).",
        "FROM python:3.13-slim\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n",
        "FROM python:3.13-slim AS builder\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt\n\nFROM python:3.13-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*\n",
        "Multi-Stage Builds",
    ),
    // No fix: moving the build into a builder stage is a structural change (the optimizer's split).
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let kept = kept_packages(context, knowledge::is_build_tool_package);
    // One finding per install command, at its first build package.
    let mut k = 0;
    while k < kept.len() {
        let first = &kept[k];
        let mut group = vec![first];
        while k + 1 < kept.len() && std::ptr::eq(kept[k + 1].command, first.command) {
            k += 1;
            group.push(&kept[k]);
        }
        k += 1;
        let names = group
            .iter()
            .map(|p| format!("`{}`", p.name))
            .collect::<Vec<_>>()
            .join(", ");
        let largest = group
            .iter()
            .filter_map(|p| knowledge::package_size(&p.name).map(|s| (p.name.as_str(), s)))
            .max_by(|a, b| a.1.installed_mb.total_cmp(&b.1.installed_mb));
        let size = match largest {
            Some((_, s)) if group.len() == 1 => format!(
                " (~{:.0} MB installed with its dependencies on Debian 12)",
                s.installed_mb
            ),
            Some((name, s)) => format!(
                " (at least ~{:.0} MB installed: `{name}` alone, with its dependencies on Debian 12)",
                s.installed_mb
            ),
            None => String::new(),
        };
        let verb = if group.len() == 1 { "stays" } else { "stay" };
        report.add(
            first.instruction,
            first.part.span(context.model, &first.word.range),
            format!(
                "{names} {verb} in the final image{size}: compile in a builder stage and copy only the results"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn final_stage_installs() {
        let text =
            "FROM python:3.13-slim\nRUN apt-get update && apt-get install -y gcc libpq-dev curl\n";
        let f = findings("LL1005", text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].span.slice(text), "gcc");
        assert!(
            f[0].message.contains("`gcc`, `libpq-dev`"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("180 MB"), "{}", f[0].message);
        let f = findings(
            "LL1005",
            "FROM alpine:3.20\nRUN apk add --no-cache build-base\n",
        );
        assert_eq!(f.len(), 1);
        assert!(
            findings(
                "LL1005",
                "FROM fedora:40\nRUN dnf install -y openssl-devel\n"
            )
            .len()
                == 1
        );
    }

    #[test]
    fn removed_in_the_same_run_or_in_a_builder() {
        let xargs = "FROM debian:12\nRUN apt-get install -y dpkg-dev; apt-mark showmanual | xargs apt-mark auto > /dev/null; apt-get purge -y --auto-remove\n";
        assert!(findings("LL1005", xargs).is_empty());
        let same = "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install x && apk del .build-deps\n";
        assert!(findings("LL1005", same).is_empty());
        let purge = "FROM debian:12\nRUN apt-get update && apt-get install -y build-essential && make && apt-get purge -y build-essential\n";
        assert!(findings("LL1005", purge).is_empty());
        let saved = "FROM debian:12\nRUN savedAptMark=\"$(apt-mark showmanual)\"; apt-get install -y gcc; make; apt-mark auto '.*' > /dev/null; apt-mark manual $savedAptMark; apt-get purge -y --auto-remove\n";
        assert!(findings("LL1005", saved).is_empty());
        let builder = "FROM debian:12 AS build\nRUN apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /out /out\n";
        assert!(findings("LL1005", builder).is_empty());
        // Removed in a later RUN: LL1006's finding, not this one.
        let later = "FROM debian:12\nRUN apt-get install -y gcc\nRUN apt-get remove -y gcc\n";
        assert!(findings("LL1005", later).is_empty());
    }

    #[test]
    fn guide_examples() {
        // Anti-pattern 1, corrected: install and remove in one RUN.
        let correct = "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends build-essential \\\n    && make install \\\n    && apt-get remove -y build-essential \\\n    && apt-get autoremove -y \\\n    && rm -rf /var/lib/apt/lists/*\n";
        assert!(findings("LL1005", correct).is_empty());
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1005", text).is_empty());
        }
    }
}
