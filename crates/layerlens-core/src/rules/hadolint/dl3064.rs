//! DL3064: ARG or ENV names that suggest a secret.

use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "DL3064",
    name: "secret-in-arg-or-env",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Security],
    summary: "ARG and ENV values are stored in the image metadata where anyone who pulls it can read them.",
    docs: Docs::new(
        "Flags an ARG or ENV (also under ONBUILD) whose name is a well-known credential \
         variable (`AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`, `NPM_TOKEN`, \
         `POSTGRES_PASSWORD`…) or contains `password`, `secret`, `token`, `api_key`, \
         `client_key`, `private` or `username`, in any letter case.",
        "ENV values are written into the image config, and ARG values used by a RUN are \
         recorded in the layer history: `docker history --no-trunc` or any registry viewer \
         shows them to everyone who can pull the image, forever, even after the variable is \
         unset in a later layer. Secret mounts (`RUN --mount=type=secret`) hand the value to \
         one RUN without storing it anywhere.",
        "FROM node:22-alpine\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > ~/.npmrc && npm ci\n",
        "FROM node:22-alpine\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n",
        "Security Best Practices",
    ),
    // No fix: moving a secret to a secret mount changes how the build is invoked.
    fix: crate::rules::Fixability::None,
    check,
};

/// Names of credential variables used by common tools and services (upper case).
const KNOWN: [&str; 56] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AZURE_CLIENT_SECRET",
    "AZURE_STORAGE_KEY",
    "AZURE_STORAGE_CONNECTION_STRING",
    "GOOGLE_API_KEY",
    "GCP_SERVICE_ACCOUNT_KEY",
    "DIGITALOCEAN_ACCESS_TOKEN",
    "CLOUDFLARE_API_TOKEN",
    "HEROKU_API_KEY",
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "GITLAB_TOKEN",
    "CI_JOB_TOKEN",
    "BITBUCKET_APP_PASSWORD",
    "NPM_TOKEN",
    "NPM_AUTH_TOKEN",
    "NODE_AUTH_TOKEN",
    "YARN_NPM_AUTH_TOKEN",
    "PYPI_TOKEN",
    "TWINE_PASSWORD",
    "POETRY_PYPI_TOKEN_PYPI",
    "GEM_HOST_API_KEY",
    "NUGET_API_KEY",
    "CARGO_REGISTRY_TOKEN",
    "DOCKER_PASSWORD",
    "DOCKERHUB_TOKEN",
    "DOCKER_AUTH_CONFIG",
    "REGISTRY_PASSWORD",
    "POSTGRES_PASSWORD",
    "PGPASSWORD",
    "MYSQL_ROOT_PASSWORD",
    "MYSQL_PASSWORD",
    "MARIADB_ROOT_PASSWORD",
    "MONGO_INITDB_ROOT_PASSWORD",
    "REDIS_PASSWORD",
    "RABBITMQ_DEFAULT_PASS",
    "ELASTIC_PASSWORD",
    "DATABASE_URL",
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "HF_TOKEN",
    "HUGGING_FACE_HUB_TOKEN",
    "STRIPE_SECRET_KEY",
    "STRIPE_API_KEY",
    "SLACK_TOKEN",
    "SLACK_WEBHOOK_URL",
    "SENDGRID_API_KEY",
    "TWILIO_AUTH_TOKEN",
    "SENTRY_AUTH_TOKEN",
    "DD_API_KEY",
    "NEW_RELIC_LICENSE_KEY",
    "VAULT_TOKEN",
    "CONSUL_HTTP_TOKEN",
    "GPG_PASSPHRASE",
];

/// Fragments that mark a name as a likely secret (lower case).
const FRAGMENTS: [&str; 7] = [
    "password",
    "secret",
    "token",
    "api_key",
    "client_key",
    "private",
    "username",
];

fn is_sensitive(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if KNOWN.contains(&upper.as_str()) {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    FRAGMENTS.iter().any(|f| lower.contains(f))
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let names: Vec<(&str, Span, &str)> = match context.typed_effective(i).0 {
            Typed::Arg(decls) => decls
                .iter()
                .map(|d| (d.name.as_str(), d.text.span, "ARG"))
                .collect(),
            Typed::Env(pairs) => pairs
                .iter()
                .map(|p| (p.key.value.as_str(), p.key.span, "ENV"))
                .collect(),
            _ => continue,
        };
        for (name, span, keyword) in names {
            if !is_sensitive(name) {
                continue;
            }
            report.add(
                i,
                span,
                format!(
                    "`{name}` looks like a credential, and {keyword} values stay readable in the \
                     image; pass it with `RUN --mount=type=secret,id=…` instead"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_sensitive;

    #[test]
    fn names() {
        assert!(is_sensitive("openai_api_key"));
        assert!(is_sensitive("my_password"));
        assert!(is_sensitive("AWS_ACCESS_KEY_ID"));
        assert!(!is_sensitive("GPG_KEY"));
        assert!(!is_sensitive("PYTHON_VERSION"));
        assert!(!is_sensitive("PATH"));
    }
}
