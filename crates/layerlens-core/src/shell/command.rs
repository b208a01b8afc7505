//! Helpers lint rules use to ask about a command's name, flags and arguments.
//!
//! Flag parsing is heuristic by necessity: whether `-o x` means "option o with value x" or
//! "flag o, operand x" depends on the program. The helpers follow getopt conventions and
//! stop at `--`; rules that know their program's value-taking options can say so with
//! [`Command::positional_args_with`].

use super::{Command, Word};

/// The last path component: `/usr/bin/apt-get` -> `apt-get`.
pub(crate) fn basename(s: &str) -> &str {
    // Rules ask for names very often and names are short: a plain byte scan beats `rsplit`.
    match s.bytes().rposition(|b| b == b'/') {
        Some(slash) => &s[slash + 1..],
        None => s,
    }
}

/// How a flag was spelled in a query.
enum Flag<'a> {
    /// `-x`: may be combined with others (`-qy`) or carry an attached value (`-ofoo`).
    Short(char),
    /// `--name`, or a single-dash long option like `-name` (find, java), spelled in full
    /// as `dashes` + `name` (kept apart so a bare `yes` needs no allocation for `--yes`):
    /// matches `flag` and `flag=value`.
    Long { dashes: &'static str, name: &'a str },
}

impl<'a> Flag<'a> {
    /// `"-y"`/`"y"` are short; `"--yes"`, `"yes"` (taken as `--yes`) and `"-name"` are long.
    fn parse(flag: &'a str) -> Option<Flag<'a>> {
        let bare = flag.trim_start_matches('-');
        let mut chars = bare.chars();
        let first = chars.next()?;
        let single = chars.next().is_none();
        Some(if flag.starts_with("--") {
            Flag::Long {
                dashes: "",
                name: flag,
            }
        } else if single {
            Flag::Short(first)
        } else if flag.starts_with('-') {
            Flag::Long {
                dashes: "",
                name: flag,
            }
        } else {
            Flag::Long {
                dashes: "--",
                name: bare,
            }
        })
    }

    /// What follows a long flag's spelling in `v` (`""` for an exact match).
    fn long_rest<'v>(dashes: &str, name: &str, v: &'v str) -> Option<&'v str> {
        v.strip_prefix(dashes)?.strip_prefix(name)
    }
}

impl Command {
    /// The command name as written after quote removal (`words[0].value`).
    pub fn name(&self) -> Option<&str> {
        self.words.first().map(|w| w.value.as_str())
    }

    /// The last path component of the name (`/usr/bin/apt-get` -> `apt-get`).
    pub fn basename(&self) -> Option<&str> {
        self.name().map(basename)
    }

    /// Whether the command is `name`, also when invoked by path (`/usr/bin/apt-get`).
    pub fn is(&self, name: &str) -> bool {
        // Rules ask this for every command many times: compare suffixes instead of splitting.
        let wanted = if name.contains('/') {
            basename(name)
        } else {
            name
        };
        let Some(own) = self.name() else {
            return false;
        };
        match own.strip_suffix(wanted) {
            Some("") => true,
            Some(prefix) => prefix.ends_with('/'),
            None => false,
        }
    }

    /// The words after the name.
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// The arguments up to (not including) a `--` argument: where options can appear.
    fn option_args(&self) -> impl Iterator<Item = (usize, &Word)> {
        self.args()
            .iter()
            .enumerate()
            .take_while(|(_, w)| w.value != "--")
    }

    /// Whether the short flag `-x` is given, alone or combined (`-qy` has `y`), before `--`.
    /// Arguments that are `--long` options are not looked into.
    pub fn has_flag(&self, short: char) -> bool {
        self.option_args()
            .any(|(_, w)| short_cluster(&w.value).is_some_and(|cluster| cluster.contains(short)))
    }

