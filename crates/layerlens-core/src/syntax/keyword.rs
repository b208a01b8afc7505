//! The eighteen instruction keywords.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Anything else; BuildKit's parser accepts it, its instruction layer rejects it.
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// Looks a keyword up case-insensitively (with Unicode lower-casing, as Go's
    /// `strings.ToLower` does).
    pub fn parse(word: &str) -> Keyword {
        let lower = word.to_lowercase();
        Keyword::ALL
            .into_iter()
            .find(|k| k.lower() == lower)
            .unwrap_or(Keyword::Unknown)
    }

    /// Lower-case name, as BuildKit's dump prints it.
    pub fn lower(self) -> &'static str {
        match self {
            Keyword::Add => "add",
            Keyword::Arg => "arg",
            Keyword::Cmd => "cmd",
            Keyword::Copy => "copy",
            Keyword::Entrypoint => "entrypoint",
            Keyword::Env => "env",
            Keyword::Expose => "expose",
            Keyword::From => "from",
            Keyword::Healthcheck => "healthcheck",
            Keyword::Label => "label",
            Keyword::Maintainer => "maintainer",
            Keyword::Onbuild => "onbuild",
            Keyword::Run => "run",
            Keyword::Shell => "shell",
            Keyword::Stopsignal => "stopsignal",
            Keyword::User => "user",
            Keyword::Volume => "volume",
            Keyword::Workdir => "workdir",
            Keyword::Unknown => "",
        }
    }

    /// Upper-case name as documentation writes it.
    pub fn upper(self) -> String {
        self.lower().to_ascii_uppercase()
    }

    /// Whether BuildKit attaches heredocs to this instruction.
    pub fn takes_heredocs(self) -> bool {
        matches!(self, Keyword::Run | Keyword::Copy | Keyword::Add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_case_insensitive() {
        assert_eq!(Keyword::parse("rUn"), Keyword::Run);
        assert_eq!(Keyword::parse("HEALTHCHECK"), Keyword::Healthcheck);
        assert_eq!(Keyword::parse("FOO"), Keyword::Unknown);
        // The Kelvin sign lower-cases to `k`, as in Go.
        assert_eq!(Keyword::parse("WOR\u{212A}DIR"), Keyword::Workdir);
    }
}
