//! Helpers shared by the package-manager and stage rules of group g2 (DL3018–DL3038).

use std::collections::HashMap;

use crate::instructions::Typed;
use crate::model::Model;
use crate::rules::{Context, ScriptPart};
use crate::shell::{Command, Word};
use crate::text::Span;

/// A package-manager invocation split into its subcommand and the operands after it.
pub(super) struct Invocation<'a> {
    /// The first operand (`install` in `yum -y install curl`).
    pub sub: &'a Word,
    /// The operands after the subcommand, option values removed.
    pub rest: Vec<&'a Word>,
}

/// Splits `cmd` into subcommand and operands, dropping the values of `value_flags`
/// (options written with their value in the next word: `-X url`, `--virtual name`).
pub(super) fn invocation<'a>(cmd: &'a Command, value_flags: &[&str]) -> Option<Invocation<'a>> {
    let mut positional = cmd.positional_args_with(value_flags).into_iter();
    let sub = positional.next()?;
    Some(Invocation {
        sub,
        rest: positional.collect(),
    })
}

/// An install-like invocation: `yum install a b`, or a grouped one such as
/// `yum module install a` / `dnf group install a`.
pub(super) struct Verb<'a> {
    /// `module` / `group` when the verb follows such a word.
    pub group: Option<&'a Word>,
    /// The verb itself (`install`).
    pub verb: &'a Word,
    /// The operands after the verb.
    pub operands: Vec<&'a Word>,
}

/// Finds the verb of `cmd` when it is one of `verbs`, either as the subcommand or right
/// after a subcommand listed in `groups`.
pub(super) fn find_verb<'a>(
    cmd: &'a Command,
    value_flags: &[&str],
    verbs: &[&str],
    groups: &[&str],
) -> Option<Verb<'a>> {
    let inv = invocation(cmd, value_flags)?;
    let sub = inv.sub.value.as_str();
    if verbs.contains(&sub) {
        return Some(Verb {
            group: None,
            verb: inv.sub,
            operands: inv.rest,
        });
    }
    if groups.contains(&sub) {
        let (verb, operands) = inv.rest.split_first()?;
        if verbs.contains(&verb.value.as_str()) {
            return Some(Verb {
                group: Some(inv.sub),
                verb,
                operands: operands.to_vec(),
            });
        }
    }
    None
}

/// Options of yum, dnf and microdnf that take the next word as their value.
pub(super) const RPM_VALUE_FLAGS: [&str; 30] = [
    "-c",
    "--config",
    "-d",
    "--debuglevel",
    "-e",
    "--errorlevel",
    "--rpmverbosity",
    "-R",
    "--randomwait",
    "--installroot",
    "--enablerepo",
    "--disablerepo",
    "--repo",
    "--repoid",
    "-x",
    "--exclude",
    "--color",
    "--releasever",
    "--setopt",
    "--downloaddir",
    "--destdir",
    "--disableplugin",
    "--enableplugin",
    "--disableexcludes",
    "--repofrompath",
    "--forcearch",
    "--comment",
    "--advisory",
    "--cve",
    "--platform-module",
];

/// Global options of zypper that take the next word as their value.
pub(super) const ZYPPER_VALUE_FLAGS: [&str; 15] = [
    "-c",
    "--config",
    "-R",
    "--root",
    "-D",
    "--reposd-dir",
    "-C",
    "--cache-dir",
    "--raw-cache-dir",
    "--solv-cache-dir",
    "--pkg-cache-dir",
    "--userdata",
    "-p",
    "--plus-repo",
    "--plus-content",
];

/// Subcommands that group a verb (`yum module install`, `dnf group install`).
pub(super) const RPM_GROUPS: [&str; 3] = ["group", "groups", "module"];

/// Source span from the command name to `last` (e.g. `yum install`), for findings about
/// the invocation as a whole rather than one package.
pub(super) fn head_span(model: &Model, part: &ScriptPart, cmd: &Command, last: &Word) -> Span {
    let start = cmd.words.first().map_or(cmd.range.start, |w| w.range.start);
    let end = last.range.end.max(start);
    part.span(model, &(start..end))
}

/// Source span of one word of a command.
pub(super) fn word_span(model: &Model, part: &ScriptPart, word: &Word) -> Span {
    part.span(model, &word.range)
}

/// Whether `cmd` is an `rm` that deletes something under one of `prefixes`
/// (`rm -rf /var/cache/yum/*`).
pub(super) fn removes_under(cmd: &Command, prefixes: &[&str]) -> bool {
    cmd.is("rm")
        && cmd
            .positional_args()
            .iter()
            .any(|w| prefixes.iter().any(|p| w.value.starts_with(p)))
}

