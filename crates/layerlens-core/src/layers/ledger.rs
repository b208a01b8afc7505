//! The layer ledger: for each instruction, whether BuildKit stores a filesystem layer for it
//! or only edits the image config, and what its cache key is made of.
//!
//! Follows BuildKit's Dockerfile frontend: RUN, COPY and ADD always add a layer (even an
//! empty one); WORKDIR adds one (a mkdir) unless the path is `/`; FROM brings the base
//! image's layers (none for `scratch`, the parent's for a stage); everything else is image
//! metadata, and ONBUILD leaves no history entry at all.

use serde::{Deserialize, Serialize};

use crate::instructions::{CommandLine, MountType, Source, Typed};
use crate::model::{Base, BindingKind, Model};
use crate::syntax::{Instruction, Keyword};

/// What an instruction does to the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// FROM an image: its layers are the bottom of the stack.
    BaseImage,
    /// FROM an earlier stage: continues that stage's layers (no new ones).
    ParentStage,
    /// FROM scratch: an empty filesystem, no layer.
    Scratch,
    /// RUN, COPY, ADD, WORKDIR (not `/`): a new filesystem layer.
    Layer,
    /// Image configuration only (ENV, LABEL, CMD, USER, WORKDIR /, ...); an empty history entry.
    Metadata,
    /// No trace in this image (global ARGs, ONBUILD triggers, invalid lines).
    Nothing,
}

impl Effect {
    /// Whether the instruction contributes filesystem layers.
    pub fn creates_layer(self) -> bool {
        matches!(self, Effect::BaseImage | Effect::Layer)
    }
}

/// One ingredient of an instruction's cache key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CacheInput {
    /// The state after the previous instruction of the stage (any change above busts this).
    Previous,
    /// The base image, resolved to a digest at build time.
    Image {
        reference: String,
    },
    /// An earlier stage's result (FROM it, `COPY --from`, `RUN --mount=from`).
    Stage {
        stage: usize,
        paths: Vec<String>,
    },
    /// The command line BuildKit runs (shell form wrapped in the SHELL).
    Command {
        argv: Vec<String>,
    },
    /// An ARG or ENV value in the environment of the step.
    Variable {
        name: String,
        value: Option<String>,
        /// `arg` or `env`.
        source: &'static str,
    },
    Workdir {
        path: String,
    },
    User {
        name: String,
    },
    /// Files of the build context, content-hashed (mtime ignored).
    ContextFiles {
        sources: Vec<String>,
        excludes: Vec<String>,
    },
    /// A remote file: re-checked on every build unless pinned with `--checksum`.
    Url {
        url: String,
        pinned: bool,
    },
    /// An inline heredoc file: its text is part of the key.
    Heredoc {
        name: String,
    },
    /// A `RUN --mount` (cache and secret contents are never part of the key).
    Mount {
        mount_type: MountType,
        target: Option<String>,
        source: Option<String>,
        from: Option<String>,
    },
    /// Destination, owner and mode of a COPY/ADD.
    Destination {
        path: String,
        chown: Option<String>,
        chmod: Option<String>,
    },
    /// `--link`: the copy does not depend on the layers below it.
    Linked,
}

/// The effect of instruction `i`.
pub fn effect(model: &Model, i: usize) -> Effect {
    let Some(context) = model.contexts.get(i) else {
        return Effect::Nothing;
    };
    let Some(stage) = context.stage else {
        return Effect::Nothing;
    };
    match model.typed.get(i) {
        Some(Typed::From(_)) => match model.stages.get(stage).map(|s| &s.base) {
            Some(Base::Scratch) => Effect::Scratch,
            Some(Base::Stage(_)) => Effect::ParentStage,
            _ => Effect::BaseImage,
        },
        Some(Typed::Run(_) | Typed::Copy(_) | Typed::Add(_)) => Effect::Layer,
        Some(Typed::Workdir(path)) => {
            let resolved = model
                .expand(i, &path.value)
                .map(|v| crate::model::join_path(&context.workdir, &v))
                .unwrap_or_else(|_| path.value.clone());
            if resolved == "/" {
                Effect::Metadata
            } else {
                Effect::Layer
            }
        }
        Some(Typed::Onbuild(_) | Typed::Invalid) | None => Effect::Nothing,
        Some(_) => Effect::Metadata,
    }
}

/// `RUN`, `ONBUILD RUN`, or an unknown keyword as written.
pub fn keyword(instruction: &Instruction) -> String {
    let label = |c: &crate::syntax::Command| match c.keyword {
        Keyword::Unknown => c.keyword_text.value.clone(),
        k => k.upper(),
    };
    match &instruction.command.args {
        crate::syntax::Args::OnBuild(inner) => {
            format!("{} {}", label(&instruction.command), label(inner))
        }
        _ => label(&instruction.command),
    }
}

