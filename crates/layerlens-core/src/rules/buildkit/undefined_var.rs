//! UndefinedVar: a variable used in a field BuildKit expands, with no ARG or ENV defining it
//! (BuildKit's check).

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use super::g4_util::{chain_roots, suggest, variable_span};
use crate::instructions::{Source, Typed};
use crate::model::{Base, Model, BUILTIN_ARGS};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::lex::{Env, Lexer};
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "UndefinedVar",
    name: "undefined-var",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "An undefined variable expands to an empty string: paths, users and labels silently change.",
    docs: Docs {
        what: "Flags a `$VAR` used where BuildKit itself expands variables (ENV, LABEL, COPY/ADD \
               sources, destination, `--chown`, `--chmod`, ADD `--checksum`, COPY/ADD heredoc \
               bodies with an unquoted delimiter, WORKDIR, USER, VOLUME, STOPSIGNAL, ARG \
               defaults, RUN `--mount` options) when no ARG or ENV of this stage (or of the \
               stages it is built on) defines it at that point. RUN, CMD and ENTRYPOINT text is \
               left to the shell and not checked; FROM is UndefinedArgInFrom's job. `PATH` is \
               always defined. Scope: BuildKit also knows the base image's ENV from the \
               registry; Layerlens works offline, so for `scratch` and the plain OS images \
               (alpine, busybox, debian, ubuntu) it assumes only PATH, and for any other image \
               it reports only names this Dockerfile declares somewhere (a global ARG, a \
               builtin platform ARG, or an ARG/ENV elsewhere), since the image may define the \
               rest.",
        why: "BuildKit replaces an unknown variable with an empty string and carries on. \
              `COPY $APP_DIR/config.yml /etc/app/` becomes `COPY /config.yml` and copies the \
              wrong file (or fails), `WORKDIR $HOME/app` lands in `/app`, `USER $UID` falls back \
              to root. The classic cause is a global ARG used inside a stage without being \
              re-declared there: it is simply not visible. The mistake shows up only at run \
              time, in a different place than where it was made.",
        bad: "ARG VERSION=1.4.2\nFROM alpine:3.20\nLABEL org.opencontainers.image.version=$VERSION\n",
        good: "ARG VERSION=1.4.2\nFROM alpine:3.20\nARG VERSION\nLABEL org.opencontainers.image.version=$VERSION\n",
        guide: "Common Anti-Patterns",
        example_config: None,
        example_dockerignore: None,
        fix_note: "",
    },
    // No fix: whether it is a typo or a missing ARG/ENV is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

/// Names BuildKit never reports (they are consumed by BuildKit, not the environment).
const NON_ENV_ARGS: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// Official images whose configuration sets no variable but PATH.
const PATH_ONLY_IMAGES: [&str; 4] = ["alpine", "busybox", "debian", "ubuntu"];

/// Above this many defined names no "did you mean" is computed.
const MAX_SUGGESTION_CANDIDATES: usize = 256;

/// BuildKit's default PATH on Linux.
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// One field BuildKit expands: the text, its source span, and whether it is a heredoc body
/// (expanded without quote processing, with `\` as escape).
struct Field<'a> {
    word: &'a str,
    span: Span,
    raw: bool,
    /// Names defined by earlier declarations of the same ARG instruction.
    extra: Vec<String>,
}

/// The ARG names and ENV keys of one stage, on top of those of the stage it is built on
/// (shared, so a long `FROM <stage>` chain costs no copying).
#[derive(Default)]
struct Layer {
    args: BTreeSet<String>,
    env: BTreeSet<String>,
    parent: Option<Rc<Layer>>,
    depth: usize,
}

impl Layer {
    fn layers(&self) -> impl Iterator<Item = &Layer> {
        std::iter::successors(Some(self), |l| l.parent.as_deref())
    }

    fn has_arg(&self, name: &str) -> bool {
        self.layers().any(|l| l.args.contains(name))
    }

    fn len(&self) -> usize {
        self.layers().map(|l| l.args.len() + l.env.len()).sum()
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.layers()
            .flat_map(|l| l.args.iter().chain(l.env.iter()))
            .map(String::as_str)
    }
}

/// Stages built on a longer chain of stages than this are not checked (keeps lookups
/// bounded on pathological input).
const MAX_CHAIN_DEPTH: usize = 64;

