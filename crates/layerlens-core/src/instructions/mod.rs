//! Typed instructions: BuildKit's second layer (`instructions.Parse`).
//!
//! The parser accepts unknown keywords, any flag and any argument count; this layer checks
//! them as BuildKit does and gives each instruction a typed view (FROM with its image
//! reference, RUN with mounts, COPY/ADD with sources and flags, ...). Values stay as written
//! (unexpanded); the model expands them with the ARG/ENV values in scope.

mod duration;
mod flags;
mod image;
mod mount;

pub use duration::parse_go_duration;
pub use flags::suggest;
pub use image::ImageRef;
pub use mount::{parse_mount, type_name as mount_type_name, Mount, MountType};

pub use flags::FlagValue;
use flags::{check, FlagSpec, FlagType};

use crate::syntax::dump::go_quote;
use crate::syntax::{Args, Command, Heredoc, Instruction, Keyword, ParseError, Text};

/// The typed view of one instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Typed {
    From(From),
    Run(Run),
    Cmd(CommandLine),
    Entrypoint(CommandLine),
    Shell(Vec<Text>),
    Copy(Copy),
    Add(Add),
    Env(Vec<KeyValue>),
    Label(Vec<KeyValue>),
    Arg(Vec<ArgDecl>),
    Expose(Vec<Text>),
    Volume(Vec<Text>),
    User(Text),
    Workdir(Text),
    Stopsignal(Text),
    Maintainer(Text),
    Healthcheck(Healthcheck),
    Onbuild(Box<Typed>),
    /// Rejected by BuildKit (the error says why) or unknown.
    Invalid,
}

/// FROM [--platform=...] image [AS name]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct From {
    pub image: Text,
    pub platform: Option<FlagValue>,
    /// Stage name, lower-cased as BuildKit stores it.
    pub name: Option<String>,
    pub name_text: Option<Text>,
}

/// Shell or exec form of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandLine {
    Shell(Text),
    Exec(Vec<Text>),
    /// `CMD` with nothing after it.
    Empty,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub command: CommandLine,
    pub mounts: Vec<Mount>,
    pub network: Option<FlagValue>,
    pub security: Option<FlagValue>,
    pub devices: Vec<FlagValue>,
}

/// A COPY/ADD source: a path in the context (or URL), or an inline heredoc file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Path(Text),
    Heredoc {
        word: Text,
        /// Index into the instruction's heredocs.
        index: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copy {
    pub sources: Vec<Source>,
    pub dest: Text,
    pub from: Option<FlagValue>,
    pub chown: Option<FlagValue>,
    pub chmod: Option<FlagValue>,
    pub link: bool,
    pub parents: bool,
    pub exclude: Vec<FlagValue>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Add {
    pub sources: Vec<Source>,
    pub dest: Text,
    pub chown: Option<FlagValue>,
    pub chmod: Option<FlagValue>,
    pub checksum: Option<FlagValue>,
    pub link: bool,
    pub keep_git_dir: bool,
    pub unpack: Option<bool>,
    pub exclude: Vec<FlagValue>,
}

/// ENV/LABEL pair as written (quotes kept; the model processes them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub key: Text,
    pub value: Text,
    pub legacy: bool,
}

/// `ARG name[=default]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgDecl {
    pub name: String,
    pub default: Option<String>,
    pub text: Text,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Healthcheck {
    None,
    Cmd(Box<HealthcheckCmd>),
}

/// `HEALTHCHECK [options] CMD ...`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HealthcheckCmd {
    pub command: CommandLine,
    pub interval: Option<FlagValue>,
    pub timeout: Option<FlagValue>,
    pub start_period: Option<FlagValue>,
    pub start_interval: Option<FlagValue>,
    pub retries: Option<FlagValue>,
}

/// Builds the typed view of `instruction`, with the error BuildKit's instruction layer
/// would raise for it (at most one, as BuildKit stops at the first).
pub fn typed(instruction: &Instruction) -> (Typed, Option<ParseError>) {
    match typed_command(&instruction.command, &instruction.heredocs) {
        Ok(t) => (t, None),
        Err(e) => (Typed::Invalid, Some(e)),
    }
}

type Result<T> = std::result::Result<T, ParseError>;

