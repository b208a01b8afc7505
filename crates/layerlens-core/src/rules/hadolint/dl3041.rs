//! DL3041: `dnf install` of a package without a version.

use super::dl3040::DNF_VALUE_FLAGS;
use super::g3_util::{lookup, var_refs};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3041",
    name: "dnf-pin-versions",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary:
        "Unpinned dnf packages make rebuilds of the same Dockerfile install different software.",
    docs: Docs::new(
        "Flags packages given to `dnf install` or `microdnf install` without a version \
         (`name-<version>`, e.g. `httpd-2.4.62` or `openssl-1:3.2.2`), and `dnf module install` \
         specs without a stream (`nodejs:20`). Local `.rpm` files and group installs are \
         exempt; a version held in a variable defined by ARG or ENV counts as a pin.",
        "Fedora and RHEL repositories move forward continuously: `dnf install httpd` resolves \
         to whatever is newest on the day of the build, so two builds of the same commit a \
         month apart can ship different major versions, and a cache miss can silently pull \
         in an incompatible update. Pinning makes rebuilds reproducible and upgrades a \
         reviewed change in the Dockerfile.",
        "FROM fedora:41\nRUN dnf install -y httpd && dnf clean all\n",
        "FROM fedora:41\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n",
        "Security Best Practices",
    ),
    // No fix: which version to pin is the author's call (nothing in the file says it).
    fix: crate::rules::Fixability::None,
    check,
};

/// Characters of the version part of a `name-version` spec.
fn version_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ".~^_:+".contains(c)
}

/// Whether a package spec carries a version.
pub(super) fn versioned(context: &Context, i: usize, spec: &str) -> bool {
    if spec.ends_with(".rpm") {
        return true;
    }
    let Some((_, rest)) = spec.split_once('-') else {
        return false;
    };
    if var_refs(spec)
        .iter()
        .any(|v| lookup(context, i, v).is_some())
    {
        return true;
    }
    rest.split('-').all(|p| p.chars().all(version_char))
        && rest
            .split('-')
            .any(|p| p.starts_with(|c: char| c.is_ascii_digit()))
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands() {
            if !(command.is("dnf") || command.is("microdnf")) {
                continue;
            }
            let operands = command.positional_args_with(&DNF_VALUE_FLAGS);
            let sub = operands.first().map(|w| w.value.as_str());
            let (module, packages) = match sub {
                Some("install" | "in") => (false, operands.get(1..).unwrap_or(&[])),
                Some("module") if operands.get(1).is_some_and(|w| w.value == "install") => {
                    (true, operands.get(2..).unwrap_or(&[]))
                }
                _ => continue,
            };
            let tool = command.basename().unwrap_or("dnf");
            for package in packages {
                let name = package.value.as_str();
                if name.starts_with('@') || name.starts_with('/') || name.starts_with("./") {
                    continue;
                }
                let span = part.span(context.model, &package.range);
                if module {
                    if !name.contains(':') {
                        report.add(
                            i,
                            span,
                            format!(
                                "choose a stream for module `{name}` (`{name}:<stream>`) so \
                                 rebuilds get the same module version"
                            ),
                        );
                    }
                } else if !versioned(context, i, name) {
                    report.add(
                        i,
                        span,
                        format!(
                            "pin the version of `{name}` (`{tool} install {name}-<version>`) so \
                             rebuilds install the same package"
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::rules::{lint, Config, LintOptions};

    fn count(text: &str) -> usize {
        let options = LintOptions {
            keep_off_by_default: true,
        };
        lint(&Model::parse(text), &Config::default(), None, &options)
            .iter()
            .filter(|f| f.code == "DL3041")
            .count()
    }

    #[test]
    fn variables_count_only_when_in_scope() {
        // An ARG of another stage is not visible here: the version expands to nothing.
        assert_eq!(
            count("FROM f AS a\nARG v=1\nFROM f\nRUN dnf -y install git-core-${v}\n"),
            1
        );
        assert_eq!(
            count("FROM f\nARG v\nRUN dnf -y install git-core-${v}\n"),
            0
        );
    }

    #[test]
    fn reports_each_unpinned_package_and_skips_option_values() {
        assert_eq!(count("FROM f\nRUN dnf install -y a b-1 c\n"), 2);
        assert_eq!(
            count("FROM f\nRUN dnf --enablerepo crb install -y b-1\n"),
            0
        );
        assert_eq!(count("FROM f\nRUN sh -c 'microdnf install -y a'\n"), 1);
        assert_eq!(count("FROM f\nRUN dnf install -y ./local.rpm @core\n"), 0);
    }
}