fn check(context: &Context, report: &mut Report) {
    let model = context.model;
    let owned = owned_names(model);
    let lexer = Lexer::new(model.doc.directives.escape);
    let mut raw_lexer = Lexer::new('\\');
    raw_lexer.skip_process_quotes = true;
    let roots = chain_roots(model);
    // Per stage, the names declared by its end (child stages build on them).
    let mut finished: Vec<Option<Rc<Layer>>> = Vec::with_capacity(model.stages.len());
    for stage in &model.stages {
        let parent = match stage.base {
            Base::Stage(parent) => finished.get(parent).cloned().flatten(),
            _ => None,
        };
        let depth = parent.as_ref().map_or(0, |p| p.depth + 1);
        let mut layer = Layer {
            parent,
            depth,
            ..Layer::default()
        };
        if depth > MAX_CHAIN_DEPTH {
            finished.push(None);
            continue;
        }
        let root = roots.get(stage.index).and_then(|&r| model.stages.get(r));
        let image_env_known = match root.map(|r| &r.base) {
            Some(Base::Scratch) => true,
            Some(Base::Image(image)) => {
                image.is_official() && PATH_ONLY_IMAGES.contains(&image.name.as_str())
            }
            _ => false,
        };
        let later = later_definitions(context, &stage.instructions);
        for &i in &stage.instructions {
            for field in fields(context, i) {
                // Only a `$` can refer to a variable.
                if !field.word.contains('$') {
                    continue;
                }
                let env = StageEnv {
                    model,
                    i,
                    layer: &layer,
                    extra: &field.extra,
                };
                let lex = if field.raw { &raw_lexer } else { &lexer };
                let Ok(processed) = lex.process(field.word, &env) else {
                    continue;
                };
                for name in processed.unmatched {
                    if layer.has_arg(&name)
                        || field.extra.contains(&name)
                        || NON_ENV_ARGS.contains(&name.as_str())
                        || name == "PATH"
                        || (!image_env_known && !owned.contains(&name))
                    {
                        continue;
                    }
                    let message = explain(context, &name, i, &later, &layer);
                    report.add(
                        i,
                        variable_span(&model.doc.text, field.span, &name),
                        message,
                    );
                }
            }
            match context.typed(i) {
                Typed::Arg(decls) => layer.args.extend(decls.iter().map(|d| d.name.clone())),
                Typed::Env(pairs) => layer.env.extend(pairs.iter().map(|p| p.key.value.clone())),
                _ => {}
            }
        }
        finished.push(Some(Rc::new(layer)));
    }
}

/// Why `name` is undefined at `i`, with a fix.
fn explain(
    context: &Context,
    name: &str,
    i: usize,
    later: &BTreeMap<String, usize>,
    layer: &Layer,
) -> String {
    let model = context.model;
    if let Some(&j) = later.get(name).filter(|&&j| j > i) {
        let keyword = context
            .instruction(j)
            .command
            .keyword_text
            .value
            .to_uppercase();
        return format!(
            "`${name}` is used before it is defined: the {keyword} that sets it is on line {}, after this instruction, so it expands to an empty string here",
            context.instruction(j).start_line
        );
    }
    if model.global_args.iter().any(|b| b.name == name) {
        return format!(
            "`${name}` is a global ARG, which is not visible inside a stage; add `ARG {name}` (no value needed) to this stage before using it"
        );
    }
    if BUILTIN_ARGS.iter().any(|(n, _)| *n == name) {
        return format!(
            "`${name}` is a builtin platform ARG, which a stage only sees after `ARG {name}`; add that line before using it"
        );
    }
    // Names defined here; suggestions are skipped for huge files (they cost an edit
    // distance per name).
    let hint = if layer.len() <= MAX_SUGGESTION_CANDIDATES {
        let candidates = layer.names().chain(std::iter::once("PATH"));
        suggest(name, candidates)
            .map(|s| format!(" (did you mean `${s}`?)"))
            .unwrap_or_default()
    } else {
        String::new()
    };
    format!(
        "`${name}` is not defined by any ARG or ENV at this point, so it expands to an empty string{hint}"
    )
}

/// The first instruction of the stage that defines each name with ARG or ENV.
fn later_definitions(context: &Context, instructions: &[usize]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for &i in instructions {
        let names: Vec<String> = match context.typed(i) {
            Typed::Arg(decls) => decls.iter().map(|d| d.name.clone()).collect(),
            Typed::Env(pairs) => pairs.iter().map(|p| p.key.value.clone()).collect(),
            _ => continue,
        };
        for name in names {
            out.entry(name).or_insert(i);
        }
    }
    out
}

