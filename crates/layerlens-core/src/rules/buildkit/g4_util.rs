//! Helpers shared by the BuildKit checks: stage chains, "did you mean" suggestions, platform
//! strings and image references as BuildKit parses them.

use crate::instructions::Typed;
use crate::model::{Base, Model};
use crate::rules::Context;
use crate::syntax::{Args, Keyword, Text};

/// Names longer than this get no "did you mean" suggestion (keeps the edit distance cheap).
const MAX_SUGGEST_LEN: usize = 64;

/// Edit distance (insertions, deletions, substitutions), two rows of memory.
pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// BuildKit's `suggest.Search` (case-sensitive): the first option within an edit distance
/// of 2 (closest wins); `None` when an option matches exactly or nothing is close.
pub(crate) fn suggest<'a>(
    name: &str,
    options: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    if name.is_empty() || name.len() > MAX_SUGGEST_LEN {
        return None;
    }
    let mut best: Option<(usize, &'a str)> = None;
    for option in options {
        if option == name {
            return None;
        }
        if option.len() > MAX_SUGGEST_LEN {
            continue;
        }
        let distance = levenshtein(name, option);
        if distance < 3 && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, option));
        }
    }
    best.map(|(_, option)| option)
}

/// `stage` followed by the stages it is built on (`FROM <stage>` chains), nearest first.
pub(crate) fn stage_chain(model: &Model, stage: usize) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut current = Some(stage);
    while let Some(s) = current {
        // Parents always come earlier in the file (checked below), so this ends.
        if chain.len() > model.stages.len() {
            break;
        }
        chain.push(s);
        current = match model.stages.get(s).map(|st| &st.base) {
            Some(Base::Stage(parent)) if *parent < s => Some(*parent),
            _ => None,
        };
    }
    chain
}

/// For every stage, the stage at the root of its `FROM <stage>` chain (the one built on an
/// image, scratch or something unresolved). Linear in the number of stages.
pub(crate) fn chain_roots(model: &Model) -> Vec<usize> {
    let mut roots: Vec<usize> = Vec::with_capacity(model.stages.len());
    for (index, stage) in model.stages.iter().enumerate() {
        let root = match stage.base {
            Base::Stage(parent) if parent < index => roots.get(parent).copied().unwrap_or(index),
            _ => index,
        };
        roots.push(root);
    }
    roots
}

/// For every instruction, whether a SHELL instruction is in effect before it (earlier in its
/// stage or anywhere in a stage it is built on): BuildKit then records a shell in the image
/// configuration. Linear in the file.
pub(crate) fn shell_set_before(context: &Context) -> Vec<bool> {
    let model = context.model;
    let mut out = vec![false; context.len()];
    // Whether each stage has set a SHELL by its end.
    let mut by_stage: Vec<bool> = Vec::with_capacity(model.stages.len());
    for stage in &model.stages {
        let mut set = match stage.base {
            Base::Stage(parent) => by_stage.get(parent).copied().unwrap_or(false),
            _ => false,
        };
        for &i in &stage.instructions {
            if let Some(slot) = out.get_mut(i) {
                *slot = set;
            }
            set |= matches!(context.typed(i), Typed::Shell(_));
        }
        by_stage.push(set);
    }
    out
}

/// The words of a FROM instruction as BuildKit's parser splits them (`image`, `AS`, `name`).
pub(crate) fn from_words<'a>(context: &Context<'a>, i: usize) -> &'a [Text] {
    let command = &context.instruction(i).command;
    match (&command.keyword, &command.args) {
        (Keyword::From, Args::Words(words)) => words,
        _ => &[],
    }
}

/// Span of the stage name of the FROM at `i` (the keyword when it has none).
pub(crate) fn stage_name_span(context: &Context, i: usize) -> crate::text::Span {
    match context.typed(i) {
        Typed::From(from) => from
            .name_text
            .as_ref()
            .map_or_else(|| context.keyword_span(i), |t| t.span),
        _ => context.keyword_span(i),
    }
}

/// The global scope a FROM is expanded in: meta ARGs (with their defaults) and BuildKit's
/// builtin platform ARGs.
pub(crate) struct GlobalScope<'a>(pub &'a Model);

impl crate::syntax::lex::Env for GlobalScope<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        match self.0.global_args.iter().rev().find(|b| b.name == name) {
            Some(b) => b.value.as_deref(),
            None => crate::model::BUILTIN_ARGS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v),
        }
    }
}

