//! DL3033: `yum install` without pinned versions.

use std::collections::HashSet;

use super::g2_util::{find_verb, variable_names, word_span, RPM_GROUPS, RPM_VALUE_FLAGS};
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3033",
    name: "yum-pin-versions",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "Unpinned yum packages make the same Dockerfile build different images over time.",
    docs: Docs::new(
        "Flags each package of `yum install` without a version: a pinned package has a `-` \
         followed by version parts made of letters, digits and `.~^_:+`, one of them starting \
         with a digit (`httpd-2.4.57`, `openssl-1:3.0.7`); or is an `.rpm` file; or has its \
         version in a `${VAR}` set by an ENV of the stage or an ARG. For `yum module install`, \
         each module needs a stream (`nodejs:20`).",
        "`yum install httpd` installs whatever version the mirrors carry on the day of the \
         build, so two builds of one commit can differ and a rebuild can pull in a new \
         upstream release, with new defaults or bugs, without any change to the Dockerfile. \
         Naming the version (`httpd-2.4.57`) makes the build reproducible and turns upgrades \
         into a reviewed edit; the build fails loudly, instead of drifting silently, when the \
         version leaves the repository.",
        "FROM rockylinux:9\nRUN yum install -y httpd && yum clean all\n",
        "FROM rockylinux:9\nRUN yum install -y httpd-2.4.57 && yum clean all\n",
        "Security Best Practices",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

/// Characters allowed in the version parts of a package spec.
fn is_version_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ".~^_:+".contains(c)
}

/// Whether a yum/dnf package spec names a version. `known` tells whether a variable is
/// set by an ENV or ARG at this point.
pub(super) fn is_versioned(package: &str, known: &dyn Fn(&str) -> bool) -> bool {
    let Some((_, version)) = package.split_once('-') else {
        return false;
    };
    if package.ends_with(".rpm") {
        return true;
    }
    if package.contains('$') && variable_names(package).into_iter().any(known) {
        return true;
    }
    let parts: Vec<&str> = version.split('-').collect();
    parts.iter().all(|p| p.chars().all(is_version_char))
        && parts
            .iter()
            .any(|p| p.starts_with(|c: char| c.is_ascii_digit()))
}

fn check(context: &Context, report: &mut Report) {
    // ARG names declared so far anywhere in the file (an ARG of another stage counts too).
    let mut args: HashSet<&str> = HashSet::new();
    // ENV names set before the first FROM (invalid for BuildKit, but hadolint reads them as
    // the environment of the instructions that follow).
    let mut loose_env: HashSet<&str> = HashSet::new();
    for i in 0..context.len() {
        match context.typed(i) {
            Typed::Arg(decls) => {
                args.extend(decls.iter().map(|d| d.name.as_str()));
                continue;
            }
            Typed::Env(pairs) if context.stage_of(i).is_none() => {
                loose_env.extend(pairs.iter().map(|p| p.key.value.as_str()));
                continue;
            }
            _ => {}
        }
        let Some(run) = context.run(i) else { continue };
        let scope = context.model.scope(i);
        let in_stage = context.stage_of(i).is_some();
        let known = |name: &str| {
            args.contains(name)
                || scope.binding(name).is_some()
                || (!in_stage && loose_env.contains(name))
        };
        for (command, part) in run.commands_named("yum") {
            let Some(found) = find_verb(command, &RPM_VALUE_FLAGS, &["install"], &RPM_GROUPS)
            else {
                continue;
            };
            let module = found.group.is_some_and(|g| g.value == "module");
            if found.group.is_some() && !module {
                // `yum group install <group>`: groups have no versions.
                continue;
            }
            for package in found.operands {
                let name = package.value.as_str();
                let message = if module {
                    if name.contains(':') {
                        continue;
                    }
                    format!("give the module `{name}` a stream (`{name}:<stream>`)")
                } else {
                    if is_versioned(name, &known) {
                        continue;
                    }
                    format!("pin the version of `{name}` (`{name}-<version>`)")
                };
                report.add(i, word_span(context.model, part, package), message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::spans;
    use super::is_versioned;

    const CODE: &str = "DL3033";

    #[test]
    fn version_algorithm() {
        let none = |_: &str| false;
        for pinned in [
            "tomcat-9.2",
            "openssl-1:1.1.1k",
            "rpm-sign-4.16.1.3",
            "gcc-c++-1.1.1",
            "bar-x-1a",
            "/tmp/a-b.rpm",
        ] {
            assert!(is_versioned(pinned, &none), "{pinned}");
        }
        for unpinned in ["tomcat", "git-core", "bar-x-1a/b", "foo-${X}", "x.rpm"] {
            assert!(!is_versioned(unpinned, &none), "{unpinned}");
        }
        assert!(is_versioned("git-core-${v}", &|n| n == "v"));
        assert!(is_versioned("git-core-$v", &|n| n == "v"));
    }

    #[test]
    fn variables_need_an_env_or_an_earlier_arg() {
        let text = "FROM fedora:40\nRUN yum install -y git-core-${late}\nARG late=1\nENV v=2\nRUN yum install -y git-core-$v git-core-${late} git-core-${none}\n";
        assert_eq!(
            spans(text, CODE),
            vec!["git-core-${late}", "git-core-${none}"]
        );
    }

    #[test]
    fn option_values_and_groups_are_not_packages() {
        let text = "FROM fedora:40\nRUN yum -y --setopt tsflags=nodocs --enablerepo epel install a-1 && yum -y group install 'Development Tools' && yum -y module install nodejs\n";
        assert_eq!(spans(text, CODE), vec!["nodejs"]);
    }

    #[test]
    fn sh_c_heredoc_exec_form_onbuild() {
        let text = "FROM fedora:40\nRUN <<EOF\nyum install -y a\nEOF\nRUN sh -c 'yum install -y b'\nRUN [\"yum\", \"install\", \"-y\", \"c\"]\nONBUILD RUN yum install -y d\n";
        assert_eq!(spans(text, CODE), vec!["a", "b", "\"c\"", "d"]);
    }
}
