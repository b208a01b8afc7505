//! LL1007: secrets written into a layer (copied key files, credentials echoed into files).

use super::g5_util::{basename, copy_like, secret_file};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "LL1007",
    name: "secret-in-layer",
    origin: Origin::Layerlens,
    severity: Severity::Error,
    categories: &[Category::Security],
    summary: "Anything written into a layer can be read by everyone who can pull the image.",
    docs: Docs::new(
        "Flags COPY/ADD of files that hold secrets (`.env`, SSH keys such as `id_rsa`, \
         `*.pem`/`*.key` private keys, `.npmrc`, `.pypirc`, `.netrc`, `credentials`...) and \
         RUN commands that write a secret-looking literal into a file (`echo \"password\" > \
         /app/secret.txt`) or copy a build secret out of `/run/secrets` without deleting it in \
         the same RUN. Deleting the file in a later RUN does not help.",
        "An image is a stack of tar files: `docker save` or any registry pull hands every layer \
         to whoever can read the image, and a file deleted in a later layer is still in the \
         earlier one. A literal in a RUN is also kept verbatim in the image history \
         (`docker history --no-trunc`). Leaked keys and tokens must be revoked and rotated. \
         Use `RUN --mount=type=secret` for build-time secrets and runtime environment or \
         secret stores for the rest.",
        "FROM python:3.13-slim\nRUN echo \"password\" > /app/secret.txt && \\\n    rm /app/secret.txt\n",
        "# syntax=docker/dockerfile:1\nFROM python:3.13-slim\nRUN --mount=type=secret,id=db_password \\\n    DB_PASS=\"$(cat /run/secrets/db_password)\" ./migrate.sh\n",
        "Security Best Practices",
    ),
    // No fix: replacing a secret with a secret mount or a runtime variable needs a person.
    fix: crate::rules::Fixability::None,
    check,
};

/// Words that mark a value as a secret.
const SECRET_WORDS: [&str; 10] = [
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "authtoken",
    "private key",
    "access_key",
    "credential",
];

fn looks_secret(text: &str) -> bool {
    // sudoers' NOPASSWD tag is no password.
    let lower = text.to_ascii_lowercase().replace("nopasswd", "");
    SECRET_WORDS.iter().any(|w| lower.contains(w))
}