    /// Whether `--name` or `--name=…` is given before `--`. `name` may be written with or
    /// without the leading dashes.
    pub fn has_long_flag(&self, name: &str) -> bool {
        let name = name.trim_start_matches('-');
        if name.is_empty() {
            return false;
        }
        self.option_args().any(|(_, w)| {
            w.value
                .strip_prefix("--")
                .and_then(|v| v.strip_prefix(name))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('='))
        })
    }

    /// The first value of a value-taking option; see [`Command::flag_values`].
    pub fn flag_value(&self, flag: &str) -> Option<&str> {
        self.flag_values(flag).into_iter().next()
    }

    /// Every value given to a value-taking option, in order, before `--`.
    ///
    /// - `"--opt"` (or `"opt"`, or single-dash `"-opt"`): `--opt=value` and `--opt value`.
    /// - `"-o"` (or `"o"`): `-o value`, `-ovalue`, and clusters: in `-eo pipefail` the `o`
    ///   ends the cluster so the value is the next word; in `-xofoo` it is `foo` (getopt
    ///   rules, assuming the letters before `o` take no value).
    ///
    /// So `set -eo pipefail` gives `flag_values("-o") == ["pipefail"]`.
    pub fn flag_values(&self, flag: &str) -> Vec<&str> {
        let Some(flag) = Flag::parse(flag) else {
            return Vec::new();
        };
        let args = self.args();
        let mut out = Vec::new();
        let mut skip_next = false;
        for (i, w) in self.option_args() {
            if skip_next {
                skip_next = false;
                continue;
            }
            let v = w.value.as_str();
            let found = match flag {
                Flag::Long { dashes, name } => match Flag::long_rest(dashes, name, v) {
                    Some("") => Some(None),
                    Some(rest) => rest.strip_prefix('=').map(Some),
                    None => None,
                },
                Flag::Short(c) => short_cluster(v).and_then(|cluster| {
                    let at = cluster.find(c)?;
                    let rest = cluster.get(at + c.len_utf8()..).unwrap_or("");
                    Some((!rest.is_empty()).then_some(rest))
                }),
            };
            match found {
                Some(Some(attached)) => out.push(attached),
                Some(None) => {
                    if let Some(next) = args.get(i + 1) {
                        out.push(next.value.as_str());
                        skip_next = true;
                    }
                }
                None => {}
            }
        }
        out
    }

    /// Arguments that are not options: everything that does not start with `-` (a lone `-`
    /// counts as an operand, meaning stdin), plus everything after `--`.
    ///
    /// Heuristic: the value of an option written as a separate word (`-o value`) counts as
    /// positional, because which options take values depends on the program. Use
    /// [`Command::positional_args_with`] when the rule knows them.
    pub fn positional_args(&self) -> Vec<&Word> {
        self.positional_args_with(&[])
    }

    /// Like [`Command::positional_args`], but the options in `value_flags` (spelled `"-o"`,
    /// `"--opt"`) consume the following word as their value (unless written `--opt=value`
    /// or `-ovalue`). A short flag also consumes it when it ends a cluster (`-qo value`).
    pub fn positional_args_with(&self, value_flags: &[&str]) -> Vec<&Word> {
        // Parsed once per call, not once per word: rules call this for every command.
        let flags: Vec<Flag> = value_flags.iter().filter_map(|f| Flag::parse(f)).collect();
        let mut out = Vec::new();
        let mut after_dashdash = false;
        let mut skip_next = false;
        for w in self.args() {
            let v = w.value.as_str();
            if after_dashdash {
                out.push(w);
            } else if skip_next {
                skip_next = false;
            } else if v == "--" {
                after_dashdash = true;
            } else if v.starts_with('-') && v.len() > 1 {
                skip_next = takes_next_word(v, &flags);
            } else {
                out.push(w);
            }
        }
        out
    }
}

/// The letters of a short-option word (`-qy` -> `qy`), or None for operands and `--long`.
fn short_cluster(v: &str) -> Option<&str> {
    let rest = v.strip_prefix('-')?;
    if rest.is_empty() || rest.starts_with('-') {
        None
    } else {
        Some(rest)
    }
}

/// Whether option word `v` takes the next word as its value, given the value flags.
fn takes_next_word(v: &str, value_flags: &[Flag]) -> bool {
    value_flags.iter().any(|f| match f {
        Flag::Long { dashes, name } => Flag::long_rest(dashes, name, v) == Some(""),
        Flag::Short(c) => short_cluster(v).is_some_and(|cl| cl.ends_with(*c)),
    })
}