fn typed_command(command: &Command, heredocs: &[Heredoc]) -> Result<Typed> {
    let fail = |message: String| ParseError {
        span: command.rest.span.cover(command.keyword_text.span),
        message,
    };
    if matches!(command.args, Args::Invalid) {
        // The parser already reported why.
        return Ok(Typed::Invalid);
    }
    let keyword = command.keyword;
    let name = keyword.upper();
    let args = plain_args(&command.args);
    let no_flags = FlagSpec { allowed: &[] };
    let exactly_one = |args: &[Text]| -> Result<Text> {
        match args {
            [one] => Ok(one.clone()),
            _ => Err(fail(format!("{name} requires exactly one argument"))),
        }
    };
    Ok(match keyword {
        Keyword::Unknown => {
            let written = &command.keyword_text.value;
            let mut message = format!("unknown instruction: {written}");
            let all: Vec<String> = Keyword::ALL.iter().map(|k| k.upper()).collect();
            if let Some(hint) = suggest(written, all.iter().map(String::as_str)) {
                message.push_str(&format!(" (did you mean {}?)", hint.to_lowercase()));
            }
            return Err(ParseError {
                span: command.keyword_text.span,
                message,
            });
        }
        Keyword::From => {
            let flags = check(
                &command.flags,
                &FlagSpec {
                    allowed: &[("platform", FlagType::String)],
                },
            )?;
            let (name, name_text) = match args.as_slice() {
                [_] => (None, None),
                [_, as_word, stage] if as_word.value.eq_ignore_ascii_case("as") => {
                    let lower = stage.value.to_lowercase();
                    if !valid_stage_name(&lower) {
                        return Err(ParseError {
                            span: stage.span,
                            message: format!(
                                "invalid name for build stage: {}, name can't start with a number or contain symbols",
                                go_quote(&stage.value)
                            ),
                        });
                    }
                    (Some(lower), Some(stage.clone()))
                }
                _ => return Err(fail("FROM requires either one or three arguments".into())),
            };
            Typed::From(From {
                image: args[0].clone(),
                platform: take(&flags, "platform"),
                name,
                name_text,
            })
        }
        Keyword::Run => {
            let flags = check(
                &command.flags,
                &FlagSpec {
                    allowed: &[
                        ("mount", FlagType::Strings),
                        ("network", FlagType::String),
                        ("security", FlagType::String),
                        ("device", FlagType::Strings),
                    ],
                },
            )?;
            let mut mounts = Vec::new();
            for flag in flags.iter().filter(|f| f.name == "mount") {
                let mount =
                    parse_mount(&flag.value, flag.text.span).map_err(|message| ParseError {
                        span: flag.text.span,
                        message,
                    })?;
                mounts.push(mount);
            }
            for (flag, allowed) in [
                ("network", &["default", "none", "host"][..]),
                ("security", &["sandbox", "insecure"][..]),
            ] {
                if let Some(v) = take(&flags, flag) {
                    if !allowed.contains(&v.value.as_str()) {
                        return Err(ParseError {
                            span: v.text.span,
                            message: format!("unsupported {flag} mode {}", go_quote(&v.value)),
                        });
                    }
                }
            }
            Typed::Run(Run {
                command: command_line(&command.args),
                mounts,
                network: take(&flags, "network"),
                security: take(&flags, "security"),
                devices: flags
                    .iter()
                    .filter(|f| f.name == "device")
                    .cloned()
                    .collect(),
            })
        }
        Keyword::Cmd => {
            check(&command.flags, &no_flags)?;
            Typed::Cmd(command_line(&command.args))
        }
        Keyword::Entrypoint => {
            check(&command.flags, &no_flags)?;
            Typed::Entrypoint(command_line(&command.args))
        }
        Keyword::Shell => {
            check(&command.flags, &no_flags)?;
            match &command.args {
                Args::Exec(items) if !items.is_empty() => Typed::Shell(items.clone()),
                Args::Exec(_) | Args::Empty => {
                    return Err(fail("SHELL requires at least one argument".into()))
                }
                _ => {
                    return Err(fail(
                        "SHELL requires the arguments to be in JSON form".into(),
                    ))
                }
            }
        }
        Keyword::Copy => {
            if args.len() < 2 {
                return Err(no_destination(&name, &fail));
            }
            let flags = check(
                &command.flags,
                &FlagSpec {
                    allowed: &[
                        ("chown", FlagType::String),
                        ("from", FlagType::String),
                        ("chmod", FlagType::String),
                        ("link", FlagType::Bool),
                        ("parents", FlagType::Bool),
                        ("exclude", FlagType::Strings),
                    ],
                },
            )?;
            let (sources, dest) = sources_and_dest(&name, &args, heredocs)?;
            Typed::Copy(Copy {
                sources,
                dest,
                from: take(&flags, "from"),
                chown: take(&flags, "chown"),
                chmod: take(&flags, "chmod"),
                link: is_true(&flags, "link"),
                parents: is_true(&flags, "parents"),
                exclude: flags
                    .iter()
                    .filter(|f| f.name == "exclude")
                    .cloned()
                    .collect(),
            })
        }
        Keyword::Add => {
            if args.len() < 2 {
                return Err(no_destination(&name, &fail));
            }
            let flags = check(
                &command.flags,
                &FlagSpec {
                    allowed: &[
                        ("chown", FlagType::String),
                        ("chmod", FlagType::String),
                        ("checksum", FlagType::String),
                        ("link", FlagType::Bool),
                        ("keep-git-dir", FlagType::Bool),
                        ("unpack", FlagType::Bool),
                        ("exclude", FlagType::Strings),
                    ],
                },
            )?;
            let (sources, dest) = sources_and_dest(&name, &args, heredocs)?;
            Typed::Add(Add {
                sources,
                dest,
                chown: take(&flags, "chown"),
                chmod: take(&flags, "chmod"),
                checksum: take(&flags, "checksum"),
                link: is_true(&flags, "link"),
                keep_git_dir: is_true(&flags, "keep-git-dir"),
                unpack: take(&flags, "unpack").map(|f| f.value == "true"),
                exclude: flags
                    .iter()
                    .filter(|f| f.name == "exclude")
                    .cloned()
                    .collect(),
            })
        }
        Keyword::Env | Keyword::Label => {
            check(&command.flags, &no_flags)?;
            let Args::Pairs(pairs) = &command.args else {
                return Err(fail(format!("{name} requires at least one argument")));
            };
            if pairs.iter().any(|p| p.key.value.is_empty()) {
                return Err(fail(format!("{name} names can not be blank")));
            }
            let kvs = pairs
                .iter()
                .map(|p| KeyValue {
                    key: p.key.clone(),
                    value: p.value.clone(),
                    legacy: p.legacy,
                })
                .collect();
            if keyword == Keyword::Env {
                Typed::Env(kvs)
            } else {
                Typed::Label(kvs)
            }
        }
        Keyword::Arg => {
            // BuildKit never parses ARG's flags.
            if args.is_empty() {
                return Err(fail("ARG requires at least one argument".into()));
            }
            let mut decls = Vec::new();
            for word in &args {
                let (name, default) = match word.value.split_once('=') {
                    Some((n, d)) => (n.to_string(), Some(d.to_string())),
                    None => (word.value.clone(), None),
                };
                if name.is_empty() {
                    return Err(fail("ARG names can not be blank".into()));
                }
                decls.push(ArgDecl {
                    name,
                    default,
                    text: word.clone(),
                });
            }
            Typed::Arg(decls)
        }
        Keyword::Expose => {
            if args.is_empty() {
                return Err(fail("EXPOSE requires at least one argument".into()));
            }
            check(&command.flags, &no_flags)?;
            Typed::Expose(args)
        }
        Keyword::Volume => {
            if args.is_empty() {
                return Err(fail("VOLUME requires at least one argument".into()));
            }
            check(&command.flags, &no_flags)?;
            if args.iter().any(|a| a.value.trim().is_empty()) {
                return Err(fail("VOLUME specified can not be an empty string".into()));
            }
            Typed::Volume(args)
        }
        Keyword::User => {
            let user = exactly_one(&args)?;
            check(&command.flags, &no_flags)?;
            Typed::User(user)
        }
        Keyword::Workdir => {
            let path = exactly_one(&args)?;
            check(&command.flags, &no_flags)?;
            Typed::Workdir(path)
        }
        Keyword::Maintainer => {
            let who = exactly_one(&args)?;
            check(&command.flags, &no_flags)?;
            Typed::Maintainer(who)
        }
        Keyword::Stopsignal => Typed::Stopsignal(exactly_one(&args)?),
        Keyword::Healthcheck => healthcheck(command, &fail)?,
        Keyword::Onbuild => {
            let Args::OnBuild(inner) = &command.args else {
                return Err(fail("ONBUILD requires at least one argument".into()));
            };
            check(&command.flags, &no_flags)?;
            match inner.keyword {
                Keyword::Onbuild => {
                    return Err(fail(
                        "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".into(),
                    ))
                }
                Keyword::From | Keyword::Maintainer => {
                    return Err(fail(format!(
                        "{} isn't allowed as an ONBUILD trigger",
                        inner.keyword.upper()
                    )))
                }
                _ => {}
            }
            Typed::Onbuild(Box::new(typed_command(inner, heredocs)?))
        }
    })
}

