//! Helpers shared by the hadolint rules of group g4.

use crate::rules::Context;

/// The later instructions of a stage that repeat an earlier one of the kind `matches`
/// selects (CMD, ENTRYPOINT): `(repeat, previous)` pairs, per stage, ONBUILD triggers
/// excluded.
pub(crate) fn repeats(
    context: &Context,
    matches: impl Fn(&crate::instructions::Typed) -> bool,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for stage in &context.model.stages {
        let mut previous: Option<usize> = None;
        for &i in &stage.instructions {
            if !matches(context.typed(i)) {
                continue;
            }
            if let Some(p) = previous {
                out.push((i, p));
            }
            previous = Some(i);
        }
    }
    out
}

/// Lines (1-based) of the findings of `code` on `text`, all rules run, off-by-default kept.
#[cfg(test)]
pub(crate) fn lines(text: &str, code: &str) -> Vec<usize> {
    findings(text, code).into_iter().map(|(l, _)| l).collect()
}

/// `(line, message)` of the findings of `code` on `text`.
#[cfg(test)]
pub(crate) fn findings(text: &str, code: &str) -> Vec<(usize, String)> {
    use crate::model::Model;
    use crate::rules::{lint, Config, LintOptions};
    let model = Model::parse(text);
    let options = LintOptions {
        keep_off_by_default: true,
    };
    lint(&model, &Config::default(), None, &options)
        .into_iter()
        .filter(|f| f.code == code)
        .map(|f| {
            let line = text[..f.span.start.min(text.len())].matches('\n').count() + 1;
            (line, f.message)
        })
        .collect()
}
