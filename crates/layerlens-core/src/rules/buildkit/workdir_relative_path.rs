//! WorkdirRelativePath: the first WORKDIR of a build is relative (BuildKit's check).

use super::g4_util::is_windows_stage;
use crate::fix::{Edit, Fix};
use crate::instructions::Typed;
use crate::model::{join_path, Base};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "WorkdirRelativePath",
    name: "workdir-relative-path",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary:
        "A relative WORKDIR depends on the base image's directory, which can change under you.",
    docs: Docs::new(
        "Flags the first WORKDIR of a stage (counting the stages it is built on) when its path, \
         after ARG/ENV expansion, is relative. Later relative WORKDIRs are fine: they build on \
         an absolute one set in this file.",
        "A relative WORKDIR is resolved against whatever working directory the base image left \
         behind. `WORKDIR app` is `/app` on `alpine` but `/usr/src/app` on an image whose last \
         WORKDIR is `/usr/src`, and it silently moves when the base image is updated or swapped: \
         COPY destinations, RUN commands and the CMD all end up in a different directory and the \
         container fails at start-up. An absolute path states where files go.",
        "FROM nginx:1.27\nWORKDIR usr/share/nginx/html\nCOPY site/ .\n",
        "FROM nginx:1.27\nWORKDIR /usr/share/nginx/html\nCOPY site/ .\n",
        "Production Optimizations",
    )
    .with_fix_note(
        "Makes the path absolute by putting `/` in front of it (`WORKDIR app` → \
         `WORKDIR /app`, `./app` → `/app`). Unsafe: this is what the path means when the \
         base image starts in `/`, as most do, but an image that sets its own WORKDIR \
         (`golang` uses /go, `php` /var/www/html) resolved it elsewhere, and files, RUNs and \
         the CMD then move. Windows stages get no fix (the drive is unknown).",
    ),
    fix: crate::rules::Fixability::Unsafe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let model = context.model;
    // Per stage: whether a WORKDIR was executed in it or in a stage it is built on
    // (BuildKit's `workdirSet`; a base image's WORKDIR does not count).
    let mut sets_workdir = vec![false; model.stages.len()];
    for (index, stage) in model.stages.iter().enumerate() {
        let inherited = match stage.base {
            Base::Stage(parent) => sets_workdir.get(parent).copied().unwrap_or(false),
            _ => false,
        };
        let first = stage
            .instructions
            .iter()
            .copied()
            .find(|&i| matches!(context.typed(i), Typed::Workdir(_)));
        sets_workdir[index] = inherited || first.is_some();
        let Some(i) = first else { continue };
        if inherited {
            continue;
        }
        let Typed::Workdir(path) = context.typed(i) else {
            continue;
        };
        let Ok(value) = model.expand(i, &path.value) else {
            continue;
        };
        let windows = is_windows_stage(model, index);
        if is_absolute(&value, windows) {
            continue;
        }
        let message = if windows {
            format!(
                "WORKDIR `{value}` is relative to the base image's working directory; write an absolute path such as `C:\\{value}`"
            )
        } else {
            let resolved = join_path(&model.contexts[i].workdir, &value);
            format!(
                "WORKDIR `{value}` is relative to the base image's working directory; write the absolute path (`{resolved}` if the base image starts in `/`)"
            )
        };
        let fix = (!windows).then(|| absolute_fix(context, path.span));
        report.add(i, path.span, message).fix = fix;
    }
}

/// Puts `/` in front of the path at `span` (inside its opening quote; `./` becomes `/`).
fn absolute_fix(context: &Context, span: crate::text::Span) -> Fix {
    let raw = span.slice(&context.model.doc.text);
    let skip = usize::from(raw.starts_with(['"', '\'']));
    let start = span.start + skip;
    let edit = if raw[skip..].starts_with("./") {
        Edit::replace(crate::text::Span::new(start, start + 2), "/")
    } else {
        Edit::insert(start, "/")
    };
    Fix::unsafe_("Make the WORKDIR absolute", vec![edit])
}

/// BuildKit's `system.IsAbs` for the stage's OS.
fn is_absolute(path: &str, windows: bool) -> bool {
    if !windows {
        return path.starts_with('/');
    }
    let bytes = path.as_bytes();
    matches!(bytes.first(), Some(b'/' | b'\\'))
        || (bytes.len() >= 3
            && bytes[0].is_ascii_alphabetic()
            && bytes[1] == b':'
            && matches!(bytes[2], b'/' | b'\\'))
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "WorkdirRelativePath";

    #[test]
    fn buildkit_cases() {
        let text = "\nFROM scratch\nWORKDIR app/\n";
        assert_eq!(lines(text, CODE), vec![3]);
        assert!(findings(text, CODE)[0].1.contains("`/app`"));
        assert!(lines(
            "\nFROM scratch AS a\nWORKDIR /app\n\nFROM a AS b\nWORKDIR subdir/\n",
            CODE
        )
        .is_empty());
        assert!(lines(
            "\nFROM scratch\n# check=skip=WorkdirRelativePath\nWORKDIR app/\n",
            CODE
        )
        .is_empty());
    }

    #[test]
    fn only_the_first_workdir_counts_and_variables_are_expanded() {
        assert!(lines("FROM alpine\nWORKDIR /app\nWORKDIR sub\n", CODE).is_empty());
        assert_eq!(
            lines("FROM alpine\nWORKDIR sub\nWORKDIR other\n", CODE),
            vec![2]
        );
        assert!(lines("FROM alpine\nENV DIR=/srv\nWORKDIR $DIR\n", CODE).is_empty());
        assert_eq!(
            lines("FROM alpine\nARG DIR=srv\nWORKDIR ${DIR}\n", CODE),
            vec![3]
        );
        // A base image's WORKDIR does not count; a parent stage's does.
        assert_eq!(
            lines("FROM alpine AS a\nRUN true\nFROM a\nWORKDIR x\n", CODE),
            vec![4]
        );
    }

    #[test]
    fn windows_paths() {
        let text = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\n";
        assert!(lines(text, CODE).is_empty());
        let text = "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR app\n";
        assert_eq!(lines(text, CODE), vec![2]);
    }

    #[test]
    fn fixes() {
        use crate::rules::hadolint::g4_util::fixed;
        assert_eq!(
            fixed("FROM alpine\nWORKDIR app/\nWORKDIR sub\n", CODE),
            "FROM alpine\nWORKDIR /app/\nWORKDIR sub\n"
        );
        assert_eq!(
            fixed("FROM alpine\nworkdir \"./my app\"\n", CODE),
            "FROM alpine\nworkdir \"/my app\"\n"
        );
        assert_eq!(
            fixed("FROM alpine\nARG DIR=srv\nWORKDIR ${DIR}/x\n", CODE),
            "FROM alpine\nARG DIR=srv\nWORKDIR /${DIR}/x\n"
        );
        let windows = "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR app\n";
        assert_eq!(fixed(windows, CODE), windows);
    }
}