fn healthcheck(command: &Command, fail: &dyn Fn(String) -> ParseError) -> Result<Typed> {
    let Args::Health { kind, command: cmd } = &command.args else {
        return Err(fail("HEALTHCHECK requires at least one argument".into()));
    };
    let kind_upper = kind.value.to_uppercase();
    if kind_upper == "NONE" {
        if !matches!(**cmd, Args::Empty) {
            return Err(fail("HEALTHCHECK NONE takes no arguments".into()));
        }
        return Ok(Typed::Healthcheck(Healthcheck::None));
    }
    let flags = check(
        &command.flags,
        &FlagSpec {
            allowed: &[
                ("interval", FlagType::String),
                ("timeout", FlagType::String),
                ("start-period", FlagType::String),
                ("start-interval", FlagType::String),
                ("retries", FlagType::String),
            ],
        },
    )?;
    if kind_upper != "CMD" {
        return Err(ParseError {
            span: kind.span,
            message: format!(
                "Unknown type {} in HEALTHCHECK (try CMD)",
                go_quote(&kind_upper)
            ),
        });
    }
    let line = command_line(cmd);
    if matches!(line, CommandLine::Empty) || matches!(&line, CommandLine::Exec(v) if v.is_empty()) {
        return Err(fail("Missing command after HEALTHCHECK CMD".into()));
    }
    for name in ["interval", "timeout", "start-period", "start-interval"] {
        if let Some(flag) = take(&flags, name) {
            let err = |message: String| ParseError {
                span: flag.text.span,
                message,
            };
            if flag.value.is_empty() {
                continue;
            }
            let nanos = parse_go_duration(&flag.value).map_err(err)?;
            if nanos != 0 && nanos < 1_000_000 {
                return Err(err(format!(
                    "Interval {} cannot be less than 1ms",
                    go_quote(name)
                )));
            }
        }
    }
    if let Some(flag) = take(&flags, "retries") {
        if !flag.value.is_empty() {
            let err = |message: String| ParseError {
                span: flag.text.span,
                message,
            };
            let retries: i64 = flag.value.parse().map_err(|_| {
                err(format!(
                    "strconv.ParseInt: parsing {}: invalid syntax",
                    go_quote(&flag.value)
                ))
            })?;
            if retries < 0 {
                return Err(err(format!("--retries cannot be negative ({retries})")));
            }
        }
    }
    Ok(Typed::Healthcheck(Healthcheck::Cmd(Box::new(
        HealthcheckCmd {
            command: line,
            interval: take(&flags, "interval"),
            timeout: take(&flags, "timeout"),
            start_period: take(&flags, "start-period"),
            start_interval: take(&flags, "start-interval"),
            retries: take(&flags, "retries"),
        },
    ))))
}

