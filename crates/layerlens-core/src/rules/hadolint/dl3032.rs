//! DL3032: `yum install` without a later `yum clean all`.

use super::g1_util::append_step;
use super::g2_util::{
    find_verb, head_span, last_index, removes_under, run_commands, RPM_GROUPS, RPM_VALUE_FLAGS,
};
use crate::fix::Fix;
use crate::rules::cmd::has_cache_mount;
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3032",
    name: "yum-clean-all",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Size],
    summary: "yum's metadata and package cache stay in the layer unless the same RUN cleans them.",
    docs: Docs::new(
        "Flags a `yum install` (also `groupinstall`, `localinstall`, `yum group|module install`) \
         that is not followed, in the same RUN, by `yum clean` (or `dnf clean`, as `yum` is dnf \
         on current releases) or by an `rm` of `/var/cache/yum` or `/var/cache/dnf`. A cache or \
         tmpfs mount over one of those directories also counts.",
        "yum stores repository metadata and downloaded packages under `/var/cache/yum` (or \
         `/var/cache/dnf`); after a typical install that is tens to a few hundred megabytes \
         of files nothing in the container will read. A layer keeps what its own RUN leaves \
         behind, so the cleanup has to run in that RUN: a `yum clean all` in a later \
         instruction only hides the files while the image still ships them.",
        "FROM rockylinux:9\nRUN yum install -y httpd-2.4.57\n",
        "FROM rockylinux:9\nRUN yum install -y httpd-2.4.57 && yum clean all\n",
        "Image Size Optimization",
    )
    .with_fix_note(
        "Appends `yum clean all` as the last step of the RUN (or of the heredoc script) that \
         installs, in the layout the RUN already uses. Safe: only yum reads its cache, and a \
         later `yum install` downloads fresh metadata by itself when the cache is empty, so \
         installed packages and later steps stay the same; the layer just loses the cache.",
    ),
    fix: Fixability::Safe,
    check,
};

/// Cache directories of yum and dnf.
const CACHES: [&str; 2] = ["/var/cache/yum", "/var/cache/dnf"];

fn is_cleanup(command: &Command) -> bool {
    let clean = (command.is("yum") || command.is("dnf"))
        && find_verb(command, &RPM_VALUE_FLAGS, &["clean"], &[]).is_some();
    clean || removes_under(command, &CACHES)
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let mounts = context.mounts(i);
        if CACHES.iter().any(|c| has_cache_mount(mounts, c)) {
            continue;
        }
        let commands = run_commands(context, i);
        let last_cleanup = last_index(&commands, is_cleanup);
        for (at, (command, part)) in commands.iter().enumerate() {
            if !command.is("yum") {
                continue;
            }
            let Some(found) = find_verb(
                command,
                &RPM_VALUE_FLAGS,
                &["install", "groupinstall", "localinstall"],
                &RPM_GROUPS,
            ) else {
                continue;
            };
            if last_cleanup.is_some_and(|last| last > at) {
                continue;
            }
            let finding = report.add(
                i,
                head_span(context.model, part, command, found.verb),
                "end this RUN with `yum clean all` (or `rm -rf /var/cache/yum`) so the package \
                 cache does not stay in the layer",
            );
            finding.fix = append_step(context, i, part, "yum clean all")
                .map(|edit| Fix::safe("Clean the yum cache at the end of this RUN", vec![edit]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{fix_count, fixed};
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3032";

    #[test]
    fn cleanup_must_come_later() {
        let text = "FROM centos:7\nRUN yum clean all && yum install -y a-1\nRUN yum install -y b-1 && yum clean all && yum install -y c-1 && rm -rf /var/cache/yum/*\n";
        assert_eq!(spans(text, CODE), vec!["yum install"]);
    }

    #[test]
    fn unrelated_rm_is_not_a_cleanup() {
        let text = "FROM centos:7\nRUN yum install -y a-1 && rm -rf /tmp/build\n";
        assert_eq!(spans(text, CODE), vec!["yum install"]);
    }

    #[test]
    fn cache_mount_and_dnf_clean() {
        let text = "FROM rockylinux:9\nRUN --mount=type=cache,target=/var/cache/dnf yum install -y a-1\nRUN yum install -y b-1 && dnf clean all\n";
        assert!(spans(text, CODE).is_empty());
    }

    #[test]
    fn heredoc_body_counts_as_the_same_run() {
        let text = "FROM centos:7\nRUN <<EOF\nset -e\nyum install -y a-1\nyum clean all\nEOF\nRUN <<EOF\nyum install -y b-1\nEOF\n";
        assert_eq!(spans(text, CODE), vec!["yum install"]);
    }

    #[test]
    fn fix_appends_yum_clean_all() {
        assert_eq!(
            fixed(
                CODE,
                "FROM centos:7\nRUN yum install -y a-1 && yum install -y b-1\n"
            ),
            "FROM centos:7\nRUN yum install -y a-1 && yum install -y b-1 && yum clean all\n"
        );
        assert_eq!(
            fixed(CODE, "FROM centos:7\nRUN yum install -y a-1 \\\n && yum install -y b-1\n"),
            "FROM centos:7\nRUN yum install -y a-1 \\\n && yum install -y b-1 \\\n && yum clean all\n"
        );
        assert_eq!(
            fixed(CODE, "# escape=`\nFROM centos:7\nRUN yum install -y a-1 && `\n    yum install -y b-1\n"),
            "# escape=`\nFROM centos:7\nRUN yum install -y a-1 && `\n    yum install -y b-1 && `\n    yum clean all\n"
        );
        assert_eq!(
            fixed(
                CODE,
                "FROM centos:7\nRUN <<EOF\n\tset -e\n\tyum install -y a-1\nEOF\n"
            ),
            "FROM centos:7\nRUN <<EOF\n\tset -e\n\tyum install -y a-1\n\tyum clean all\nEOF\n"
        );
        assert_eq!(
            fixed(CODE, "FROM centos:7\nONBUILD RUN yum install -y a-1\n"),
            "FROM centos:7\nONBUILD RUN yum install -y a-1 && yum clean all\n"
        );
        assert_eq!(
            fix_count(
                CODE,
                "FROM centos:7\nRUN [\"yum\", \"install\", \"-y\", \"a-1\"]\n"
            ),
            0
        );
    }
}
