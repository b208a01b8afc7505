//! InvalidDefaultArgInFrom: a FROM that is not a valid image name with the ARG defaults
//! alone (BuildKit's check).

use super::g4_util::{is_valid_reference, GlobalScope};
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "InvalidDefaultArgInFrom",
    name: "invalid-default-arg-in-from",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "Without --build-arg the FROM expands to an empty or invalid image name and the build fails.",
    docs: Docs::new(
        "Expands each FROM that uses variables with the global ARGs' default values only (as if \
         no `--build-arg` were given) and flags it when the result is empty or not a valid image \
         reference (`busybox:`, `:3.20`, upper-case names). FROMs without variables are left to \
         the parser.",
        "A Dockerfile whose FROM only works when the right `--build-arg` is passed fails for \
         everyone who runs a plain `docker build .`: a new teammate, a CI job that forgot the \
         flag, Dependabot or an IDE integration. The error (`invalid reference format`) points \
         at the FROM, not at the missing default. Giving the ARG a sensible default, or using \
         `${TAG:-3.20}`, keeps the file buildable out of the box while still letting callers \
         override it.",
        "ARG TAG\nFROM alpine:${TAG}\nRUN echo hello\n",
        "ARG TAG=3.20\nFROM alpine:${TAG}\nRUN echo hello\n",
        "Common Anti-Patterns",
    ),
    // No fix: only the author knows a sensible default.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let scope = GlobalScope(context.model);
    for stage in &context.model.stages {
        let Typed::From(from) = context.typed(stage.from) else {
            continue;
        };
        let written = &from.image.value;
        if !written.contains('$') {
            continue;
        }
        // BuildKit abandons this check at the first expansion error.
        let Some(processed) = scope.process(written) else {
            return;
        };
        if is_valid_reference(&processed.result) {
            continue;
        }
        let mut names: Vec<&str> = processed.unmatched.iter().map(String::as_str).collect();
        names.extend(processed.matched.iter().map(String::as_str));
        let culprit = names
            .first()
            .map(|n| {
                format!("; give `{n}` a default (`ARG {n}=...`) or write `${{{n}:-<default>}}`")
            })
            .unwrap_or_default();
        let result = if processed.result.is_empty() {
            "an empty name".to_string()
        } else {
            format!("`{}`", processed.result)
        };
        report.add(
            stage.from,
            from.image.span,
            format!(
                "with the ARG defaults alone, `{written}` becomes {result}, which is not a valid image reference{culprit}"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "InvalidDefaultArgInFrom";

    #[test]
    fn buildkit_cases() {
        let f = findings("\nARG VERSION\nFROM busybox:$VERSION\n", CODE);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].1.contains("`busybox:`") && f[0].1.contains("`VERSION`"),
            "{f:?}"
        );
        assert_eq!(lines("\nARG IMAGE\nFROM $IMAGE\n", CODE), vec![3]);
        assert_eq!(
            lines("\nARG SFX=\"box:\"\nFROM busy${SFX}\n", CODE),
            vec![3]
        );
        assert!(lines("\nARG VERSION=\"latest\"\nFROM busybox:${VERSION}\n", CODE).is_empty());
        assert!(lines(
            "\nARG BUSYBOX_VARIANT=\"\"\nFROM busybox:stable${BUSYBOX_VARIANT}\n",
            CODE
        )
        .is_empty());
        assert!(lines(
            "\n\tARG BUSYBOX_VARIANT\n\tFROM busybox:stable${BUSYBOX_VARIANT}\n\t",
            CODE
        )
        .is_empty());
        assert!(lines("ARG TAG\nFROM alpine:${TAG:-3.14}\n", CODE).is_empty());
    }

    #[test]
    fn file_level_skip() {
        assert!(lines(
            "# check=skip=InvalidDefaultArgInFrom\nARG IMAGE\nFROM $IMAGE\n",
            CODE
        )
        .is_empty());
    }
}
