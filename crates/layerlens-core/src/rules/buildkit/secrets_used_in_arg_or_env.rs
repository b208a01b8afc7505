//! SecretsUsedInArgOrEnv: an ARG or ENV whose name says it holds a secret (BuildKit's check).

use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "SecretsUsedInArgOrEnv",
    name: "secrets-used-in-arg-or-env",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Security],
    summary: "ARG and ENV values end up in the image metadata or history, readable by anyone who can pull it.",
    docs: Docs::new(
        "Flags an ENV key, or an ARG declared inside a stage, whose name contains one of the \
         `_`-separated words `apikey`, `auth`, `credential(s)`, `key`, `password`, `pword`, \
         `passwd`, `secret` or `token` (any case), unless it also contains `public`, `file` or \
         `version` (`PUBLIC_KEY`, `PASSWORD_FILE` are fine). Global ARGs before the first FROM \
         are not checked, as in BuildKit.",
        "ENV values are stored in the image configuration: `docker inspect` shows them to anyone \
         who can pull the image, and every container started from it inherits them. ARG values \
         used by a RUN are written into the image history (`docker history --no-trunc`) and the \
         build cache. A leaked registry token or database password in a public image is a \
         breach. Secret mounts (`RUN --mount=type=secret,id=...`) expose the value only while \
         that RUN executes and leave nothing in any layer.",
        "FROM alpine:3.20\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > ~/.npmrc\n",
        "FROM alpine:3.20\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n    echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > ~/.npmrc && rm ~/.npmrc\n",
        "Security Best Practices",
    ),
    // No fix: moving a secret to a secret mount changes how the build is invoked.
    fix: crate::rules::Fixability::None,
    check,
};

const DENY: [&str; 10] = [
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];
const ALLOW: [&str; 3] = ["public", "file", "version"];

/// BuildKit's patterns: a deny word delimited by `_` or the ends of the name, and no allow
/// word delimited the same way.
pub(crate) fn looks_secret(name: &str) -> bool {
    let words: Vec<String> = name.split('_').map(str::to_ascii_lowercase).collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    has(&DENY) && !has(&ALLOW)
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        match context.typed(i) {
            Typed::Env(pairs) => {
                for pair in pairs {
                    let key = context
                        .model
                        .expand(i, &pair.key.value)
                        .unwrap_or_else(|_| pair.key.value.clone());
                    if looks_secret(&key) {
                        report.add(
                            i,
                            pair.key.span,
                            format!(
                                "`{key}` looks like a secret: ENV values are stored in the image configuration for anyone to read; pass it with `RUN --mount=type=secret,id={},env={key}` where it is needed",
                                key.to_ascii_lowercase()
                            ),
                        );
                    }
                }
            }
            // Global ARGs (before the first FROM) are never dispatched, so BuildKit skips them.
            Typed::Arg(decls) if context.stage_of(i).is_some() => {
                for decl in decls {
                    if !looks_secret(&decl.name) {
                        continue;
                    }
                    let span = if decl.text.value.starts_with(&decl.name) {
                        Span::new(decl.text.span.start, decl.text.span.start + decl.name.len())
                    } else {
                        decl.text.span
                    };
                    report.add(
                        i,
                        span,
                        format!(
                            "`{}` looks like a secret: ARG values used in RUN are recorded in the image history; use `RUN --mount=type=secret,id={},env={}` instead",
                            decl.name,
                            decl.name.to_ascii_lowercase(),
                            decl.name
                        ),
                    );
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::lines;
    use super::looks_secret;

    const CODE: &str = "SecretsUsedInArgOrEnv";

    #[test]
    fn buildkit_case() {
        let text = "# check=skip=InvalidDefinitionDescription\n\nFROM scratch\nARG SECRET_PASSPHRASE\nENV SUPER_Secret=foo\nENV password=bar secret=baz\nARG super_duper_secret_token=foo auth=bar\nENV apikey=bar sunflower=foo\nENV git_key=\nENV PUBLIC_KEY=\nARG public_token\nARG SECRET_PASSPHRASE_FILE\nENV password_file=bar secret_File=baz\nARG AUTH_MODULE_VERSION\n# check=skip=SecretsUsedInArgOrEnv // allow secret in environment\nENV password=bar\n# check=skip=SecretsUsedInArgOrEnv // allow secret in arg\nARG password\n# check=skip=all // is local to only this instruction\nENV alternate_password=bar\n# check=skip=all // is local to only this instruction\nARG alternate_password\n";
        assert_eq!(lines(text, CODE), vec![4, 5, 6, 6, 7, 7, 8, 9]);
    }

    #[test]
    fn words_must_be_whole() {
        for yes in [
            "AWS_SECRET_ACCESS_KEY",
            "auth",
            "apikey",
            "git_key",
            "GITHUB_TOKEN",
        ] {
            assert!(looks_secret(yes), "{yes}");
        }
        for no in [
            "sunflower",
            "PUBLIC_KEY",
            "public_token",
            "SECRET_PASSPHRASE_FILE",
            "password_file",
            "AUTH_MODULE_VERSION",
            "KEYS",
            "TOKENIZER",
        ] {
            assert!(!looks_secret(no), "{no}");
        }
    }

    #[test]
    fn meta_args_are_not_checked_and_env_keys_are_expanded() {
        assert!(lines("ARG NPM_TOKEN\nFROM alpine\n", CODE).is_empty());
        assert_eq!(
            lines("FROM alpine\nARG KIND=TOKEN\nENV API_${KIND}=x\n", CODE),
            vec![3]
        );
    }
}
