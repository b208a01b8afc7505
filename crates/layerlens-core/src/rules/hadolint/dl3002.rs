//! DL3002: the last USER of a stage is root.

use super::g1_util::{expand_at, line_after, Expanded};
use crate::fix::{Edit, Fix};
use crate::instructions::Typed;
use crate::model::{Base, Stage};
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};
use crate::shell::Command;
use crate::syntax::Text;

pub static RULE: Rule = Rule {
    code: "DL3002",
    name: "last-user-not-root",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Security],
    summary: "A container left running as root turns any bug in the app into root access to the container.",
    docs: Docs::new(
        "Flags a `USER root` (or `0`, `root:<group>`, `0:<gid>`) that is the last USER of its \
         stage. A stage built `FROM` such a stage without its own USER inherits root, and the \
         root USER line is reported once. Like hadolint, every stage is checked.",
        "Whatever the last USER is, CMD and ENTRYPOINT run as that user. As root, a remote-code \
         bug in the app can write anywhere in the container, install tools, read every mounted \
         secret and, with a runtime or kernel flaw, escape to the host; Kubernetes policies with \
         `runAsNonRoot` refuse to start such images at all. Switching back to an unprivileged \
         user after the root-only steps costs nothing.",
        "FROM debian:bookworm-slim\nRUN useradd --create-home app\nUSER root\nCMD [\"bash\"]\n",
        "FROM debian:bookworm-slim\nRUN useradd --create-home app\nUSER app\nCMD [\"bash\"]\n",
        "Security Best Practices",
    )
    .with_fix_note(
        "Switches the stage to the non-root user this file already has: the user in effect \
         before the `USER root`, or else the last one a RUN of the stage (or of a stage it \
         is built on) creates with `useradd`/`adduser`, written as its UID when the file \
         gives one. When no RUN follows the `USER root`, \
         its value is replaced; otherwise a `USER <name>` line is added after the stage's \
         last RUN, so the steps that need root keep it. No fix when no such user is known. \
         Unsafe: the container then runs without root rights, and anything that writes to \
         root-owned paths or binds a port below 1024 at run time must be adapted.",
    ),
    fix: Fixability::Unsafe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for stage in &context.model.stages {
        let last_user = stage
            .instructions
            .iter()
            .rev()
            .find_map(|&i| match context.typed(i) {
                Typed::User(user) => Some((i, user)),
                _ => None,
            });
        let Some((i, user)) = last_user else { continue };
        let value = match expand_at(context.model, i, &user.value) {
            Expanded::Known(v) => v,
            Expanded::Unknown => continue,
        };
        let name = value.split(':').next().unwrap_or("");
        if name == "root" || name == "0" {
            let fix = to_user(context, stage, i, user);
            report
                .add(
                    i,
                    user.span,
                    format!(
                        "stage `{}` ends as `{value}`: switch to an unprivileged user (`USER app` or a numeric UID) after the steps that need root",
                        stage.label()
                    ),
                )
                .fix = fix;
        }
    }
}

/// Options of `useradd` that take a value in the next word.
const USERADD_VALUE_FLAGS: [&str; 30] = [
    "-b",
    "--base-dir",
    "-c",
    "--comment",
    "-d",
    "--home-dir",
    "--home",
    "-e",
    "--expiredate",
    "-f",
    "--inactive",
    "-g",
    "--gid",
    "-G",
    "--groups",
    "-k",
    "--skel",
    "-K",
    "--key",
    "-p",
    "--password",
    "-R",
    "--root",
    "-P",
    "--prefix",
    "-s",
    "--shell",
    "-u",
    "--uid",
    "--selinux-user",
];

/// Options of `adduser` (Debian's and BusyBox's) that take a value in the next word.
const ADDUSER_VALUE_FLAGS: [&str; 18] = [
    "--home",
    "--shell",
    "--uid",
    "--gid",
    "--ingroup",
    "--gecos",
    "--comment",
    "--firstuid",
    "--lastuid",
    "--conf",
    "--add_extra_groups",
    "-h",
    "-g",
    "-s",
    "-G",
    "-u",
    "-k",
    "--add-extra-groups",
];

