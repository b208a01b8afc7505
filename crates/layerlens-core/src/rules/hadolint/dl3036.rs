//! DL3036: `zypper install` without a later `zypper clean`.

use super::g1_util::append_step;
use super::g2_util::{
    head_span, invocation, last_index, removes_under, run_commands, ZYPPER_VALUE_FLAGS,
};
use crate::fix::Fix;
use crate::rules::cmd::has_cache_mount;
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3036",
    name: "zypper-clean",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Size],
    summary: "zypper's caches stay in the layer unless the same RUN cleans them.",
    docs: Docs::new(
        "Flags `zypper install`/`in` not followed, in the same RUN, by `zypper clean`/`cc` or \
         an `rm` of `/var/cache/zypp`. A cache or tmpfs mount over `/var/cache/zypp` also \
         counts.",
        "zypper keeps repository metadata and its solver cache under `/var/cache/zypp`, tens \
         of megabytes for the standard openSUSE repositories, plus downloaded RPMs when \
         `keeppackages` is on. A layer keeps whatever its RUN leaves behind, so a cleanup in a \
         later instruction only hides the files: the bytes are still pulled and stored with \
         every copy of the image. Cleaning at the end of the installing RUN drops them for good.",
        "FROM opensuse/leap:15.6\nRUN zypper --non-interactive install curl=8.6.0\n",
        "FROM opensuse/leap:15.6\nRUN zypper --non-interactive install curl=8.6.0 && zypper clean --all\n",
        "Image Size Optimization",
    )
    .with_fix_note(
        "Appends `zypper clean --all` as the last step of the RUN (or of the heredoc script) \
         that installs, in the layout the RUN already uses. Safe: only zypper reads its \
         caches, and a later `zypper install` refreshes the metadata it needs by itself, so \
         installed packages and later steps stay the same; the layer just loses the cache.",
    ),
    fix: Fixability::Safe,
    check,
};

fn is_cleanup(command: &Command) -> bool {
    let clean = command.is("zypper")
        && invocation(command, &ZYPPER_VALUE_FLAGS)
            .is_some_and(|inv| matches!(inv.sub.value.as_str(), "clean" | "cc"));
    clean || removes_under(command, &["/var/cache/zypp"])
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        if has_cache_mount(context.mounts(i), "/var/cache/zypp") {
            continue;
        }
        let commands = run_commands(context, i);
        let last_cleanup = last_index(&commands, is_cleanup);
        for (at, (command, part)) in commands.iter().enumerate() {
            if !command.is("zypper") {
                continue;
            }
            let Some(inv) = invocation(command, &ZYPPER_VALUE_FLAGS) else {
                continue;
            };
            if !matches!(inv.sub.value.as_str(), "install" | "in") {
                continue;
            }
            if last_cleanup.is_some_and(|last| last > at) {
                continue;
            }
            let finding = report.add(
                i,
                head_span(context.model, part, command, inv.sub),
                "end this RUN with `zypper clean --all` so zypper's caches do not stay in the layer",
            );
            finding.fix = append_step(context, i, part, "zypper clean --all").map(|edit| {
                Fix::safe("Clean the zypper caches at the end of this RUN", vec![edit])
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::fixed;
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3036";

    #[test]
    fn cleanup_must_follow_in_the_same_run() {
        let text = "FROM opensuse/leap:15.6\nRUN zypper cc && zypper -n in a=1\nRUN zypper -n in b=1 && zypper clean -a\nRUN zypper -n in c=1 && rm -rf /var/cache/zypp/*\nRUN zypper -n in d=1 && rm -rf /tmp/x\n";
        assert_eq!(spans(text, CODE), vec!["zypper -n in", "zypper -n in"]);
    }

    #[test]
    fn heredoc_and_sh_c() {
        let text = "FROM opensuse/leap:15.6\nRUN <<EOF\nzypper -n in a=1\nzypper clean\nEOF\nRUN bash -c 'zypper -n install b=1'\n";
        assert_eq!(spans(text, CODE), vec!["zypper -n install"]);
    }

    #[test]
    fn fix_appends_zypper_clean() {
        assert_eq!(
            fixed(CODE, "FROM opensuse/leap:15.6\nRUN zypper -n in a=1\n"),
            "FROM opensuse/leap:15.6\nRUN zypper -n in a=1 && zypper clean --all\n"
        );
        assert_eq!(
            fixed(CODE, "FROM opensuse/leap:15.6\nRUN zypper -n ref \\\n    && zypper -n in \\\n       a=1\n"),
            "FROM opensuse/leap:15.6\nRUN zypper -n ref \\\n    && zypper -n in \\\n       a=1 \\\n    && zypper clean --all\n"
        );
        assert_eq!(
            fixed(
                CODE,
                "FROM opensuse/leap:15.6\nRUN <<EOF\nzypper -n in a=1\nEOF\n"
            ),
            "FROM opensuse/leap:15.6\nRUN <<EOF\nzypper -n in a=1\nzypper clean --all\nEOF\n"
        );
    }
}
