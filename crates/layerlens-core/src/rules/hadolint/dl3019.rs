//! DL3019: `apk add` without `--no-cache`.

use super::dl3018::APK_VALUE_FLAGS;
use super::g2_util::{find_verb, head_span};
use crate::rules::cmd::has_cache_mount;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3019",
    name: "apk-add-no-cache",
    origin: Origin::Hadolint,
    severity: Severity::Info,
    categories: &[Category::Size],
    summary: "Without `--no-cache`, apk leaves its package index in the layer.",
    docs: Docs::new(
        "Flags `apk add` without `--no-cache`, unless the RUN mounts a cache or tmpfs over \
         `/var/cache/apk`.",
        "Without `--no-cache`, apk keeps the repository indexes it downloads (or that \
         `apk update` / `-U` fetched) in `/var/cache/apk`: about 2 MB for Alpine's main and \
         community repositories, stored in the layer for good even if a later RUN deletes \
         them. `--no-cache` fetches the index into memory for this one command and writes \
         nothing, so there is no `apk update` to forget and no `rm -rf /var/cache/apk/*` to \
         remember. With BuildKit, `--mount=type=cache,target=/var/cache/apk` keeps the index \
         between builds instead.",
        "FROM alpine:3.20\nRUN apk update && apk add curl~8.9\n",
        "FROM alpine:3.20\nRUN apk add --no-cache curl~8.9\n",
        "Image Size Optimization",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        if has_cache_mount(context.mounts(i), "/var/cache/apk") {
            continue;
        }
        for (command, part) in run.commands_named("apk") {
            let Some(add) = find_verb(command, &APK_VALUE_FLAGS, &["add"], &[]) else {
                continue;
            };
            if command.has_long_flag("no-cache") {
                continue;
            }
            report.add(
                i,
                head_span(context.model, part, command, add.verb),
                "use `apk add --no-cache` so the package index is not stored in the image",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3019";

    #[test]
    fn flags_the_invocation() {
        let text =
            "FROM alpine:3.20\nRUN apk update && apk add -U curl && apk --no-cache add git\n";
        assert_eq!(spans(text, CODE), vec!["apk add"]);
    }

    #[test]
    fn sees_sh_c_heredoc_and_exec_form() {
        let text = "FROM alpine:3.20\nRUN <<EOF\napk add curl\nEOF\nRUN sh -c \"apk add git\"\nRUN [\"apk\", \"add\", \"make\"]\n";
        assert_eq!(
            spans(text, CODE),
            vec!["apk add", "apk add", "\"apk\", \"add\""]
        );
    }

    #[test]
    fn cache_mount_exempts() {
        let text = "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n";
        assert!(spans(text, CODE).is_empty());
    }
}
