//! DL3021: COPY of several sources to a destination that is not a directory.

use super::g2_util::expand;
use crate::fix::{Edit, Fix};
use crate::instructions::{Source, Typed};
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};
use crate::syntax::Text;

pub static RULE: Rule = Rule {
    code: "DL3021",
    name: "copy-many-to-directory",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Correctness],
    summary: "Several sources can only be copied into a directory, written with a trailing `/`.",
    docs: Docs::new(
        "Flags COPY and ADD (also under ONBUILD) with two or more sources whose destination, \
         after variable expansion, does not end in `/`. The destination `.` (the working \
         directory) is accepted, as BuildKit treats it as a directory.",
        "With several sources the destination has to be a directory. The classic builder (and \
         tools that mimic it) stops with an error; BuildKit does not check, and copies each \
         source onto the same path, so files can overwrite one another and the mistake shows \
         up only when the container misses a file at run time. A trailing slash (`/app/`) \
         states the intent, creates the directory when needed and behaves the same with every \
         builder.",
        "FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json /app\n",
        "FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json /app/\n",
        "Common Anti-Patterns",
    )
    .with_fix_note(
        "Adds `/` at the end of the destination (inside its quotes, or inside the JSON \
         string in exec form). Safe: with several sources the destination can only work as a \
         directory, so the slash states what the copy already needs; every builder then \
         creates the directory and puts each source in it under its own name.",
    ),
    fix: Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let (keyword, sources, dest): (&str, &[Source], &Text) = match context.typed_effective(i).0
        {
            Typed::Copy(copy) => ("COPY", &copy.sources, &copy.dest),
            Typed::Add(add) => ("ADD", &add.sources, &add.dest),
            _ => continue,
        };
        if sources.len() < 2 || is_directory(&dest.value) {
            continue;
        }
        if dest.value.contains('$')
            && expand(context, i, &dest.value).is_some_and(|d| is_directory(&d))
        {
            continue;
        }
        report
            .add(
                i,
                dest.span,
                format!(
                    "{keyword} has {} sources, so end the destination with `/` (`{}/`) to make it a directory",
                    sources.len(),
                    dest.value.trim_matches('"')
                ),
            )
            .fix = trailing_slash(context, dest);
    }
}

/// The fix: a `/` at the end of the destination's path, inside any closing quote. Only for
/// a destination written on one piece of source that ends like its value.
fn trailing_slash(context: &Context, dest: &Text) -> Option<Fix> {
    let written = context.model.doc.text.get(dest.span.start..dest.span.end)?;
    let quoted = written.len() >= 2
        && ((written.starts_with('"') && written.ends_with('"'))
            || (written.starts_with('\'') && written.ends_with('\'')));
    let path = if quoted {
        &written[1..written.len() - 1]
    } else {
        written
    };
    let escape = context.model.doc.directives.escape;
    // Text that is not the plain value (escapes, a continuation) is left alone.
    if path.is_empty() || path.contains(escape) || path.contains(['\n', '\r', '"', '\'']) {
        return None;
    }
    let at = if quoted {
        dest.span.end - 1
    } else {
        dest.span.end
    };
    Some(Fix::safe(
        "End the destination with /",
        vec![Edit::insert(at, "/")],
    ))
}

/// Whether a destination names a directory: a trailing slash, or `.`.
fn is_directory(dest: &str) -> bool {
    let unquoted = dest
        .strip_prefix('"')
        .and_then(|d| d.strip_suffix('"'))
        .unwrap_or(dest);
    unquoted.ends_with('/') || unquoted == "."
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{fix_count, fixed};
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3021";

    #[test]
    fn flags_the_destination() {
        let text =
            "FROM alpine:3.20\nCOPY a b /app\nCOPY a b /app/\nCOPY a /app\nCOPY a b .\nADD a b c\n";
        assert_eq!(spans(text, CODE), vec!["/app", "c"]);
    }

    #[test]
    fn expands_the_destination() {
        let text = "FROM alpine:3.20\nENV DIR=/srv/ FILE=/srv/x\nCOPY a b $DIR\nCOPY a b ${FILE}\n";
        assert_eq!(spans(text, CODE), vec!["${FILE}"]);
    }

    #[test]
    fn exec_form_heredocs_and_onbuild() {
        let text = "FROM alpine:3.20\nCOPY [\"a\", \"b\", \"/x\"]\nCOPY <<A <<B /y\n1\nA\n2\nB\nONBUILD COPY a b /z\n";
        assert_eq!(spans(text, CODE), vec!["\"/x\"", "/y", "/z"]);
    }

    #[test]
    fn fix_adds_the_slash_inside_quotes() {
        let text = "FROM alpine:3.20\nCOPY a b /app\nCOPY a b \"/q\"\nCOPY [\"a\", \"b\", \"/x\"]\nONBUILD ADD a b ${DIR}\nCOPY <<A <<B /y\n1\nA\n2\nB\n";
        assert_eq!(
            fixed(CODE, text),
            "FROM alpine:3.20\nCOPY a b /app/\nCOPY a b \"/q/\"\nCOPY [\"a\", \"b\", \"/x/\"]\nONBUILD ADD a b ${DIR}/\nCOPY <<A <<B /y/\n1\nA\n2\nB\n"
        );
        assert_eq!(
            fixed(
                CODE,
                "# escape=`\nFROM alpine:3.20\nCOPY a `\n     b /app\n"
            ),
            "# escape=`\nFROM alpine:3.20\nCOPY a `\n     b /app/\n"
        );
        // A destination with escapes or stray quotes is left alone.
        assert_eq!(fix_count(CODE, "FROM alpine:3.20\nCOPY a b \"/q r\"\n"), 0);
        assert_eq!(fix_count(CODE, "FROM alpine:3.20\nCOPY a b C:\\app\n"), 0);
    }
}