/// The instruction on one line as `docker history` would show it, shortened.
pub fn summary(instruction: &Instruction, max: usize) -> String {
    let mut text = format!(
        "{} {}",
        keyword(instruction),
        instruction
            .effective_command()
            .rest
            .value
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    if instruction.command.keyword != Keyword::Onbuild {
        let flags: Vec<&str> = instruction
            .command
            .flags
            .iter()
            .map(|f| f.text.value.as_str())
            .collect();
        if !flags.is_empty() {
            let kw = keyword(instruction);
            text = format!(
                "{kw} {} {}",
                flags.join(" "),
                &text[kw.len()..].trim_start()
            );
        }
    }
    let text = text.trim().to_string();
    if text.chars().count() > max {
        text.chars().take(max.saturating_sub(1)).collect::<String>() + "…"
    } else {
        text
    }
}

fn expand(model: &Model, i: usize, word: &str) -> String {
    model.expand(i, word).unwrap_or_else(|_| word.to_string())
}

/// Whether `text` refers to variable `name` (`$NAME`, `${NAME}`, `${NAME:-x}`).
pub fn mentions(text: &str, name: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        let after = &rest[at + 1..];
        let after = after.strip_prefix('{').unwrap_or(after);
        if let Some(tail) = after.strip_prefix(name) {
            if !tail.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                return true;
            }
        }
        rest = &rest[at + 1..];
    }
    false
}

/// What instruction `i`'s cache key is made of.
pub fn cache_inputs(model: &Model, i: usize) -> Vec<CacheInput> {
    let Some(context) = model.contexts.get(i) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    match model.typed.get(i) {
        Some(Typed::From(_)) => {
            if let Some(stage) = context.stage.and_then(|s| model.stages.get(s)) {
                match &stage.base {
                    Base::Image(image) => out.push(CacheInput::Image {
                        reference: image.raw.clone(),
                    }),
                    Base::Stage(parent) => out.push(CacheInput::Stage {
                        stage: *parent,
                        paths: Vec::new(),
                    }),
                    Base::Scratch => {}
                    Base::Unresolved => out.push(CacheInput::Image {
                        reference: stage.base_expanded.clone(),
                    }),
                }
                for b in &model.global_args {
                    if mentions(&stage.base_written, &b.name) {
                        out.push(CacheInput::Variable {
                            name: b.name.clone(),
                            value: b.value.clone(),
                            source: "arg",
                        });
                    }
                }
            }
        }
        Some(Typed::Run(run)) => {
            out.push(CacheInput::Previous);
            let argv = match &run.command {
                CommandLine::Shell(text) => {
                    let mut argv = context.shell.clone();
                    argv.push(text.value.clone());
                    argv
                }
                CommandLine::Exec(items) => items.iter().map(|t| t.value.clone()).collect(),
                CommandLine::Empty => Vec::new(),
            };
            out.push(CacheInput::Command { argv });
            // Every ARG with a value and every ENV in scope is in the step's environment.
            for b in model.scope(i).visible() {
                if b.kind == BindingKind::Arg && b.value.is_none() {
                    continue;
                }
                out.push(CacheInput::Variable {
                    name: b.name.clone(),
                    value: b.value.clone(),
                    source: if b.kind == BindingKind::Arg {
                        "arg"
                    } else {
                        "env"
                    },
                });
            }
            out.push(CacheInput::Workdir {
                path: context.workdir.clone(),
            });
            if let Some(user) = &context.user {
                out.push(CacheInput::User { name: user.clone() });
            }
            for m in &run.mounts {
                out.push(CacheInput::Mount {
                    mount_type: m.kind,
                    target: m.target.clone(),
                    source: m.source.clone(),
                    from: m.from.clone(),
                });
                if let Some(from) = &m.from {
                    if let Some(s) = stage_of(model, from, context.stage) {
                        out.push(CacheInput::Stage {
                            stage: s,
                            paths: m.source.iter().cloned().collect(),
                        });
                    }
                } else if m.kind == MountType::Bind {
                    out.push(CacheInput::ContextFiles {
                        sources: vec![m.source.clone().unwrap_or_else(|| ".".into())],
                        excludes: Vec::new(),
                    });
                }
            }
        }
        Some(Typed::Copy(copy)) => {
            if !copy.link || copy.chmod.is_some() {
                out.push(CacheInput::Previous);
            } else {
                out.push(CacheInput::Linked);
            }
            sources_inputs(
                model,
                i,
                &copy.sources,
                copy.from.as_ref().map(|f| f.value.as_str()),
                &copy.exclude,
                None,
                &mut out,
            );
            out.push(CacheInput::Destination {
                path: expand(model, i, &copy.dest.value),
                chown: copy.chown.as_ref().map(|f| f.value.clone()),
                chmod: copy.chmod.as_ref().map(|f| f.value.clone()),
            });
        }
        Some(Typed::Add(add)) => {
            if !add.link || add.chmod.is_some() {
                out.push(CacheInput::Previous);
            } else {
                out.push(CacheInput::Linked);
            }
            sources_inputs(
                model,
                i,
                &add.sources,
                None,
                &add.exclude,
                Some(add.checksum.is_some()),
                &mut out,
            );
            out.push(CacheInput::Destination {
                path: expand(model, i, &add.dest.value),
                chown: add.chown.as_ref().map(|f| f.value.clone()),
                chmod: add.chmod.as_ref().map(|f| f.value.clone()),
            });
        }
        Some(Typed::Workdir(path)) if effect(model, i) == Effect::Layer => {
            out.push(CacheInput::Previous);
            let dir = crate::model::join_path(&context.workdir, &expand(model, i, &path.value));
            out.push(CacheInput::Workdir { path: dir });
            if let Some(user) = &context.user {
                out.push(CacheInput::User { name: user.clone() });
            }
        }
        _ => {}
    }
    out
}