/// The RUN commands of instruction `i`, flattened in source order with their part, so
/// rules can ask "is there a later cleanup" by index.
pub(super) fn run_commands<'a>(
    context: &'a Context,
    i: usize,
) -> Vec<(&'a Command, &'a ScriptPart)> {
    context
        .run(i)
        .map(|run| run.commands().collect())
        .unwrap_or_default()
}

/// Index of the last command satisfying `is_cleanup` (a command at index `at` is cleaned
/// up later exactly when this is greater than `at`).
pub(super) fn last_index(
    commands: &[(&Command, &ScriptPart)],
    is_cleanup: impl Fn(&Command) -> bool,
) -> Option<usize> {
    commands.iter().rposition(|(c, _)| is_cleanup(c))
}

/// Names of the variables a word refers to (`$name`, `${name}`, `${name:-x}`).
pub(super) fn variable_names(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(pos) = rest.find('$') {
        let after = rest.get(pos + 1..).unwrap_or("");
        let body = after.strip_prefix('{').unwrap_or(after);
        let len = body
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if let Some(name) = body.get(..len).filter(|n| !n.is_empty()) {
            out.push(name);
        }
        rest = body.get(len..).unwrap_or("");
    }
    out
}

/// Expands a COPY/ADD/FROM word with the ARG/ENV values in scope at instruction `i`
/// (which also removes quotes). `None` when expansion fails.
pub(super) fn expand(context: &Context, i: usize, word: &str) -> Option<String> {
    context.model.expand(i, word).ok()
}

/// Stage names looked up in constant time (the model's lookup is linear, and rules run it
/// for every COPY).
pub(super) struct StageNames<'a> {
    /// Lower-cased name -> index of the first stage with that name.
    first: HashMap<&'a str, usize>,
}

impl<'a> StageNames<'a> {
    pub fn new(context: &'a Context) -> Self {
        let mut first = HashMap::new();
        for stage in &context.model.stages {
            if let Some(name) = stage.name.as_deref() {
                first.entry(name).or_insert(stage.index);
            }
        }
        StageNames { first }
    }

    /// Whether `name` (any case) or the index `name` refers to a stage before `before`.
    pub fn is_stage_before(&self, name: &str, before: usize) -> bool {
        let by_name = self
            .first
            .get(name.to_lowercase().as_str())
            .is_some_and(|&index| index < before);
        by_name || name.parse::<usize>().is_ok_and(|n| n < before)
    }
}

/// The `--from` of a COPY (not under ONBUILD, whose stages belong to a child build).
pub(super) struct CopyFrom {
    /// The value after expansion and quote removal; `None` when it cannot be known
    /// (expansion failed or gave nothing).
    pub resolved: Option<String>,
    /// The whole `--from=...` flag.
    pub span: Span,
}

/// The `--from` flag of instruction `i` if it is a COPY that has one.
pub(super) fn copy_from(context: &Context, i: usize) -> Option<CopyFrom> {
    let Typed::Copy(copy) = context.typed(i) else {
        return None;
    };
    let flag = copy.from.as_ref()?;
    Some(CopyFrom {
        resolved: expand(context, i, &flag.value).filter(|v| !v.is_empty()),
        span: flag.text.span,
    })
}

#[cfg(test)]
pub(super) mod test_support {
    use crate::model::Model;
    use crate::rules::{lint, Config, LintOptions};

    /// Findings of `code` on `text`: (start line, spanned text, message).
    pub fn findings_with(text: &str, code: &str, config: &Config) -> Vec<(usize, String, String)> {
        let model = Model::parse(text);
        let options = LintOptions {
            keep_off_by_default: true,
        };
        let index = crate::text::LineIndex::new(text);
        lint(&model, config, None, &options)
            .into_iter()
            .filter(|f| f.code == code)
            .map(|f| {
                let line = index.line_col(text, f.span.start).line;
                (line, f.span.slice(text).to_string(), f.message)
            })
            .collect()
    }

    /// Findings of `code` on `text` with the default configuration.
    pub fn findings(text: &str, code: &str) -> Vec<(usize, String, String)> {
        findings_with(text, code, &Config::default())
    }

    /// The spanned texts of the findings of `code` on `text`.
    pub fn spans(text: &str, code: &str) -> Vec<String> {
        findings(text, code).into_iter().map(|f| f.1).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::variable_names;

    #[test]
    fn finds_variable_names() {
        assert_eq!(variable_names("git-${version}"), vec!["version"]);
        assert_eq!(variable_names("a-$v-${w:-1}-$"), vec!["v", "w"]);
        assert_eq!(variable_names("$$"), Vec::<&str>::new());
        assert_eq!(variable_names("plain"), Vec::<&str>::new());
    }
}