fn no_destination(name: &str, fail: &dyn Fn(String) -> ParseError) -> ParseError {
    fail(format!(
        "{name} requires at least two arguments, but only one was provided. Destination could not be determined"
    ))
}

/// Splits COPY/ADD words into sources and destination; heredoc words become inline files.
fn sources_and_dest(
    name: &str,
    args: &[Text],
    heredocs: &[Heredoc],
) -> Result<(Vec<Source>, Text)> {
    let (dest, sources) = args.split_last().ok_or_else(|| ParseError {
        span: Default::default(),
        message: format!("{name} requires at least two arguments"),
    })?;
    if heredoc_name(&dest.value).is_some() {
        return Err(ParseError {
            span: dest.span,
            message: format!("{name} cannot accept a heredoc as a destination"),
        });
    }
    let sources = sources
        .iter()
        .map(|word| {
            let index =
                heredoc_name(&word.value).and_then(|n| heredocs.iter().position(|h| h.name == n));
            match index {
                Some(index) => Source::Heredoc {
                    word: word.clone(),
                    index,
                },
                None => Source::Path(word.clone()),
            }
        })
        .collect();
    Ok((sources, dest.clone()))
}

/// The heredoc name a COPY/ADD word stands for, if it is a heredoc word.
fn heredoc_name(word: &str) -> Option<String> {
    crate::syntax::lex::parse_heredoc_word(word)
        .ok()
        .flatten()
        .map(|h| h.name)
}

fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

fn command_line(args: &Args) -> CommandLine {
    match args {
        Args::Exec(items) => CommandLine::Exec(items.clone()),
        Args::Shell(text) => CommandLine::Shell(text.clone()),
        _ => CommandLine::Empty,
    }
}

/// The argument words BuildKit's instruction layer counts.
fn plain_args(args: &Args) -> Vec<Text> {
    match args {
        Args::Exec(items) | Args::Words(items) => items.clone(),
        Args::Shell(text) => vec![text.clone()],
        _ => Vec::new(),
    }
}

fn take(flags: &[FlagValue], name: &str) -> Option<FlagValue> {
    flags.iter().find(|f| f.name == name).cloned()
}

fn is_true(flags: &[FlagValue], name: &str) -> bool {
    take(flags, name).is_some_and(|f| f.value == "true")
}

#[cfg(test)]
mod tests;
