//! DL3013: `pip install` of unpinned packages.

use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::{Command, Word};

pub static RULE: Rule = Rule {
    code: "DL3013",
    name: "pip-pin-versions",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness, Category::Security],
    summary: "An unpinned pip install takes whatever PyPI serves on the day of the build.",
    docs: Docs::new(
        "Flags packages given to `pip install` (also `pip3`, `pipx`, `python -m pip`) without a \
         version specifier (`==`, `>=`, `~=`, `<`, `!=`...), a VCS reference with `@`, a local \
         path or a wheel/sdist file. Installs from a requirements (`-r`) or constraints (`-c`) \
         file, and `pip install .`, are left alone.",
        "PyPI releases land every day: `pip install flask` gives Flask 2 one month and Flask 3 \
         the next, with breaking API changes, and every transitive dependency moves with it. \
         Two builds of one commit can behave differently, a rebuild for a security fix can \
         pull a broken release, and a hijacked or typo-squatted new version goes straight into \
         the image. Pin what you install (`flask==3.0.3`), or install from a requirements or \
         lock file that pins everything.",
        "FROM python:3.13-slim\nRUN pip install --no-cache-dir flask gunicorn==23.0.0\n",
        "FROM python:3.13-slim\nRUN pip install --no-cache-dir flask==3.0.3 gunicorn==23.0.0\n",
        "Security Best Practices",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

/// Short pip options that take a value (`-i URL`, `-e PATH`, `-C key=value`...).
const SHORT_VALUE_FLAGS: [char; 6] = ['b', 'e', 'f', 'i', 't', 'C'];

/// Long pip options whose value is the next word: hadolint's list (so option values are not read
/// as package names), plus other value-taking options of `pip install`.
const VALUE_FLAGS: &[&str] = &[
    // hadolint's
    "--abi",
    "--build",
    "--editable",
    "--extra-index-url",
    "--find-links",
    "--index-url",
    "--implementation",
    "--no-binary",
    "--only-binary",
    "--platform",
    "--prefix",
    "--progress-bar",
    "--proxy",
    "--python",
    "--python-version",
    "--root",
    "--root-user-action",
    "--src",
    "--target",
    "--trusted-host",
    "--upgrade-strategy",
    // more of pip's value options
    "--cache-dir",
    "--cert",
    "--client-cert",
    "--config-settings",
    "--exists-action",
    "--global-option",
    "--keyring-provider",
    "--log",
    "--report",
    "--retries",
    "--timeout",
    "--use-deprecated",
    "--use-feature",
];

const VERSION_OPERATORS: [&str; 7] = ["==", ">=", "<=", ">", "<", "!=", "~="];
const VCS_PREFIXES: [&str; 6] = ["git+", "hg+", "svn+", "bzr+", "git://", "svn://"];

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands() {
            let Some(args) = pip_install_args(command) else {
                continue;
            };
            if uses_requirements(args) {
                continue;
            }
            let packages = packages(args);
            for package in packages.into_iter().filter(|p| !is_pinned(&p.value)) {
                let name = package.value.as_str();
                report.add(
                    i,
                    part.span(context.model, &package.range),
                    format!("pin `{name}` to a version (`{name}==<version>`), or install from a requirements file with pinned versions"),
                );
            }
        }
    }
}

/// The arguments pip sees, from `install` on, if `c` is a pip install: `pip install ...`,
/// `pip3.12 install ...`, `pipx install ...` or `python3 -m pip install ...`.
fn pip_install_args(c: &Command) -> Option<&[Word]> {
    let name = c.basename()?;
    let args = c.args();
    let pip_args = if name.starts_with("pip") && !name.starts_with("pipenv") {
        args
    } else if name.starts_with("python") {
        // `python -m pip ...` (options may come first: `python3 -u -m pip`).
        let at = args.windows(2).position(|w| {
            w[0].value == "-m" && w[1].value.starts_with("pip") && !w[1].value.starts_with("pipenv")
        })?;
        args.get(at + 2..)?
    } else {
        return None;
    };
    let first = first_operand(pip_args)?;
    (pip_args.get(first)?.value == "install").then(|| pip_args.get(first..).unwrap_or(&[]))
}

/// Index of the first operand (not an option or option value).
fn first_operand(args: &[Word]) -> Option<usize> {
    let mut skip = false;
    for (n, w) in args.iter().enumerate() {
        if skip {
            skip = false;
            continue;
        }
        let v = w.value.as_str();
        if v.starts_with('-') && v.len() > 1 {
            skip = takes_value(v);
            continue;
        }
        return Some(n);
    }
    None
}