/// The file an `echo`/`printf`/`cat`/`tee` command writes to, if any (not /dev/*).
fn written_file(cmd: &Command) -> Option<&str> {
    if cmd.is("tee") {
        return cmd
            .positional_args()
            .first()
            .map(|w| w.value.as_str())
            .filter(|v| !v.starts_with("/dev/"));
    }
    cmd.redirects
        .iter()
        .filter(|r| {
            (r.op == ">" || r.op == ">>" || r.op == ">|" || r.op == "&>")
                && r.fd.is_none_or(|fd| fd == 1)
        })
        .filter_map(|r| r.target.as_ref())
        .map(|t| t.value.as_str())
        .find(|v| !v.starts_with("/dev/") && !v.starts_with('&'))
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        if let Some(copy) = copy_like(context, i) {
            for src in copy.paths() {
                let value = src.value.trim_matches('"');
                if value.contains("://")
                    && copy.keyword == "ADD"
                    && secret_file(basename(value)).is_none()
                {
                    continue;
                }
                if let Some(why) = secret_file(value) {
                    report.add(
                        i,
                        src.span,
                        format!(
                            "`{value}` looks like {why}: {} puts it in a layer anyone with the image can read; pass it with `RUN --mount=type=secret` or at run time",
                            copy.keyword
                        ),
                    );
                }
            }
            continue;
        }
        let Some(run) = context.run(i) else { continue };
        let removes_in_run = |file: &str| {
            run.commands_named("rm").any(|(c, _)| {
                c.positional_args()
                    .iter()
                    .any(|w| w.value == file || basename(&w.value) == basename(file))
            })
        };
        for (cmd, part) in run.commands() {
            let writer = cmd.is("echo")
                || cmd.is("printf")
                || cmd.is("cat")
                || cmd.is("tee")
                || cmd.is("cp");
            if !writer {
                continue;
            }
            // A build secret copied out of its mount into the layer.
            let from_secret_mount = cmd.args().iter().any(|w| w.value.contains("/run/secrets/"));
            let target = if cmd.is("cp") {
                cmd.positional_args().last().map(|w| w.value.as_str())
            } else {
                written_file(cmd)
            };
            let Some(target) = target else { continue };
            if from_secret_mount {
                if !removes_in_run(target) {
                    report.add(
                        i,
                        part.command_span(context.model, cmd),
                        format!(
                            "this copies a build secret into `{target}`, which stays in the layer: use the secret where it is mounted, or delete the file in this same RUN"
                        ),
                    );
                }
                continue;
            }
            if cmd.is("cat") || cmd.is("cp") {
                continue;
            }
            // A literal written into a secret-looking file, or a secret-looking literal.
            let content: Vec<_> = cmd
                .positional_args()
                .into_iter()
                .filter(|w| !w.has_expansion && !w.value.trim().is_empty())
                .collect();
            if content.is_empty() {
                continue;
            }
            let text: String = content
                .iter()
                .map(|w| w.value.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let secret_target = secret_file(target).is_some() || looks_secret(basename(target));
            let secret_value = looks_secret(&text)
                && content.iter().any(|w| {
                    // `KEY=value` or `key: value` with a literal value.
                    w.value
                        .split_once(['=', ':'])
                        .is_some_and(|(_, v)| !v.trim().is_empty())
                        || looks_secret(&w.value) && secret_target
                });
            if secret_target || secret_value {
                report.add(
                    i,
                    part.command_span(context.model, cmd),
                    format!(
                        "this writes a secret into `{target}`: the layer keeps the file (even if a later RUN deletes it) and the image history keeps this command; use `RUN --mount=type=secret` instead"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn guide_secret_examples() {
        let bad = "FROM python:3.13-slim\nRUN echo \"password\" > /app/secret.txt && \\\n    rm /app/secret.txt  # Still in layer!\n";
        assert_eq!(
            spans("LL1007", bad),
            ["echo \"password\" > /app/secret.txt"]
        );
        let good = "FROM python:3.13-slim\nRUN --mount=type=secret,id=db_password \\\n    export DB_PASS=$(cat /run/secrets/db_password) && \\\n    ./use.sh\n";
        assert!(findings("LL1007", good).is_empty());
    }

    #[test]
    fn copied_secret_files() {
        let text = "FROM node:22\nCOPY .npmrc package.json ./\nCOPY id_rsa /root/.ssh/\nADD certs/server.key /etc/ssl/\nCOPY .env.example ./\nCOPY ca.pem /usr/local/share/ca-certificates/\n";
        assert_eq!(
            spans("LL1007", text),
            [".npmrc", "id_rsa", "certs/server.key"]
        );
    }

    #[test]
    fn run_writes() {
        let text =
            "FROM node:22\nRUN echo \"//registry.npmjs.org/:_authToken=abc123\" > ~/.npmrc\n";
        assert_eq!(findings("LL1007", text).len(), 1);
        let text = "FROM node:22\nRUN echo \"API_TOKEN=s3cr3t\" >> /app/.env\n";
        assert_eq!(findings("LL1007", text).len(), 1);
        let text = "FROM node:22\nRUN --mount=type=secret,id=npm cp /run/secrets/npm /root/.npmrc && npm ci\n";
        assert_eq!(findings("LL1007", text).len(), 1);
        let ok = "FROM node:22\nRUN --mount=type=secret,id=npm cp /run/secrets/npm /root/.npmrc && npm ci && rm /root/.npmrc\n";
        assert!(findings("LL1007", ok).is_empty());
        // Variables (DL3064's business) and harmless echoes.
        assert!(findings(
            "LL1007",
            "FROM x\nRUN echo \"app ALL=NOPASSWD: /bin/mount\" >> /etc/sudoers\n"
        )
        .is_empty());
        assert!(findings("LL1007", "FROM x\nRUN echo \"$TOKEN\" > /tmp/t\nRUN echo hello > /tmp/greeting\nRUN echo 'gem: --no-document' >> /usr/local/etc/gemrc\n").is_empty());
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1007", text).is_empty());
        }
    }
}