impl GlobalScope<'_> {
    /// Every name declared in the global scope (meta ARGs, with or without a value, and the
    /// builtins).
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.0.global_args.iter().map(|b| b.name.as_str()).collect();
        keys.extend(crate::model::BUILTIN_ARGS.iter().map(|(n, _)| *n));
        keys
    }

    /// Expands `word` as BuildKit expands a FROM (`ProcessWordWithMatches`).
    pub fn process(&self, word: &str) -> Option<crate::syntax::lex::Processed> {
        crate::syntax::lex::Lexer::new(self.0.doc.directives.escape)
            .process(word, self)
            .ok()
    }
}

/// The span of the first `$name` / `${name...}` reference inside `span` of the source, or
/// `span` itself when it cannot be found.
pub(crate) fn variable_span(text: &str, span: crate::text::Span, name: &str) -> crate::text::Span {
    let slice = span.slice(text);
    let mut from = 0;
    while let Some(pos) = slice[from..].find('$') {
        let at = from + pos;
        let rest = &slice[at + 1..];
        let (braced, body) = match rest.strip_prefix('{') {
            Some(b) => (true, b),
            None => (false, rest),
        };
        if let Some(after) = body.strip_prefix(name) {
            let boundary = after
                .chars()
                .next()
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
            if boundary {
                let len = if braced {
                    // Up to the closing brace when it is on the same line.
                    after
                        .find('}')
                        .filter(|&e| !after[..e].contains('\n'))
                        .map_or(1 + name.len() + 1, |e| 2 + name.len() + e + 1)
                } else {
                    1 + name.len()
                };
                let start = span.start + at;
                return crate::text::Span::new(start, (start + len).min(span.end));
            }
        }
        from = at + 1;
    }
    span
}

/// The EXPOSE port specs of instruction `i` after BuildKit's word expansion, each with the
/// span of the word it came from.
pub(crate) fn expose_specs(context: &Context, i: usize) -> Vec<(String, crate::text::Span)> {
    let Typed::Expose(words) = context.typed(i) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for word in words {
        match context.model.expand_words(i, &word.value) {
            Ok(specs) => out.extend(specs.into_iter().map(|s| (s, word.span))),
            Err(_) => out.push((word.value.clone(), word.span)),
        }
    }
    out
}

/// A platform as containerd's `platforms.Parse` normalises it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Platform {
    pub os: String,
    pub arch: String,
    pub variant: String,
}

impl Platform {
    pub fn linux_amd64() -> Platform {
        Platform {
            os: "linux".into(),
            arch: "amd64".into(),
            variant: String::new(),
        }
    }

    /// `os/arch[/variant]`.
    pub fn format(&self) -> String {
        if self.variant.is_empty() {
            format!("{}/{}", self.os, self.arch)
        } else {
            format!("{}/{}/{}", self.os, self.arch, self.variant)
        }
    }
}

