//! Suppression comments: hadolint's pragmas (also spelled `# layerlens ...`) and BuildKit's
//! `# check=` directive.
//!
//! * `# hadolint ignore=DL3008,DL3015` on the line(s) directly above an instruction.
//!   Stacked pragma lines above one instruction all apply (hadolint keeps only the last).
//! * `# hadolint stage ignore=...` directly above a FROM: the rest of that stage.
//! * `# hadolint global ignore=...` anywhere: the whole file.
//! * `# check=skip=A,B;error=true` in the directive block: BuildKit checks; the same
//!   comment directly above an instruction skips checks for that instruction only.

use crate::syntax::{Document, NodeKind};

/// A parsed `# hadolint ...` / `# layerlens ...` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pragma {
    Ignore(Vec<String>),
    StageIgnore(Vec<String>),
    GlobalIgnore(Vec<String>),
    Shell(String),
}

/// Parses one comment line (with its `#`). Returns `None` for ordinary comments and for
/// malformed pragmas (which, as in hadolint, have no effect).
pub fn parse_pragma(comment: &str) -> Option<Pragma> {
    let is_blank = |c: char| c == ' ' || c == '\t';
    let body = comment
        .trim()
        .strip_prefix('#')?
        .trim_start_matches(is_blank);
    let (tool, rest) = match body.strip_prefix("hadolint") {
        Some(rest) => ("hadolint", rest),
        None => ("layerlens", body.strip_prefix("layerlens")?),
    };
    if !rest.starts_with(is_blank) {
        return None;
    }
    let rest = rest.trim_start_matches(is_blank);
    let (kind, rest) = if let Some(r) = rest.strip_prefix("global") {
        ("global", r.trim_start_matches(is_blank))
    } else if let Some(r) = rest.strip_prefix("stage") {
        ("stage", r.trim_start_matches(is_blank))
    } else {
        ("inline", rest)
    };
    if kind == "inline" {
        if let Some(shell) = rest.strip_prefix("shell") {
            let value = shell.trim_start_matches(is_blank).strip_prefix('=')?;
            let value = value.trim_matches(is_blank);
            let name: String = value.chars().take_while(|c| !is_blank(*c)).collect();
            return (!name.is_empty()).then_some(Pragma::Shell(name));
        }
    }
    let value = rest
        .strip_prefix("ignore")?
        .trim_start_matches(is_blank)
        .strip_prefix('=')?;
    // A trailing `# reason` is allowed; anything else after the codes makes it invalid.
    let (codes_text, _) = value.split_once('#').unwrap_or((value, ""));
    let mut codes = Vec::new();
    for code in codes_text.split(',') {
        let code = code.trim_matches(is_blank);
        // hadolint accepts only `[DLSC0-9]+` codes and ignores the whole pragma otherwise;
        // we also accept our rule names there. `# layerlens` pragmas take any rule code.
        let hadolint_style = !code.is_empty() && code.chars().all(|c| "DLSC0123456789".contains(c));
        let known = super::find(code).is_some();
        let plain = !code.is_empty()
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let valid = match tool {
            "hadolint" => hadolint_style || known,
            _ => plain,
        };
        if !valid {
            return None;
        }
        codes.push(code.to_string());
    }
    Some(match kind {
        "global" => Pragma::GlobalIgnore(codes),
        "stage" => Pragma::StageIgnore(codes),
        _ => Pragma::Ignore(codes),
    })
}

/// Which codes are suppressed where.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    /// Codes ignored for each instruction (by index).
    pub per_instruction: Vec<Vec<String>>,
    pub global: Vec<String>,
    /// `(instruction index of the first suppressed instruction, codes)` runs for stages.
    pub per_stage_from: Vec<(usize, Vec<String>)>,
    /// 1-based lines of inline ignore pragmas (DL1001 reports them).
    pub inline_pragma_lines: Vec<(usize, crate::text::Span)>,
}