/// Whether option word `v` (no `=value` attached) takes the next word.
fn takes_value(v: &str) -> bool {
    if v.contains('=') {
        return false;
    }
    if v.starts_with("--") {
        return VALUE_FLAGS.contains(&v);
    }
    // Short cluster: the first value-taking letter takes the rest of the word as its value,
    // or the next word when it ends the cluster (`-qe <path>`, but `-ihttps://...`).
    let cluster = v.trim_start_matches('-');
    cluster
        .char_indices()
        .find(|(_, c)| SHORT_VALUE_FLAGS.contains(c))
        .is_some_and(|(at, c)| at + c.len_utf8() == cluster.len())
}

/// `-r`/`--requirement` (a requirements file), `-c`/`--constraint`, or `.` (the local
/// project): versions are decided elsewhere.
fn uses_requirements(args: &[Word]) -> bool {
    args.iter().any(|w| {
        let v = w.value.as_str();
        if v == "."
            || ["--requirement", "--constraint"].iter().any(|f| {
                v.strip_prefix(f)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('='))
            })
        {
            return true;
        }
        // Short options: `-r file`, `-rfile`, `-qr file`; letters after a value-taking
        // option are its value (`-ihttps://...`).
        let Some(cluster) = v.strip_prefix('-').filter(|r| !r.starts_with('-')) else {
            return false;
        };
        for c in cluster.chars() {
            if c == 'r' || c == 'c' {
                return true;
            }
            if SHORT_VALUE_FLAGS.contains(&c) {
                return false;
            }
        }
        false
    })
}

/// The package arguments: operands after `install`, option values skipped.
fn packages(args: &[Word]) -> Vec<&Word> {
    let mut out = Vec::new();
    let mut skip = false;
    let mut after_dashdash = false;
    for w in args.get(1..).unwrap_or(&[]) {
        let v = w.value.as_str();
        if skip {
            skip = false;
        } else if after_dashdash {
            out.push(w);
        } else if v == "--" {
            after_dashdash = true;
        } else if v.starts_with('-') && v.len() > 1 {
            skip = takes_value(v);
        } else if v != "install" {
            out.push(w);
        }
    }
    out
}

fn is_pinned(package: &str) -> bool {
    let vcs = VCS_PREFIXES.iter().any(|p| package.starts_with(p));
    VERSION_OPERATORS.iter().any(|op| package.contains(op))
        || (vcs && package.contains('@'))
        || package.ends_with(".whl")
        || package.ends_with(".tar.gz")
        || (!vcs && package.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, spans};

    fn run(cmd: &str) -> usize {
        count("DL3013", &format!("FROM python:3\nRUN {cmd}\n"))
    }

    #[test]
    fn packages_and_spans() {
        let text = "FROM python:3\nRUN pip install --no-cache-dir flask 'requests>=2' gunicorn\n";
        assert_eq!(spans("DL3013", text), ["flask", "gunicorn"]);
        assert_eq!(run("pip install --upgrade pip"), 1);
        assert_eq!(run("pip install -U pip==24.2"), 0);
        assert_eq!(run("/usr/local/bin/pip install flask"), 1);
        assert_eq!(run("pip3.12 install flask"), 1);
        assert_eq!(run("python3 -m pip install flask"), 1);
        assert_eq!(run("python3 -m pip --no-cache-dir install flask"), 1);
        assert_eq!(run("python3 -m pip install flask==3"), 0);
        assert_eq!(run("pipenv install flask"), 0);
        assert_eq!(run("pip download flask"), 0);
        assert_eq!(run("pip install --timeout 60 flask==3"), 0);
        assert_eq!(run("pip install -e git+https://x/y.git#egg=y flask==3"), 0);
    }

    #[test]
    fn pinned_forms() {
        assert_eq!(run("pip install 'a~=1.0' 'b!=2' c===3 'd<4'"), 0);
        assert_eq!(run("pip install git+https://github.com/x/y.git@v1.0"), 0);
        assert_eq!(run("pip install git+https://github.com/x/y.git"), 1);
        assert_eq!(run("pip install ./pkg /wheels/a.whl dist/x.tar.gz"), 0);
        assert_eq!(run("pip install -r requirements.txt"), 0);
        assert_eq!(run("pip install -rrequirements.txt"), 0);
        assert_eq!(run("pip install --requirement=req.txt"), 0);
        assert_eq!(run("pip install -c constraints.txt flask"), 0);
        assert_eq!(run("pip install ."), 0);
    }

    #[test]
    fn everywhere() {
        assert_eq!(run("sh -c 'pip install flask'"), 1);
        assert_eq!(run("[\"pip\", \"install\", \"flask\"]"), 1);
        assert_eq!(run("<<EOF\npip install flask\nEOF"), 1);
        assert_eq!(
            count("DL3013", "FROM python:3\nONBUILD RUN pip install flask\n"),
            1
        );
    }
}