const KNOWN_OS: [&str; 18] = [
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

const KNOWN_ARCH: [&str; 24] = [
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

fn normalize_os(os: &str) -> String {
    match os.to_ascii_lowercase().as_str() {
        "macos" => "darwin".into(),
        other => other.into(),
    }
}

fn normalize_arch(arch: &str, variant: &str) -> (String, String) {
    let arch = arch.to_ascii_lowercase();
    let variant = variant.to_ascii_lowercase();
    let (a, v) = match arch.as_str() {
        "i386" => ("386", variant.as_str()),
        "x86_64" | "x86-64" | "amd64" => (
            "amd64",
            if variant == "v1" {
                ""
            } else {
                variant.as_str()
            },
        ),
        "aarch64" | "arm64" => (
            "arm64",
            if variant == "8" || variant == "v8" || variant == "v8.0" {
                ""
            } else {
                variant.as_str()
            },
        ),
        "armhf" => ("arm", "v7"),
        "armel" => ("arm", "v6"),
        "arm" => match variant.as_str() {
            "" | "7" => ("arm", "v7"),
            "5" | "6" | "8" => return ("arm".into(), format!("v{variant}")),
            _ => ("arm", variant.as_str()),
        },
        _ => (arch.as_str(), variant.as_str()),
    };
    (a.to_string(), v.to_string())
}

/// containerd's `platforms.Parse` (the default OS/arch for a lone component is
/// linux/amd64). `None` when BuildKit would reject the specifier.
pub(crate) fn parse_platform(spec: &str) -> Option<Platform> {
    let valid = |c: &str| {
        !c.is_empty()
            && c.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "_.-".contains(ch))
    };
    // `os(osversion)/arch` form: drop the version.
    let spec = match (spec.find('('), spec.find(')')) {
        (Some(open), Some(close)) if open < close => {
            format!("{}{}", &spec[..open], &spec[close + 1..])
        }
        _ => spec.to_string(),
    };
    let parts: Vec<&str> = spec.split('/').collect();
    if !parts.iter().all(|p| valid(p)) {
        return None;
    }
    match parts.as_slice() {
        [one] => {
            let lower = one.to_ascii_lowercase();
            if KNOWN_OS.contains(&normalize_os(&lower).as_str()) {
                Some(Platform {
                    os: normalize_os(&lower),
                    arch: "amd64".into(),
                    variant: String::new(),
                })
            } else {
                let (arch, variant) = normalize_arch(&lower, "");
                KNOWN_ARCH.contains(&arch.as_str()).then(|| Platform {
                    os: "linux".into(),
                    arch,
                    variant,
                })
            }
        }
        [os, arch] => {
            let (arch, variant) = normalize_arch(arch, "");
            Some(Platform {
                os: normalize_os(os),
                arch,
                variant,
            })
        }
        [os, arch, variant] => {
            let (arch, variant) = normalize_arch(arch, variant);
            Some(Platform {
                os: normalize_os(os),
                arch,
                variant,
            })
        }
        _ => None,
    }
}

/// What an image reference alone says about the platform of the image it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pinned {
    pub os: &'static str,
    /// `None` when only the OS is fixed (Windows images exist for several architectures).
    pub arch: Option<&'static str>,
    pub variant: &'static str,
    /// Why we know (for messages).
    pub reason: &'static str,
}

/// Docker Hub's per-architecture namespaces (`arm64v8/alpine`).
const ARCH_NAMESPACES: [(&str, &str, &str, &str); 11] = [
    ("amd64", "linux", "amd64", ""),
    ("arm32v5", "linux", "arm", "v5"),
    ("arm32v6", "linux", "arm", "v6"),
    ("arm32v7", "linux", "arm", "v7"),
    ("arm64v8", "linux", "arm64", ""),
    ("i386", "linux", "386", ""),
    ("ppc64le", "linux", "ppc64le", ""),
    ("s390x", "linux", "s390x", ""),
    ("riscv64", "linux", "riscv64", ""),
    ("mips64le", "linux", "mips64le", ""),
    ("winamd64", "windows", "amd64", ""),
];

/// The platform an image name pins, when the name alone tells: Docker Hub's
/// per-architecture namespaces and Windows-only images (Windows Server Core, Nano Server,
/// .NET Framework, tags naming a Windows base). Everything else is multi-platform or unknown.
pub(crate) fn pinned_platform(image: &crate::instructions::ImageRef) -> Option<Pinned> {
    let repo = image.repository.to_ascii_lowercase();
    if image.registry == "docker.io" {
        let first = repo.split('/').next().unwrap_or("");
        if repo.contains('/') {
            if let Some(&(_, os, arch, variant)) =
                ARCH_NAMESPACES.iter().find(|(ns, ..)| *ns == first)
            {
                return Some(Pinned {
                    os,
                    arch: Some(arch),
                    variant,
                    reason: "Docker Hub's per-architecture namespace",
                });
            }
        }
        if matches!(
            repo.as_str(),
            "microsoft/windowsservercore" | "microsoft/nanoserver"
        ) {
            return Some(windows("a Windows-only image"));
        }
    }
    if image.registry == "mcr.microsoft.com" {
        let windows_repo = repo == "windows"
            || repo.starts_with("windows/")
            || repo.starts_with("dotnet/framework/")
            || repo == "powershell" && tag_names_windows(image);
        if windows_repo {
            return Some(windows("a Windows-only image"));
        }
    }
    if tag_names_windows(image) {
        return Some(windows("its tag names a Windows base"));
    }
    None
}

fn windows(reason: &'static str) -> Pinned {
    Pinned {
        os: "windows",
        arch: None,
        variant: "",
        reason,
    }
}

/// Tags such as `8.0-nanoserver-ltsc2022` or `ltsc2019-windowsservercore`.
fn tag_names_windows(image: &crate::instructions::ImageRef) -> bool {
    image.tag.as_deref().is_some_and(|t| {
        let t = t.to_ascii_lowercase();
        t.contains("nanoserver") || t.contains("windowsservercore") || t.contains("servercore")
    })
}