impl Suppressions {
    pub fn collect(doc: &Document) -> Suppressions {
        let mut s = Suppressions {
            per_instruction: vec![Vec::new(); doc.instructions.len()],
            ..Default::default()
        };
        // Pragmas seen since the last instruction, waiting for the next one.
        let mut pending_inline: Vec<String> = Vec::new();
        let mut pending_stage: Vec<String> = Vec::new();
        for node in &doc.nodes {
            match node.kind {
                NodeKind::Comment => match parse_pragma(doc.slice(node.span)) {
                    Some(Pragma::Ignore(codes)) => {
                        s.inline_pragma_lines
                            .push((line_of(doc, node.span.start), node.span));
                        pending_inline.extend(codes);
                    }
                    Some(Pragma::StageIgnore(codes)) => pending_stage.extend(codes),
                    Some(Pragma::GlobalIgnore(codes)) => s.global.extend(codes),
                    // Any other comment ends a block of stacked pragmas.
                    _ => {
                        pending_inline.clear();
                        pending_stage.clear();
                    }
                },
                NodeKind::Blank => {
                    pending_inline.clear();
                    pending_stage.clear();
                }
                NodeKind::Instruction(i) => {
                    s.per_instruction[i] = std::mem::take(&mut pending_inline);
                    let stage_codes = std::mem::take(&mut pending_stage);
                    if doc.instructions[i].keyword() == crate::syntax::Keyword::From
                        && !stage_codes.is_empty()
                    {
                        s.per_stage_from.push((i + 1, stage_codes));
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// Whether `code` is suppressed for instruction `i` (or globally when `None`).
    pub fn suppresses(&self, code: &str, instruction: Option<usize>, doc: &Document) -> bool {
        let hit = |codes: &[String]| codes.iter().any(|c| c.eq_ignore_ascii_case(code));
        if hit(&self.global) {
            return true;
        }
        let Some(i) = instruction else {
            return false;
        };
        if self.per_instruction.get(i).is_some_and(|c| hit(c)) {
            return true;
        }
        // A stage pragma covers from the instruction after its FROM up to the next FROM.
        self.per_stage_from.iter().any(|(first, codes)| {
            i >= *first
                && hit(codes)
                && !doc.instructions[*first..=i]
                    .iter()
                    .any(|x| x.keyword() == crate::syntax::Keyword::From)
        })
    }
}

fn line_of(doc: &Document, offset: usize) -> usize {
    doc.text[..offset.min(doc.text.len())].matches('\n').count() + 1
}

/// BuildKit's `# check=` options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    pub skip_all: bool,
    pub skip: Vec<String>,
    pub experimental_all: bool,
    pub experimental: Vec<String>,
    pub error: bool,
}

impl CheckOptions {
    /// Parses the value of a `check` directive (`skip=A,B;error=true`), as
    /// `linter.ParseLintOptions` does. Only the text before the first space counts.
    pub fn parse(value: &str) -> Result<CheckOptions, String> {
        let value = value.split(' ').next().unwrap_or("").trim();
        let mut options = CheckOptions::default();
        if value.is_empty() {
            return Ok(options);
        }
        for part in value.splitn(3, ';') {
            let Some((key, v)) = part.split_once('=') else {
                return Err(format!("invalid check option \"{part}\""));
            };
            let list = || {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .collect::<Vec<_>>()
            };
            match key.trim() {
                "skip" if v.trim() == "all" => options.skip_all = true,
                "skip" => options.skip.extend(list()),
                "experimental" if v.trim() == "all" => options.experimental_all = true,
                "experimental" => options.experimental.extend(list()),
                "error" => {
                    options.error = match v.trim() {
                        "1" | "t" | "T" | "TRUE" | "true" | "True" => true,
                        "0" | "f" | "F" | "FALSE" | "false" | "False" => false,
                        other => return Err(format!("invalid check option \"error={other}\"")),
                    }
                }
                other => return Err(format!("invalid check option \"{other}\"")),
            }
        }
        Ok(options)
    }

    pub fn skips(&self, rule: &str) -> bool {
        self.skip_all || self.skip.iter().any(|s| s == rule)
    }

    pub fn enables_experimental(&self, rule: &str) -> bool {
        self.experimental_all || self.experimental.iter().any(|s| s == rule)
    }
}

/// The per-instruction `# check=` override in the comments right above instruction `i`.
pub fn instruction_check_options(doc: &Document, i: usize) -> Option<CheckOptions> {
    doc.instructions[i].comments.iter().find_map(|comment| {
        let body = comment.trim_start_matches('#').trim();
        let value = body.strip_prefix("check")?.trim_start().strip_prefix('=')?;
        CheckOptions::parse(value.trim()).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragma_grammar() {
        assert_eq!(
            parse_pragma("# hadolint ignore=DL3008, DL3015"),
            Some(Pragma::Ignore(vec!["DL3008".into(), "DL3015".into()]))
        );
        assert_eq!(
            parse_pragma("#hadolint global ignore=DL3003 # reason"),
            Some(Pragma::GlobalIgnore(vec!["DL3003".into()]))
        );
        assert_eq!(
            parse_pragma("# layerlens stage ignore=LL1001"),
            Some(Pragma::StageIgnore(vec!["LL1001".into()]))
        );
        assert_eq!(
            parse_pragma("# hadolint shell=powershell"),
            Some(Pragma::Shell("powershell".into()))
        );
        assert_eq!(
            parse_pragma("  # hadolint ignore=DL3008\r\n"),
            Some(Pragma::Ignore(vec!["DL3008".into()]))
        );
        assert_eq!(parse_pragma("# hadolint ignore=DL3008 reason"), None);
        assert_eq!(parse_pragma("# hadolint ignore=crazy stuff"), None);
        assert_eq!(parse_pragma("# hadolint ignore=crazy,DL3002"), None);
        assert_eq!(
            parse_pragma("# hadolint ignore=JSONArgsRecommended"),
            Some(Pragma::Ignore(vec!["JSONArgsRecommended".into()]))
        );
        assert_eq!(parse_pragma("# hadolintignore=DL3008"), None);
        assert_eq!(parse_pragma("# just a comment"), None);
    }

    #[test]
    fn check_options() {
        let o = CheckOptions::parse("skip=JSONArgsRecommended,StageNameCasing;error=true").unwrap();
        assert!(o.skips("StageNameCasing") && o.error && !o.skips("Other"));
        assert!(CheckOptions::parse("skip=all // note").unwrap().skip_all);
        assert!(CheckOptions::parse("bogus=1").is_err());
        assert!(CheckOptions::parse("experimental=all")
            .unwrap()
            .enables_experimental("X"));
    }
}

#[cfg(test)]
mod suppression_tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn inline_stage_and_global_pragmas() {
        let doc = parse(
            "FROM a\n# hadolint ignore=DL3003\n# layerlens ignore=LL1001\nRUN cd /tmp\nRUN cd /var\n# hadolint stage ignore=DL3059\nFROM b\nRUN x\nRUN y\nFROM c\nRUN z\n# hadolint global ignore=DL3020\n",
        );
        let s = Suppressions::collect(&doc);
        assert!(s.suppresses("DL3003", Some(1), &doc));
        assert!(
            s.suppresses("LL1001", Some(1), &doc),
            "stacked pragmas both apply"
        );
        assert!(!s.suppresses("DL3003", Some(2), &doc));
        assert!(
            !s.suppresses("DL3059", Some(3), &doc),
            "not the FROM itself"
        );
        assert!(s.suppresses("DL3059", Some(4), &doc) && s.suppresses("DL3059", Some(5), &doc));
        assert!(
            !s.suppresses("DL3059", Some(7), &doc),
            "ends at the next FROM"
        );
        assert!(s.suppresses("DL3020", Some(0), &doc) && s.suppresses("DL3020", None, &doc));
        assert_eq!(s.inline_pragma_lines.len(), 2);
    }
}