/// A user name the fix can write as it is.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "root"
        && name != "0"
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.:".contains(c))
}

/// A user a `useradd`/`adduser` command creates: its name and, when given, its UID.
pub(super) struct Created {
    pub name: String,
    pub uid: Option<String>,
}

/// The user a `useradd`/`adduser` command creates.
fn created_user(c: &Command) -> Option<Created> {
    let (name, uid) = if c.is("useradd") {
        (
            c.positional_args_with(&USERADD_VALUE_FLAGS).last().copied(),
            c.flag_value("-u").or_else(|| c.flag_value("--uid")),
        )
    } else if c.is("adduser") {
        (
            c.positional_args_with(&ADDUSER_VALUE_FLAGS)
                .first()
                .copied(),
            c.flag_value("-u").or_else(|| c.flag_value("--uid")),
        )
    } else {
        return None;
    };
    let name = name?.value.as_str();
    is_plain_name(name).then(|| Created {
        name: name.to_string(),
        uid: uid
            .filter(|u| !u.is_empty() && u.chars().all(|c| c.is_ascii_digit()) && *u != "0")
            .map(str::to_string),
    })
}

/// The last user created (and named `wanted`, if given) by a RUN of `stage` before
/// instruction `before`, or of the stages it is built on.
pub(super) fn created_before(
    context: &Context,
    stage: &Stage,
    before: usize,
    wanted: Option<&str>,
) -> Option<Created> {
    let mut current = Some(stage);
    let mut limit = before;
    while let Some(s) = current {
        for &j in s.instructions.iter().rev().filter(|&&j| j < limit) {
            // ONBUILD triggers run in other builds.
            if context.typed_effective(j).1 {
                continue;
            }
            let Some(run) = context.run(j) else { continue };
            let last = run
                .commands()
                .filter_map(|(c, _)| created_user(c))
                .filter(|u| wanted.is_none_or(|w| u.name == w))
                .last();
            if last.is_some() {
                return last;
            }
        }
        limit = s.from;
        current = match s.base {
            Base::Stage(parent) if parent < s.index => context.model.stages.get(parent),
            _ => None,
        };
    }
    None
}

/// Whether the user part of a USER value is a number (`1000`, `1000:1000`).
pub(super) fn is_numeric_user(value: &str) -> bool {
    let user = value.split(':').next().unwrap_or("");
    !user.is_empty() && user.chars().all(|c| c.is_ascii_digit())
}