/// The stage a `--from` names, if it is one.
pub fn stage_of(model: &Model, from: &str, current: Option<usize>) -> Option<usize> {
    let before = current.unwrap_or(model.stages.len());
    model
        .stage_by_name(from, before)
        .or_else(|| from.parse::<usize>().ok().filter(|&n| n < before))
}

fn sources_inputs(
    model: &Model,
    i: usize,
    sources: &[Source],
    from: Option<&str>,
    excludes: &[crate::instructions::FlagValue],
    checksum: Option<bool>,
    out: &mut Vec<CacheInput>,
) {
    let stage = model.contexts.get(i).and_then(|c| c.stage);
    let mut context = Vec::new();
    for s in sources {
        match s {
            Source::Heredoc { word, .. } => out.push(CacheInput::Heredoc {
                name: word
                    .value
                    .trim_start_matches('<')
                    .trim_start_matches('-')
                    .to_string(),
            }),
            Source::Path(t) => {
                let v = expand(model, i, &t.value);
                if from.is_some() {
                    continue;
                }
                if v.contains("://") || v.starts_with("git@") {
                    out.push(CacheInput::Url {
                        url: v,
                        pinned: checksum.unwrap_or(false),
                    });
                } else {
                    context.push(v);
                }
            }
        }
    }
    if let Some(from) = from {
        let paths = sources
            .iter()
            .filter_map(|s| match s {
                Source::Path(t) => Some(expand(model, i, &t.value)),
                Source::Heredoc { .. } => None,
            })
            .collect();
        match stage_of(model, from, stage) {
            Some(s) => out.push(CacheInput::Stage { stage: s, paths }),
            None => out.push(CacheInput::Image {
                reference: from.to_string(),
            }),
        }
    }
    if !context.is_empty() {
        out.push(CacheInput::ContextFiles {
            sources: context,
            excludes: excludes.iter().map(|e| e.value.clone()).collect(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effects_follow_buildkit() {
        let m = Model::parse("ARG V=1\nFROM scratch AS a\nWORKDIR /\nWORKDIR /app\nENV A=1\nFROM a\nRUN x\nONBUILD RUN y\nCOPY . .\n");
        let effects: Vec<Effect> = (0..m.doc.instructions.len())
            .map(|i| effect(&m, i))
            .collect();
        assert_eq!(
            effects,
            [
                Effect::Nothing,
                Effect::Scratch,
                Effect::Metadata,
                Effect::Layer,
                Effect::Metadata,
                Effect::ParentStage,
                Effect::Layer,
                Effect::Nothing,
                Effect::Layer
            ]
        );
    }

    #[test]
    fn variables_are_found() {
        assert!(mentions("echo ${VERSION:-1}", "VERSION"));
        assert!(mentions("$VERSION", "VERSION"));
        assert!(!mentions("$VERSIONS", "VERSION"));
        let m = Model::parse("FROM a\nARG V=2\nENV E=x\nRUN echo\nCOPY --link --from=a /x /y\n");
        let inputs = cache_inputs(&m, 3);
        assert!(inputs
            .iter()
            .any(|c| matches!(c, CacheInput::Variable { name, .. } if name == "V")));
        assert!(inputs
            .iter()
            .any(|c| matches!(c, CacheInput::Command { argv } if argv[0] == "/bin/sh")));
        let inputs = cache_inputs(&m, 4);
        assert!(inputs.contains(&CacheInput::Linked));
        assert!(inputs
            .iter()
            .any(|c| matches!(c, CacheInput::Image { reference } if reference == "a")));
    }
}