/// Whether `stage` builds for Windows: its `--platform` (or that of the stage it is built
/// on) says so, or its base image is Windows-only.
pub(crate) fn is_windows_stage(model: &Model, stage: usize) -> bool {
    let chain = stage_chain(model, stage);
    for &s in &chain {
        if let Some(platform) = model.stages.get(s).and_then(|st| st.platform.as_deref()) {
            return parse_platform(platform).is_some_and(|p| p.os == "windows");
        }
    }
    let root = chain.last().and_then(|&s| model.stages.get(s));
    match root.map(|st| &st.base) {
        Some(Base::Image(image)) => pinned_platform(image).is_some_and(|p| p.os == "windows"),
        _ => false,
    }
}

/// Whether `reference` parses with distribution's `reference.ParseNormalizedNamed`
/// (what BuildKit needs to pull a base image).
pub(crate) fn is_valid_reference(reference: &str) -> bool {
    if reference.is_empty() || reference.len() > 4096 {
        return false;
    }
    // A 64-hex string is an image id, which cannot be used as a name.
    if reference.len() == 64 && reference.chars().all(|c| c.is_ascii_hexdigit()) {
        return false;
    }
    let (rest, digest) = match reference.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (reference, None),
    };
    if let Some(digest) = digest {
        if !valid_digest(digest) {
            return false;
        }
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(tag) = tag {
        if !valid_tag(tag) {
            return false;
        }
    }
    valid_name(name)
}

fn valid_tag(tag: &str) -> bool {
    let mut chars = tag.chars();
    tag.len() <= 128
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

fn valid_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let algorithm_ok = !algorithm.is_empty()
        && algorithm.split(|c| "+._-".contains(c)).all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    algorithm_ok && hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// `[domain/]path` where the path components are lowercase alphanumerics joined by `.`,
/// `_`, `__` or dashes; the domain is the first component when it looks like a host.
fn valid_name(name: &str) -> bool {
    if name.is_empty() || name.len() > 255 {
        return false;
    }
    let (domain, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains('.')
                || first.contains(':')
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            (Some(first), rest)
        }
        _ => (None, name),
    };
    if let Some(domain) = domain {
        if !valid_domain(domain) {
            return false;
        }
    }
    !path.is_empty() && path.split('/').all(valid_path_component)
}

fn valid_domain(domain: &str) -> bool {
    let (host, port) = match domain.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || domain.starts_with('[') => (h, Some(p)),
        _ => (domain, None),
    };
    if let Some(port) = port {
        if port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    if host.starts_with('[') {
        return host.ends_with(']') && host.len() > 2;
    }
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

fn valid_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        // A separator: `.`, `_`, `__` or one or more `-`, always between alphanumerics.
        let start = i;
        match bytes[i] {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if bytes.get(i) == Some(&b'_') {
                    i += 1;
                }
            }
            b'-' => {
                while bytes.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
            _ => return false,
        }
        if i == start || !bytes.get(i).is_some_and(|b| alnum(*b)) {
            return false;
        }
    }
    true
}

/// Lints `text` with every rule (off-by-default ones kept) and returns the findings of
/// `code` as `(1-based line, message)`.
#[cfg(test)]
pub(crate) fn findings(text: &str, code: &str) -> Vec<(usize, String)> {
    findings_with(text, code, None)
}

/// As [`findings`], with a `.dockerignore`.
#[cfg(test)]
pub(crate) fn findings_with(
    text: &str,
    code: &str,
    dockerignore: Option<&str>,
) -> Vec<(usize, String)> {
    use crate::rules::{lint, Config, LintOptions};
    let model = Model::parse(text);
    let ignore = dockerignore.map(crate::dockerignore::Dockerignore::parse);
    let options = LintOptions {
        keep_off_by_default: true,
    };
    lint(&model, &Config::default(), ignore.as_ref(), &options)
        .into_iter()
        .filter(|f| f.code == code)
        .map(|f| {
            let line = text[..f.span.start.min(text.len())].matches('\n').count() + 1;
            (line, f.message)
        })
        .collect()
}

/// Lines of the findings of `code` on `text`.
#[cfg(test)]
pub(crate) fn lines(text: &str, code: &str) -> Vec<usize> {
    findings(text, code).into_iter().map(|(l, _)| l).collect()
}

