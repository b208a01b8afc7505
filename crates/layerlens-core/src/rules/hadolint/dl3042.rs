//! DL3042: `pip install` keeping its download cache in the layer.

use super::g3_util::{insert_arg_after, lookup};
use crate::fix::Fix;
use crate::rules::cmd::{has_cache_mount, is_truthy};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3042",
    name: "pip-no-cache-dir",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Size],
    summary:
        "pip stores every downloaded wheel under ~/.cache/pip; in an image that is dead weight.",
    docs: Docs::new(
        "Flags `pip install` (also `pip3`, `pip3.12`, `python -m pip install`) without \
         `--no-cache-dir`, unless `PIP_NO_CACHE_DIR` is set to a true value (by ENV or ARG in \
         the stage or a parent stage, or in the RUN itself) or the RUN mounts a cache or \
         tmpfs on the pip cache directory. pipx and pipenv are not pip and are not checked.",
        "pip keeps a copy of every wheel and source archive it downloads in ~/.cache/pip so \
         that a second install on the same machine is faster. In an image there is no second \
         install: the cache is pure weight, often as large as the installed packages \
         themselves (tens to hundreds of MB for numpy, pandas or torch), and it is frozen \
         into the layer where a later `rm` cannot reclaim it.",
        "FROM python:3.13-slim\nRUN pip install requests==2.32.3\n",
        "FROM python:3.13-slim\nRUN pip install --no-cache-dir requests==2.32.3\n",
        "Image Size Optimization",
    )
    .with_fix_note(
        "Adds `--no-cache-dir` right after `install` (as a new JSON element in exec form, \
         inside the string of `sh -c '...'`). Safe: the flag only stops pip from keeping a \
         copy of what it downloads; the installed packages are the same.",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

/// `pip`, `pip3`, `pip3.12`, `pip2` (not `pipx`, `pipenv`, `pip-compile`).
fn is_pip_name(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python`, `python3`, `python3.12`.
fn is_python_name(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The `install` word of a pip install (`pip … install`, `python -m pip install`).
fn install_word(command: &Command) -> Option<&crate::shell::Word> {
    let name = command.basename()?;
    if is_pip_name(name) {
        return command
            .positional_args()
            .into_iter()
            .find(|w| w.value == "install");
    }
    let args = command.args();
    let k = args
        .iter()
        .position(|w| w.value == "-mpip")
        .map(|k| k + 1)
        .or_else(|| {
            args.windows(2)
                .position(|w| w[0].value == "-m" && w[1].value == "pip")
                .map(|k| k + 2)
        })?;
    args.get(k).filter(|w| w.value == "install")
}

/// Whether `command` is a pip install: `pip … install` or `python -m pip … install`.
pub(super) fn is_pip_install(command: &Command) -> bool {
    let Some(name) = command.basename() else {
        return false;
    };
    let args: Vec<&str> = command.args().iter().map(|w| w.value.as_str()).collect();
    if is_pip_name(name) {
        return command
            .positional_args()
            .iter()
            .any(|w| w.value == "install");
    }
    if is_python_name(name) {
        return args
            .windows(3)
            .any(|w| w[0] == "-m" && w[1] == "pip" && w[2] == "install")
            || args
                .windows(2)
                .any(|w| w[0] == "-mpip" && w[1] == "install");
    }
    false
}

/// Whether `text` sets `PIP_NO_CACHE_DIR` to a true value (`PIP_NO_CACHE_DIR=1 pip …`,
/// `export PIP_NO_CACHE_DIR=on`).
fn text_disables_cache(text: &str) -> bool {
    text.match_indices("PIP_NO_CACHE_DIR=").any(|(at, key)| {
        let value: String = text[at + key.len()..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !";&|)".contains(*c))
            .filter(|c| *c != '"' && *c != '\'')
            .collect();
        is_truthy(&value)
    })
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        let mounts = context.mounts(i);
        if has_cache_mount(mounts, ".cache/pip")
            || mounts.iter().any(|m| {
                matches!(
                    m.kind,
                    crate::instructions::MountType::Cache | crate::instructions::MountType::Tmpfs
                ) && m
                    .target
                    .as_deref()
                    .is_some_and(|t| t.trim_end_matches('/').ends_with(".cache"))
            })
        {
            continue;
        }
        let env_off = lookup(context, i, "PIP_NO_CACHE_DIR")
            .flatten()
            .is_some_and(|v| is_truthy(&v));
        if env_off || text_disables_cache(&run.full_text()) {
            continue;
        }
        for (command, part) in run.commands() {
            if !is_pip_install(command)
                || command.args().iter().any(|w| w.value == "--no-cache-dir")
            {
                continue;
            }
            let name = match command.basename() {
                Some(n) if is_python_name(n) => format!("{n} -m pip"),
                Some(n) => n.to_string(),
                None => "pip".to_string(),
            };
            let fix = install_word(command).and_then(|word| {
                insert_arg_after(context.model, run, part, command, word, "--no-cache-dir")
            });
            report
                .add(
                    i,
                    part.command_span(context.model, command),
                    format!(
                        "`{name} install` keeps downloaded packages in ~/.cache/pip inside the layer; \
                         add `--no-cache-dir` (or set `ENV PIP_NO_CACHE_DIR=1`)"
                    ),
                )
                .fix = fix.map(|edit| Fix::safe("Add `--no-cache-dir`", vec![edit]));
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
            .filter(|f| f.code == "DL3042")
            .count()
    }

    #[test]
    fn recognises_pip_spellings() {
        assert_eq!(count("FROM p\nRUN python3 -m pip install a\n"), 1);
        assert_eq!(count("FROM p\nRUN pip3.12 install a\n"), 1);
        assert_eq!(count("FROM p\nRUN pipx install a\n"), 0);
        assert_eq!(count("FROM p\nRUN pip-compile install\n"), 0);
        assert_eq!(count("FROM p\nRUN sh -c 'pip install a'\n"), 1);
        assert_eq!(count("FROM p\nRUN <<EOF\npip install a\nEOF\n"), 1);
    }

    #[test]
    fn switches_and_mounts() {
        assert_eq!(
            count("FROM p\nARG PIP_NO_CACHE_DIR=1\nRUN pip install a\n"),
            0
        );
        assert_eq!(
            count("FROM p\nENV PIP_NO_CACHE_DIR=1\nENV PIP_NO_CACHE_DIR=0\nRUN pip install a\n"),
            1
        );
        assert_eq!(
            count("FROM p\nRUN --mount=type=cache,target=/root/.cache pip install a\n"),
            0
        );
        assert_eq!(count("FROM p\nONBUILD RUN pip install a\n"), 1);
    }

    #[test]
    fn fixes() {
        use super::super::g4_util::fixed;
        let f = |t: &str| fixed(t, "DL3042");
        assert_eq!(
            f("FROM p\nRUN pip install flask==3.0.0\n"),
            "FROM p\nRUN pip install --no-cache-dir flask==3.0.0\n"
        );
        assert_eq!(
            f("FROM p\nRUN python3 -m pip install -U pip \\\n    && pip3 install -r req.txt\n"),
            "FROM p\nRUN python3 -m pip install --no-cache-dir -U pip \\\n    && pip3 install --no-cache-dir -r req.txt\n"
        );
        assert_eq!(
            f("# escape=`\nFROM p\nRUN pip install `\n    flask\n"),
            "# escape=`\nFROM p\nRUN pip install --no-cache-dir `\n    flask\n"
        );
        assert_eq!(
            f("FROM p\nRUN [\"pip\", \"install\", \"flask\"]\n"),
            "FROM p\nRUN [\"pip\", \"install\", \"--no-cache-dir\", \"flask\"]\n"
        );
        assert_eq!(
            f("FROM p\nRUN sh -c 'pip install flask'\n"),
            "FROM p\nRUN sh -c 'pip install --no-cache-dir flask'\n"
        );
        assert_eq!(
            f("FROM p\nONBUILD RUN pip install -r r.txt\n"),
            "FROM p\nONBUILD RUN pip install --no-cache-dir -r r.txt\n"
        );
        assert_eq!(
            f("FROM p\nRUN <<EOF\npip install flask\nEOF\n"),
            "FROM p\nRUN <<EOF\npip install --no-cache-dir flask\nEOF\n"
        );
        // A `sh -c` string inside exec form cannot be edited exactly: no fix.
        let exec_sh = "FROM p\nRUN [\"sh\", \"-c\", \"pip install flask\"]\n";
        assert_eq!(f(exec_sh), exec_sh);
    }
}
