//! DL3016: `npm install` of unpinned packages.

use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::{Command, Word};

pub static RULE: Rule = Rule {
    code: "DL3016",
    name: "npm-pin-versions",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness, Category::Security],
    summary: "`npm install <name>` without a version installs whatever the registry's `latest` tag points to today.",
    docs: Docs::new(
        "Flags packages named in `npm install <package>` without a version, tag or range \
         (`express@4.21.1`, `@scope/pkg@^2`). Git URLs need a `#<commit-or-tag>`; tarballs \
         (`.tgz`, `.tar`, `.tar.gz`) and local folders (`./`, `../`, `/`, `~/`) are accepted. \
         A bare `npm install` (dependencies from package.json and the lock file) is fine, and \
         `npm ci`, `npm i` and `npm add` are not checked, as in hadolint.",
        "`npm install express` resolves the registry's `latest` tag at build time, so the image \
         gets a different major version the day one is published (Express 4 to 5 changed \
         routing and dropped APIs). Globally installed CLIs are the usual case: the build \
         passes today and fails months later for no change in your code, and a compromised new \
         release reaches the image immediately. Pin the version, or better, declare it in \
         package.json with a lock file and run `npm ci`.",
        "FROM node:22-bookworm-slim\nRUN npm install -g pm2\n",
        "FROM node:22-bookworm-slim\nRUN npm install -g pm2@5.4.2\n",
        "Security Best Practices",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

const GIT_PREFIXES: [&str; 4] = ["git://", "git+ssh://", "git+http://", "git+https://"];
const TARBALL_SUFFIXES: [&str; 3] = [".tar", ".tar.gz", ".tgz"];
const PATH_PREFIXES: [&str; 4] = ["/", "./", "../", "~/"];

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("npm") {
            for package in unpinned(command) {
                let name = package.value.as_str();
                let hint = if GIT_PREFIXES.iter().any(|p| name.starts_with(p)) {
                    format!("add the commit or tag to `{name}` (`{name}#<commit>`)")
                } else {
                    format!("pin `{name}` to a version (`{name}@<version>`)")
                };
                report.add(
                    i,
                    part.span(context.model, &package.range),
                    format!("{hint} so rebuilds install the same code"),
                );
            }
        }
    }
}

/// The unpinned packages of an `npm install <packages>` (empty for other commands).
fn unpinned(command: &Command) -> Vec<&Word> {
    // Operands, with the values of `--loglevel` and `--registry` (written as a separate
    // word) dropped: other options keep their values as operands, like hadolint.
    let mut operands: Vec<&Word> = Vec::new();
    let mut skip = false;
    for w in command.args() {
        let v = w.value.as_str();
        if skip {
            skip = false;
        } else if v.starts_with('-') && v != "-" && v != "--" {
            skip = v == "--loglevel" || v == "--registry";
        } else if v != "--" {
            operands.push(w);
        }
    }
    if operands.first().map(|w| w.value.as_str()) != Some("install") {
        return Vec::new();
    }
    operands
        .into_iter()
        .skip_while(|w| w.value == "install")
        .filter(|w| !is_pinned(&w.value))
        .collect()
}

fn is_pinned(package: &str) -> bool {
    if GIT_PREFIXES.iter().any(|p| package.starts_with(p)) {
        return package.contains('#');
    }
    if TARBALL_SUFFIXES.iter().any(|s| package.ends_with(s))
        || PATH_PREFIXES.iter().any(|p| package.starts_with(p))
    {
        return true;
    }
    // `name@version`, `@scope/name@version`: an `@` after the scope.
    let name = match package.strip_prefix('@') {
        Some(scoped) => scoped.split_once('/').map_or("", |(_, rest)| rest),
        None => package,
    };
    name.contains('@')
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, spans};

    fn run(cmd: &str) -> usize {
        count("DL3016", &format!("FROM node:22\nRUN {cmd}\n"))
    }

    #[test]
    fn packages_and_spans() {
        let text = "FROM node:22\nRUN npm install -g express@4 typescript @nestjs/cli\n";
        assert_eq!(spans("DL3016", text), ["typescript", "@nestjs/cli"]);
        assert_eq!(run("npm install"), 0);
        assert_eq!(run("npm install --omit=dev"), 0);
        assert_eq!(run("npm ci"), 0);
        assert_eq!(run("npm i express"), 0);
        assert_eq!(run("npm run install"), 0);
        assert_eq!(run("npm --loglevel warn install express"), 1);
        assert_eq!(run("npm install --registry https://r.example express@1"), 0);
        assert_eq!(run("npm install @scope/pkg@1.2.3"), 0);
        assert_eq!(run("npm install @my-org/pkg"), 1);
        assert_eq!(run("npm install git+https://github.com/a/b.git#v1"), 0);
        assert_eq!(run("npm install git+https://github.com/a/b.git"), 1);
        assert_eq!(run("npm install ./local ~/x /abs pkg.tgz"), 0);
    }

    #[test]
    fn everywhere() {
        assert_eq!(run("sh -c 'npm install -g pm2'"), 1);
        assert_eq!(run("[\"npm\", \"install\", \"-g\", \"pm2\"]"), 1);
        assert_eq!(run("<<EOF\nnpm install -g pm2\nEOF"), 1);
        assert_eq!(
            count("DL3016", "FROM node:22\nONBUILD RUN npm install pm2\n"),
            1
        );
    }
}