/// The severities of the findings of `code` on `text`.
#[cfg(test)]
pub(crate) fn severities(text: &str, code: &str) -> Vec<crate::rules::Severity> {
    use crate::rules::{lint, Config, LintOptions};
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
    .map(|f| f.severity)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{lint, Config, LintOptions, Severity};

    /// Severities of `code` on `text` (with the rule's example `.dockerignore`).
    fn run(rule: &crate::rules::Rule, text: &str) -> Vec<Severity> {
        let model = Model::parse(text);
        let ignore = rule
            .docs
            .example_dockerignore
            .map(crate::dockerignore::Dockerignore::parse);
        lint(
            &model,
            &Config::default(),
            ignore.as_ref(),
            &LintOptions {
                keep_off_by_default: true,
            },
        )
        .into_iter()
        .filter(|f| f.code == rule.code)
        .map(|f| f.severity)
        .collect()
    }

    /// Every check honours `# check=skip=<Name>`, `skip=all` and `error=true` (the
    /// experimental one only fires when enabled, and `skip` does not apply to it).
    #[test]
    fn check_directive_applies_to_every_check() {
        for rule in super::super::RULES {
            let bad = rule.docs.bad;
            // The directive must be the first line; drop one the example already has.
            let body = bad
                .strip_prefix("# check=experimental=InvalidDefinitionDescription\n")
                .unwrap_or(bad);
            let experimental = super::super::EXPERIMENTAL.contains(&rule.code);
            let enable = if experimental {
                format!(";experimental={}", rule.code)
            } else {
                String::new()
            };
            let plain = format!("# check=error=false{enable}\n{body}");
            assert!(!run(rule, &plain).is_empty(), "{}: bad example", rule.code);
            assert!(
                run(rule, &plain).iter().all(|s| *s == Severity::Warning),
                "{}: default severity",
                rule.code
            );
            let error = format!("# check=error=true{enable}\n{body}");
            let severities = run(rule, &error);
            assert!(
                !severities.is_empty() && severities.iter().all(|s| *s == Severity::Error),
                "{}: error=true",
                rule.code
            );
            for skip in [format!("skip={}", rule.code), "skip=all".to_string()] {
                let text = format!("# check={skip}{enable}\n{body}");
                assert_eq!(
                    run(rule, &text).is_empty(),
                    !experimental,
                    "{}: {skip}",
                    rule.code
                );
            }
            if experimental {
                assert!(run(rule, body).is_empty(), "{}: off by default", rule.code);
            }
        }
    }

    #[test]
    fn suggestions_follow_buildkit() {
        assert_eq!(suggest("PAHT", ["PATH", "HOME"]), Some("PATH"));
        assert_eq!(
            suggest("DIR_ASSET", ["DIR_BINARIES", "DIR_ASSETS"]),
            Some("DIR_ASSETS")
        );
        assert_eq!(suggest("version", ["tag"]), None);
        assert_eq!(suggest("PATH", ["PATH", "PAT"]), None);
    }

    #[test]
    fn platforms_parse_like_containerd() {
        let p = parse_platform("linux/amd64").unwrap();
        assert_eq!((p.os.as_str(), p.arch.as_str()), ("linux", "amd64"));
        let p = parse_platform("linux/arm/v7").unwrap();
        assert_eq!(p.format(), "linux/arm/v7");
        assert_eq!(parse_platform("linux/arm").unwrap().variant, "v7");
        assert_eq!(parse_platform("arm64").unwrap().format(), "linux/arm64");
        assert_eq!(parse_platform("windows").unwrap().format(), "windows/amd64");
        assert_eq!(
            parse_platform("linux/aarch64").unwrap().format(),
            "linux/arm64"
        );
        assert!(parse_platform("linux/").is_none());
        assert!(parse_platform("bogus").is_none());
        assert!(parse_platform("a/b/c/d").is_none());
    }

    #[test]
    fn references_validate_like_distribution() {
        for ok in [
            "busybox",
            "busybox:latest",
            "docker.io/library/busybox:1.36",
            "localhost:5000/team/app:1",
            "gcr.io/distroless/static-debian12:nonroot",
            "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "my_org/my__app",
            "a-b--c/x",
            "scratch",
        ] {
            assert!(is_valid_reference(ok), "{ok}");
        }
        for bad in [
            "",
            "busybox:",
            "Busybox",
            "busybox:stable:x",
            "-bad",
            "a//b",
            "a/",
            ":tag",
            "alpine@sha256:short",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(!is_valid_reference(bad), "{bad}");
        }
    }
}
