//! UndefinedArgInFrom: a FROM that uses a variable no global ARG declares (BuildKit's check).

use super::g4_util::{suggest, variable_span, GlobalScope};
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "UndefinedArgInFrom",
    name: "undefined-arg-in-from",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary:
        "A FROM can only use ARGs declared before the first FROM; anything else expands to nothing.",
    docs: Docs::new(
        "Flags a variable in a FROM image or `--platform` value that is neither declared by an \
         ARG before the first FROM (with or without a default) nor one of BuildKit's builtin \
         platform ARGs (`BUILDPLATFORM`, `TARGETARCH`, ...). A close match is suggested.",
        "FROM is expanded in the global scope only: ARGs declared inside an earlier stage, ENV \
         values and typos are all empty there. `FROM node:22${VARIANT}` then silently pulls \
         `node:22` (a different, usually ~1 GB larger image than the `-alpine` variant you \
         meant), and a misspelt `--platform=$BUILDPLATFROM` fails the build with an empty \
         platform. Declaring the ARG at the top of the file makes the value explicit and \
         overridable with `--build-arg`.",
        "FROM node:22${VARIANT} AS build\nRUN node --version\n",
        "ARG VARIANT=-alpine3.20\nFROM node:22${VARIANT} AS build\nRUN node --version\n",
        "Multi-Stage Builds",
    ),
    // No fix: declaring the ARG (and its default) is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let scope = GlobalScope(context.model);
    let keys = scope.keys();
    let text = &context.model.doc.text;
    for stage in &context.model.stages {
        let i = stage.from;
        let Typed::From(from) = context.typed(i) else {
            continue;
        };
        let mut fields = vec![&from.image];
        if let Some(platform) = &from.platform {
            fields.push(&platform.text);
        }
        let mut reported: Vec<String> = Vec::new();
        for (index, field) in fields.into_iter().enumerate() {
            let word = if index == 0 {
                from.image.value.as_str()
            } else {
                from.platform.as_ref().map_or("", |p| p.value.as_str())
            };
            let Some(processed) = scope.process(word) else {
                continue;
            };
            for name in processed.unmatched {
                if keys.contains(&name.as_str()) || reported.contains(&name) {
                    continue;
                }
                let hint = suggest(&name, keys.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                report.add(
                    i,
                    variable_span(text, field.span, &name),
                    format!(
                        "`{name}` is not declared before the first FROM, so it expands to an empty string here{hint}; add `ARG {name}=<default>` at the top of the file"
                    ),
                );
                reported.push(name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "UndefinedArgInFrom";

    #[test]
    fn buildkit_cases() {
        for ok in [
            "\nARG base=scratch\nFROM $base\nCOPY Dockerfile .\n",
            "\nARG BUILDPLATFORM=linux/amd64\nFROM --platform=$BUILDPLATFORM scratch\nCOPY Dockerfile .\n",
            "\nFROM --platform=$BUILDPLATFORM scratch\nCOPY Dockerfile .\n",
            "\nARG DEBUG\nFROM scratch${DEBUG}\nCOPY Dockerfile .\n",
            "\nARG DEBUG\nFROM scra${DEBUG:-tch}\nCOPY Dockerfile .\n",
            "\nARG DEBUG=\"\"\nFROM scratch${DEBUG-@bogus}\nCOPY Dockerfile .\n",
        ] {
            assert!(lines(ok, CODE).is_empty(), "{ok}");
        }
        let f = findings(
            "\nFROM --platform=$BULIDPLATFORM scratch\nCOPY Dockerfile .\n",
            CODE,
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].1.contains("`BULIDPLATFORM`") && f[0].1.contains("did you mean `BUILDPLATFORM`")
        );
        let f = findings("\nARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\nCOPY Dockerfile .\n", CODE);
        assert!(f[0].1.contains("did you mean `MY_ARCH`"), "{f:?}");
        let f = findings(
            "\nARG tag=latest\nFROM busybox:${tag}${version} AS b\nCOPY Dockerfile .\n",
            CODE,
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].1.contains("`version`") && !f[0].1.contains("did you mean"));
    }

    #[test]
    fn stage_args_do_not_reach_from() {
        let text = "FROM alpine AS a\nARG TAG=3\nFROM alpine:${TAG}\n";
        assert_eq!(lines(text, CODE), vec![3]);
        let text = "# check=skip=UndefinedArgInFrom\nFROM alpine:${TAG}\n";
        assert!(lines(text, CODE).is_empty());
        let text = "FROM alpine\n# check=skip=UndefinedArgInFrom\nFROM alpine:${TAG}\n";
        assert!(lines(text, CODE).is_empty());
    }
}