/// The fix for the final `USER root` (instruction `i`) of `stage`. The user is written as
/// its UID when the file gives one, so that the fix adds no DL3066 (named user) finding.
fn to_user(context: &Context, stage: &Stage, i: usize, user: &Text) -> Option<Fix> {
    let before = context
        .model
        .contexts
        .get(i)?
        .user
        .clone()
        .filter(|u| is_plain_name(u) && !u.starts_with("root:") && !u.starts_with("0:"));
    let value = match before {
        Some(u) if is_numeric_user(&u) => u,
        Some(u) => created_before(context, stage, i, Some(&u))
            .and_then(|c| c.uid)
            .unwrap_or(u),
        None => {
            let created = created_before(context, stage, i, None)?;
            created.uid.unwrap_or(created.name)
        }
    };
    let last_run = stage
        .instructions
        .iter()
        .copied()
        .rev()
        .find(|&j| j > i && matches!(context.typed(j), Typed::Run(_)));
    let edit = match last_run {
        None => {
            let written = context.model.doc.text.get(user.span.start..user.span.end)?;
            // `USER 0` as a name would be flagged by DL3066 where the number was not.
            if written != user.value || (is_numeric_user(written) && !is_numeric_user(&value)) {
                return None;
            }
            Edit::replace(user.span, value.clone())
        }
        // A new USER line must not add a DL3066 finding.
        Some(j) if is_numeric_user(&value) => line_after(context, j, &format!("USER {value}"))?,
        Some(_) => return None,
    };
    Some(Fix::unsafe_(
        format!("Run the stage as `{value}`"),
        vec![edit],
    ))
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, fix_count, fixed, spans};

    #[test]
    fn root_forms() {
        assert_eq!(spans("DL3002", "FROM a:1\nUSER root\n"), ["root"]);
        assert_eq!(count("DL3002", "FROM a:1\nUSER 0:0\n"), 1);
        assert_eq!(count("DL3002", "FROM a:1\nUSER root:wheel\n"), 1);
        assert_eq!(count("DL3002", "FROM a:1\nUSER rooter\n"), 0);
        assert_eq!(count("DL3002", "FROM a:1\nUSER root\nRUN x\nUSER app\n"), 0);
        // A USER before any FROM is not a stage's user.
        assert_eq!(count("DL3002", "USER root\nFROM a:1\n"), 0);
        // ONBUILD USER applies to child images, not this one.
        assert_eq!(count("DL3002", "FROM a:1\nONBUILD USER root\n"), 0);
    }

    #[test]
    fn variables() {
        assert_eq!(count("DL3002", "FROM a:1\nARG U=root\nUSER $U\n"), 1);
        assert_eq!(count("DL3002", "FROM a:1\nARG U\nUSER $U\n"), 0);
        assert_eq!(count("DL3002", "FROM a:1\nENV U=app\nUSER ${U}\n"), 0);
    }

    #[test]
    fn fix_switches_to_a_known_user() {
        // The user created earlier; nothing runs after the USER root.
        assert_eq!(
            fixed("DL3002", "FROM debian:12\nRUN useradd --create-home -u 1000 app\nUSER root\nCMD [\"bash\"]\n"),
            "FROM debian:12\nRUN useradd --create-home -u 1000 app\nUSER 1000\nCMD [\"bash\"]\n"
        );
        // The user before the USER root; RUNs after it keep root, the switch follows them.
        assert_eq!(
            fixed("DL3002", "FROM debian:12\nUSER 1000\nRUN make\nuser root\nRUN apt-get update \\\n  && true\nCOPY a /a\nCMD [\"run\"]\n"),
            "FROM debian:12\nUSER 1000\nRUN make\nuser root\nRUN apt-get update \\\n  && true\nUSER 1000\nCOPY a /a\nCMD [\"run\"]\n"
        );
        // Created in the stage it is built on (BusyBox adduser).
        assert_eq!(
            fixed(
                "DL3002",
                "FROM alpine:3.20 AS base\nRUN adduser -D -u 1001 -h /srv web\nFROM base\nUSER 0\n"
            ),
            "FROM alpine:3.20 AS base\nRUN adduser -D -u 1001 -h /srv web\nFROM base\nUSER 1001\n"
        );
        // A name where the file wrote `root` keeps DL3066's count.
        assert_eq!(
            fixed("DL3002", "FROM debian:12\nRUN useradd app\nUSER root\n"),
            "FROM debian:12\nRUN useradd app\nUSER app\n"
        );
    }

    #[test]
    fn no_fix_without_a_known_user() {
        // A new `USER app` line would add a named-user (DL3066) finding.
        assert_eq!(
            fix_count("DL3002", "FROM debian:12\nUSER app\nUSER root\nRUN make\n"),
            0
        );
        assert_eq!(
            fix_count("DL3002", "FROM debian:12\nRUN useradd app\nUSER 0\n"),
            0
        );
        assert_eq!(fix_count("DL3002", "FROM debian:12\nUSER root\n"), 0);
        assert_eq!(
            fix_count(
                "DL3002",
                "FROM debian:12\nONBUILD RUN useradd app\nUSER root\n"
            ),
            0
        );
    }
}