/// Every name the Dockerfile declares somewhere: global ARGs, builtin platform ARGs, and
/// the ARG and ENV names of every stage.
fn owned_names(model: &Model) -> BTreeSet<String> {
    let mut owned: BTreeSet<String> = model.global_args.iter().map(|b| b.name.clone()).collect();
    owned.extend(BUILTIN_ARGS.iter().map(|(n, _)| n.to_string()));
    for typed in &model.typed {
        match typed {
            Typed::Arg(decls) => owned.extend(decls.iter().map(|d| d.name.clone())),
            Typed::Env(pairs) => owned.extend(pairs.iter().map(|p| p.key.value.clone())),
            _ => {}
        }
    }
    owned
}

/// The fields of instruction `i` that BuildKit expands (ONBUILD triggers are stored
/// unexpanded).
fn fields<'a>(context: &Context<'a>, i: usize) -> Vec<Field<'a>> {
    let field = |text: &'a crate::syntax::Text| Field {
        word: &text.value,
        span: text.span,
        raw: false,
        extra: Vec::new(),
    };
    let flag = |f: &'a Option<crate::instructions::FlagValue>| {
        f.as_ref().map(|f| Field {
            word: &f.value,
            span: f.text.span,
            raw: false,
            extra: Vec::new(),
        })
    };
    let instruction = context.instruction(i);
    let sources = |sources: &'a [Source]| -> Vec<Field<'a>> {
        sources
            .iter()
            .filter_map(|s| match s {
                Source::Path(text) => Some(field(text)),
                Source::Heredoc { index, .. } => {
                    let heredoc = instruction.heredocs.get(*index)?;
                    heredoc.expand.then(|| Field {
                        word: &heredoc.content,
                        span: heredoc.body,
                        raw: true,
                        extra: Vec::new(),
                    })
                }
            })
            .collect()
    };
    let mut out = Vec::new();
    match context.typed(i) {
        Typed::Env(pairs) | Typed::Label(pairs) => {
            for pair in pairs {
                out.push(field(&pair.key));
                out.push(field(&pair.value));
            }
        }
        Typed::Copy(copy) => {
            out.extend(sources(&copy.sources));
            out.push(field(&copy.dest));
            out.extend(flag(&copy.chown));
            out.extend(flag(&copy.chmod));
        }
        Typed::Add(add) => {
            out.extend(sources(&add.sources));
            out.push(field(&add.dest));
            out.extend(flag(&add.chown));
            out.extend(flag(&add.chmod));
            out.extend(flag(&add.checksum));
        }
        Typed::Workdir(text) | Typed::User(text) | Typed::Stopsignal(text) => out.push(field(text)),
        Typed::Volume(words) => out.extend(words.iter().map(field)),
        Typed::Arg(decls) => {
            let mut before = Vec::new();
            for decl in decls {
                if let Some(default) = &decl.default {
                    out.push(Field {
                        word: default,
                        span: decl.text.span,
                        raw: false,
                        extra: before.clone(),
                    });
                }
                before.push(decl.name.clone());
            }
        }
        Typed::Run(_) => {
            for f in instruction
                .command
                .flags
                .iter()
                .filter(|f| f.name() == "mount")
            {
                if let Some(value) = f.value() {
                    out.push(Field {
                        word: value,
                        span: f.text.span,
                        raw: false,
                        extra: Vec::new(),
                    });
                }
            }
        }
        _ => {}
    }
    out
}

/// The build environment at instruction `i` as BuildKit sees it: ENV and valued ARGs of the
/// stage (and of the stages it is built on), plus PATH.
struct StageEnv<'a> {
    model: &'a Model,
    i: usize,
    /// ARG names declared before `i` in this stage chain.
    layer: &'a Layer,
    extra: &'a [String],
}

