//! Helpers shared by the g1 rules (DL1001–DL3016): apt subcommands, variable expansion that
//! only trusts fully known values, and which stages end up in an image.

use crate::model::{Base, Binding, Model, BUILTIN_ARGS};
use crate::shell::{Command, Word};
use crate::syntax::lex::{Env, Lexer};

use crate::rules::{Context, ScriptPart};
use crate::text::Span;

/// Options of apt-get/apt/aptitude that take the next word as their value.
pub const APT_VALUE_FLAGS: [&str; 6] = [
    "-o",
    "-c",
    "-t",
    "--target-release",
    "--option",
    "--config-file",
];

/// The subcommand of an apt-get/apt/aptitude call (`install`, `update`...): its first
/// operand once option values are skipped.
pub fn apt_subcommand(cmd: &Command) -> Option<&Word> {
    cmd.positional_args_with(&APT_VALUE_FLAGS)
        .into_iter()
        .next()
}

/// Whether `cmd` is `tool <subcommand>` for an apt front end.
pub fn is_apt_call(cmd: &Command, tools: &[&str], subcommand: &str) -> bool {
    tools.iter().any(|t| cmd.is(t)) && apt_subcommand(cmd).is_some_and(|w| w.value == subcommand)
}

/// Source span from a command's name to its subcommand word (`apt-get install`), or the
/// whole command when there is no subcommand.
pub fn name_to_subcommand_span(
    context: &Context,
    part: &ScriptPart,
    cmd: &Command,
    subcommand: Option<&Word>,
) -> Span {
    match (cmd.words.first(), subcommand) {
        (Some(name), Some(sub)) => part.span(context.model, &(name.range.start..sub.range.end)),
        _ => part.command_span(context.model, cmd),
    }
}

/// Removes one pair of surrounding quotes (`"x"` or `'x'`), as hadolint does for paths.
pub fn strip_quotes(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// The result of expanding a word with BuildKit's rules.
pub enum Expanded {
    /// No variables, or every variable has a known value: the final text.
    Known(String),
    /// Some variable has no value we can see (set by `--build-arg` or the base image):
    /// the final text cannot be known here.
    Unknown,
}

/// Expands `word` with the ARG/ENV visible at instruction `i`. Quotes are removed. When the
/// lexer rejects the word, the text with outer quotes stripped is returned.
pub fn expand_at(model: &Model, i: usize, word: &str) -> Expanded {
    let lexer = Lexer::new(model.doc.directives.escape);
    match lexer.process(word, &model.scope(i)) {
        Ok(p) if p.unmatched.is_empty() => Expanded::Known(p.result),
        Ok(_) => Expanded::Unknown,
        Err(_) if word.contains('$') => Expanded::Unknown,
        Err(_) => Expanded::Known(strip_quotes(word).to_string()),
    }
}

/// The global scope (ARGs before the first FROM plus BuildKit's builtin ARGs), for FROM.
struct Globals<'a>(&'a [Binding]);

impl Env for Globals<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        match self.0.iter().rev().find(|b| b.name == name) {
            Some(b) => b.value.as_deref(),
            None => BUILTIN_ARGS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v),
        }
    }
}

/// Expands a FROM image with the global ARGs.
pub fn expand_global(model: &Model, word: &str) -> Expanded {
    let lexer = Lexer::new(model.doc.directives.escape);
    match lexer.process(word, &Globals(&model.global_args)) {
        Ok(p) if p.unmatched.is_empty() => Expanded::Known(p.result),
        _ => Expanded::Unknown,
    }
}

/// Per stage: whether what its instructions leave on disk ends up in an image. That is the
/// target (final) stage, and every stage a later stage is built `FROM` (its files are
/// inherited). A stage only read by `COPY --from` is not: the copy takes the files it names,
/// not the rest.
pub fn kept_stages(context: &Context) -> Vec<bool> {
    let stages = &context.model.stages;
    let mut kept: Vec<bool> = (0..stages.len())
        .map(|s| context.is_final_stage(s))
        .collect();
    for stage in stages {
        if let Base::Stage(parent) = stage.base {
            if parent < stage.index {
                if let Some(k) = kept.get_mut(parent) {
                    *k = true;
                }
            }
        }
    }
    kept
}

/// Whether instruction `i` is in a kept stage (see [`kept_stages`]); instructions before
/// any FROM count as kept.
pub fn is_kept(kept: &[bool], context: &Context, i: usize) -> bool {
    context
        .stage_of(i)
        .is_none_or(|s| kept.get(s).copied().unwrap_or(true))
}

/// The last path component, splitting on `/` and `\` (Windows paths), quotes removed.
/// Stray quotes are dropped too: BuildKit splits a shell-form COPY on whitespace, so
/// `"C:\Program Files\a.tar"` arrives as two words, `"C:\Program` and `Files\a.tar"`.
pub fn path_basename(path: &str) -> &str {
    let path = path.trim_matches(['"', '\'']);
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

#[cfg(test)]
pub mod test_util {
    use crate::model::Model;
    use crate::rules::{lint, Config, Finding, LintOptions};

    /// Findings of `code` on `text` (off-by-default rules included).
    pub fn findings(code: &str, text: &str) -> Vec<Finding> {
        let model = Model::parse(text);
        lint(
            &model,
            &Config::default(),
            None,
            &LintOptions {
                keep_off_by_default: true,
            },
        )
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
    }

    /// The source text each finding of `code` points at.
    pub fn spans(code: &str, text: &str) -> Vec<String> {
        findings(code, text)
            .iter()
            .map(|f| text[f.span.start..f.span.end].to_string())
            .collect()
    }

    pub fn count(code: &str, text: &str) -> usize {
        findings(code, text).len()
    }
}
