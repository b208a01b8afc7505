//! DL3028: `gem install` without pinned versions.

use super::g2_util::{invocation, word_span};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::{Command, Word};

pub static RULE: Rule = Rule {
    code: "DL3028",
    name: "gem-install-pin-versions",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "Unpinned gems make the same Dockerfile install different code over time.",
    docs: Docs::new(
        "Flags each gem of `gem install` / `gem i` written without a version (`rails:7.2.1`) \
         when the command has no `-v`/`--version`. Words after `--` are build options for the \
         gem's native extension, not gems.",
        "`gem install bundler` takes the newest release on rubygems.org at build time. A new \
         major version published between two builds (Bundler 1 to 2 broke many images) changes \
         the image without any change to the Dockerfile, and a rebuild to patch the base image \
         can suddenly fail. A pinned version makes rebuilds reproducible and turns upgrades \
         into a visible, reviewable edit.",
        "FROM ruby:3.3-slim\nRUN gem install bundler\n",
        "FROM ruby:3.3-slim\nRUN gem install bundler:2.5.22\n",
        "Security Best Practices",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

/// Options of `gem install` that take no value (others are assumed to take the next word).
const SWITCHES: [&str; 49] = [
    "--no-document",
    "--document",
    "--no-ri",
    "--no-rdoc",
    "--ri",
    "--rdoc",
    "--force",
    "--no-force",
    "--wrappers",
    "--no-wrappers",
    "--env-shebang",
    "--no-env-shebang",
    "--ignore-dependencies",
    "--development",
    "--development-all",
    "--conservative",
    "--minimal-deps",
    "--post-install-message",
    "--no-post-install-message",
    "--user-install",
    "--no-user-install",
    "--default",
    "--explain",
    "--lock",
    "--no-lock",
    "--suggestions",
    "--no-suggestions",
    "--vendor",
    "--local",
    "--remote",
    "--both",
    "--clear-sources",
    "--prerelease",
    "--no-prerelease",
    "--pre",
    "--verbose",
    "--no-verbose",
    "--quiet",
    "--silent",
    "--update-sources",
    "--no-update-sources",
    "--backtrace",
    "--debug",
    "--norc",
    "--no-install-dir",
    "--no-bindir",
    "--no-format-executable",
    "--format-executable",
    "--no-http-proxy",
];

/// Single-letter switches of `gem install` (clusters of these take no value).
const SHORT_SWITCHES: &str = "NfwElrbVqu";

fn takes_value(option: &str) -> bool {
    if option.contains('=') {
        return false;
    }
    if option.starts_with("--") {
        return !SWITCHES.contains(&option);
    }
    let letters = option.trim_start_matches('-');
    !letters.chars().all(|c| SHORT_SWITCHES.contains(c))
}

/// The gems named by a `gem install` (after `verb`, before `--`, option values skipped).
fn gems<'a>(command: &'a Command, verb: &Word) -> Vec<&'a Word> {
    let mut out = Vec::new();
    let mut skip_next = false;
    let args = command
        .args()
        .iter()
        .skip_while(|w| w.range != verb.range)
        .skip(1);
    for word in args {
        let value = word.value.as_str();
        if value == "--" {
            break;
        }
        if skip_next {
            skip_next = false;
        } else if value.starts_with('-') && value.len() > 1 {
            skip_next = takes_value(value);
        } else {
            out.push(word);
        }
    }
    out
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("gem") {
            let Some(inv) = invocation(command, &[]) else {
                continue;
            };
            if !matches!(inv.sub.value.as_str(), "install" | "i") {
                continue;
            }
            if command.has_flag('v') || command.has_long_flag("version") {
                continue;
            }
            for gem in gems(command, inv.sub) {
                let name = gem.value.as_str();
                if name.contains(':') {
                    continue;
                }
                report.add(
                    i,
                    word_span(context.model, part, gem),
                    format!("pin the version of `{name}` (`{name}:<version>`, or `-v <version>`)"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3028";

    #[test]
    fn switches_do_not_swallow_gems() {
        let text = "FROM ruby:3.3\nRUN gem install --no-document bundler rake:13.2.1 -N rails\n";
        assert_eq!(spans(text, CODE), vec!["bundler", "rails"]);
    }

    #[test]
    fn value_options_and_extension_flags() {
        let text = "FROM ruby:3.3\nRUN gem install -i /gems --source https://r.example nokogiri:1.16.7 -- --use-system-libraries x\n";
        assert!(spans(text, CODE).is_empty());
    }

    #[test]
    fn version_flag_pins_everything() {
        let text = "FROM ruby:3.3\nRUN gem install bundler -v 2.5.22 && gem i -v1 foo && gem install --version=2 bar\n";
        assert!(spans(text, CODE).is_empty());
    }

    #[test]
    fn sh_c_heredoc_and_exec_form() {
        let text = "FROM ruby:3.3\nRUN <<EOF\ngem install a\nEOF\nRUN sh -c 'gem i b'\nRUN [\"gem\", \"install\", \"c\"]\n";
        assert_eq!(spans(text, CODE), vec!["a", "b", "\"c\""]);
    }
}
