//! DL3066: USER given by name rather than numeric UID.

use super::g3_util::{has_var, known_value};
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3066",
    name: "user-numeric-id",
    origin: Origin::Hadolint,
    severity: Severity::Info,
    categories: &[Category::Security, Category::Production],
    summary:
        "Orchestrators can only verify a numeric UID; a user name needs the image's /etc/passwd.",
    docs: Docs::new(
        "Flags `USER name` or `USER name:group` whose user part is not a number. A user \
         given by a variable is judged by its value when ARG/ENV give it one, and left alone \
         when the value is only known at build time.",
        "Kubernetes' `runAsNonRoot` cannot tell whether `USER app` is root without reading \
         the image's /etc/passwd, so it refuses to start the pod; volume ownership and \
         `securityContext` rules also work with numbers. `USER 10001:10001` states the \
         identity outright and keeps working if the user database changes.",
        "FROM alpine:3.20\nRUN adduser -D -u 10001 app\nUSER app\n",
        "FROM alpine:3.20\nRUN adduser -D -u 10001 app\nUSER 10001:10001\n",
        "Security Best Practices",
    ),
    // No fix: the numeric UID of the user depends on the image's /etc/passwd.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Typed::User(user) = context.typed(i) else {
            continue;
        };
        let value = if has_var(&user.value) {
            match known_value(context, i, &user.value) {
                Some(v) => v,
                None => continue,
            }
        } else {
            user.value.clone()
        };
        let uid = value.split(':').next().unwrap_or("");
        if !uid.is_empty() && uid.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        report.add(
            i,
            user.span,
            format!(
                "user `{uid}` is a name; use its numeric UID (e.g. `USER 10001`) so the runtime \
                 can check it without /etc/passwd"
            ),
        );
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
            .filter(|f| f.code == "DL3066")
            .count()
    }

    #[test]
    fn variables() {
        assert_eq!(count("FROM a\nARG U=app\nUSER $U\n"), 1);
        assert_eq!(count("FROM a\nARG U=1000\nUSER ${U}:${U}\n"), 0);
        assert_eq!(count("FROM a\nARG U\nUSER $U\n"), 0);
        assert_eq!(count("FROM a\nENV U=1000\nUSER $U\n"), 0);
    }
}