impl Env for StageEnv<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        if let Some(binding) = self.model.scope(self.i).binding(name) {
            return binding.value.as_deref();
        }
        if self.extra.iter().any(|n| n == name) || self.layer.has_arg(name) {
            return Some("");
        }
        (name == "PATH").then_some(DEFAULT_PATH)
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "UndefinedVar";

    #[test]
    fn buildkit_cases() {
        assert!(lines("\nFROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n", CODE).is_empty());
        assert!(lines(
            "\nFROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n",
            CODE
        )
        .is_empty());
        assert!(lines("\nFROM alpine\nRUN echo $PATH\n", CODE).is_empty());
        let text = "\nFROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n";
        assert_eq!(lines(text, CODE), vec![3]);
        let text = "\nFROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nARG DIR_CONFIG=config/\nCOPY $DIR_ASSET .\n\t";
        let f = findings(text, CODE);
        assert_eq!(f.len(), 1);
        assert!(f[0].1.contains("did you mean `$DIR_ASSETS`"), "{f:?}");
        let f = findings("\nFROM alpine\nENV PATH=$PAHT:/tmp/bin\n\t\t", CODE);
        assert!(
            f[0].1.contains("`$PAHT`") && f[0].1.contains("did you mean `$PATH`"),
            "{f:?}"
        );
        let text = "\nFROM scratch AS first\nCOPY $foo .\n\nFROM scratch AS second\nCOPY $bar .\n";
        assert_eq!(lines(text, CODE), vec![3, 6]);
    }

    #[test]
    fn global_and_builtin_args_must_be_redeclared() {
        let f = findings("ARG VERSION=1\nFROM alpine\nLABEL v=$VERSION\n", CODE);
        assert!(f[0].1.contains("global ARG"), "{f:?}");
        let f = findings("FROM alpine\nCOPY app-${TARGETARCH} /app\n", CODE);
        assert!(f[0].1.contains("ARG TARGETARCH"), "{f:?}");
        assert!(lines(
            "FROM alpine\nARG TARGETARCH\nCOPY app-${TARGETARCH} /app\n",
            CODE
        )
        .is_empty());
    }

    #[test]
    fn fields_that_are_checked_and_not_checked() {
        let text = "FROM scratch\nRUN echo $nope\nCMD echo $nope\nEXPOSE $nope\nHEALTHCHECK CMD echo $nope\n";
        assert!(lines(text, CODE).is_empty());
        let text = "FROM scratch\nWORKDIR $a\nUSER $b\nVOLUME $c\nSTOPSIGNAL $d\nENV e=$e\nLABEL $f=1\nARG g=$g\nRUN --mount=type=cache,target=$h true\nCOPY --chown=$i x /y\nADD --chmod=$j x /y\n";
        assert_eq!(lines(text, CODE), vec![2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        // Modifiers do not hide the name, as in BuildKit.
        assert_eq!(lines("FROM scratch\nCOPY ${x:-a} /b\n", CODE), vec![2]);
    }

    #[test]
    fn heredoc_bodies_follow_the_delimiter_quoting() {
        assert_eq!(
            lines("FROM scratch\nCOPY <<EOF /x\nhello $who\nEOF\n", CODE),
            vec![3]
        );
        assert!(lines("FROM scratch\nCOPY <<'EOF' /x\nhello $who\nEOF\n", CODE).is_empty());
        assert!(lines("FROM scratch\nRUN <<EOF\necho $who\nEOF\n", CODE).is_empty());
    }

    #[test]
    fn same_instruction_args_and_env_order() {
        assert!(lines("FROM scratch\nARG a=1 b=$a\n", CODE).is_empty());
        // All pairs of one ENV see the environment from before it.
        assert_eq!(lines("FROM scratch\nENV a=1 b=$a\n", CODE), vec![2]);
        let f = findings("FROM scratch\nCOPY $dir /x\nENV dir=/src\n", CODE);
        assert!(f[0].1.contains("line 3"), "{f:?}");
    }

    #[test]
    fn unknown_base_images_may_define_variables() {
        // golang's image sets GOPATH; we cannot know, so stay quiet.
        assert!(lines("FROM golang:1.23\nENV PATH=$GOPATH/bin:$PATH\n", CODE).is_empty());
        // A name the file declares elsewhere is still reported.
        let text = "FROM golang:1.23 AS a\nARG APP=x\nFROM golang:1.23\nCOPY $APP /app\n";
        assert_eq!(lines(text, CODE), vec![4]);
        // ENV is inherited through FROM <stage>.
        assert!(lines("FROM scratch AS a\nENV D=/x\nFROM a\nWORKDIR $D\n", CODE).is_empty());
    }

    #[test]
    fn skip_and_escape() {
        assert!(lines(
            "# check=skip=UndefinedVar\nFROM scratch\nCOPY $foo .\n",
            CODE
        )
        .is_empty());
        assert!(lines(
            "FROM scratch\n# check=skip=UndefinedVar\nCOPY $foo .\n",
            CODE
        )
        .is_empty());
        assert!(lines("FROM scratch\nCOPY \\$foo .\n", CODE).is_empty());
        assert!(lines("FROM scratch\nARG BUILDKIT_SBOM_SCAN_STAGE=true\nLABEL a=$BUILDKIT_SBOM_SCAN_CONTEXT\n", CODE).is_empty());
    }
}
