//! `.dockerignore` patterns, matched as Docker's `patternmatcher` matches them.
//!
//! Each line is a pattern (`#` lines are comments); `!` re-includes; the last matching
//! pattern wins; a path is excluded when it or one of its parent directories is. Patterns
//! use Go's `filepath.Match` syntax plus `**` for any number of directories.

/// One pattern line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The cleaned pattern (no leading `/`, no `!`).
    pub text: String,
    /// `!pattern`: re-include what earlier patterns excluded.
    pub exclusion: bool,
    /// 1-based line in the file.
    pub line: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dockerignore {
    pub patterns: Vec<Pattern>,
}

impl Dockerignore {
    pub fn parse(text: &str) -> Dockerignore {
        let mut patterns = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (exclusion, body) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let cleaned = clean(body.trim_start_matches('/'));
            if cleaned.is_empty() || cleaned == "." {
                // `.` or `/` alone would exclude the whole context; Docker keeps it as "."
                patterns.push(Pattern {
                    text: ".".into(),
                    exclusion,
                    line: index + 1,
                });
                continue;
            }
            patterns.push(Pattern {
                text: cleaned,
                exclusion,
                line: index + 1,
            });
        }
        Dockerignore { patterns }
    }

    /// Whether any pattern re-includes files (`!pattern`).
    pub fn has_exclusions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// Whether `path` (relative to the context) is left out of the build context: the last
    /// pattern matching it or one of its parent directories decides.
    pub fn excludes(&self, path: &str) -> bool {
        let path = clean(path.trim_start_matches("./").trim_start_matches('/'));
        if path.is_empty() || path == "." {
            return false;
        }
        let mut excluded = false;
        for pattern in &self.patterns {
            if pattern.text == "." {
                continue;
            }
            if matches_or_parent(&pattern.text, &path) {
                excluded = !pattern.exclusion;
            }
        }
        excluded
    }

    /// The pattern that decides `path`, if any (for explanations).
    pub fn deciding_pattern(&self, path: &str) -> Option<&Pattern> {
        let path = clean(path.trim_start_matches("./").trim_start_matches('/'));
        self.patterns
            .iter()
            .rev()
            .find(|p| p.text != "." && matches_or_parent(&p.text, &path))
    }
}

/// `pattern` matches `path` or one of its parent directories.
fn matches_or_parent(pattern: &str, path: &str) -> bool {
    let mut candidate = path;
    loop {
        if glob_match(pattern, candidate) {
            return true;
        }
        match candidate.rfind('/') {
            Some(i) => candidate = &candidate[..i],
            None => return false,
        }
    }
}

/// Go's `filepath.Clean` for relative slash paths.
fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Matches a whole path against a pattern: `**` matches any number of path segments,
/// other segments use `filepath.Match` syntax (`*`, `?`, `[...]`, `\` escapes).
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let pattern_segments: Vec<&str> = pattern.split('/').collect();
    let path_segments: Vec<&str> = path.split('/').collect();
    match_segments(&pattern_segments, &path_segments)
}

fn match_segments(pattern: &[&str], path: &[&str]) -> bool {
    // Iterative matching with one backtrack point per `**`, linear in practice.
    let (mut p, mut s) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while s < path.len() {
        if p < pattern.len() && pattern[p] == "**" {
            star = Some((p, s));
            p += 1;
        } else if p < pattern.len() && segment_match(pattern[p], path[s]) {
            p += 1;
            s += 1;
        } else if let Some((sp, ss)) = star {
            p = sp + 1;
            s = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    while p < pattern.len() && pattern[p] == "**" {
        p += 1;
    }
    p == pattern.len()
}

/// `filepath.Match` on one segment (no `/` in either).
fn segment_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ni));
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, next)) = class_match(&p, pi, n[ni]) {
                        if matched {
                            pi = next;
                            ni += 1;
                            continue;
                        }
                    }
                }
                '\\' if pi + 1 < p.len() && p[pi + 1] == n[ni] => {
                    pi += 2;
                    ni += 1;
                    continue;
                }
                c if c == n[ni] => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, sn)) => {
                pi = sp + 1;
                ni = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// `[...]` at `p[start]` against `c`: `(matched, index after the class)`, or `None` if the
/// class is malformed.
fn class_match(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negated = matches!(p.get(i), Some('^') | Some('!'));
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((matched != negated, i + 1));
        }
        first = false;
        let mut lo = p[i];
        if lo == '\\' {
            i += 1;
            lo = *p.get(i)?;
        }
        let mut hi = lo;
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|&x| x != ']') {
            hi = p[i + 2];
            if hi == '\\' {
                hi = *p.get(i + 3)?;
                i += 1;
            }
            i += 2;
        }
        if lo <= c && c <= hi {
            matched = true;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_like_docker() {
        let ignore = Dockerignore::parse(
            "# comment\n.git\n**/__pycache__\n*.md\n!README.md\n/node_modules\n.env*\nsrc/**/*.test.js\n",
        );
        assert!(ignore.excludes(".git/config"));
        assert!(ignore.excludes("a/b/__pycache__/x.pyc"));
        assert!(ignore.excludes("CHANGES.md"));
        assert!(!ignore.excludes("README.md"));
        assert!(
            !ignore.excludes("docs/guide.md"),
            "*.md only matches at the top"
        );
        assert!(ignore.excludes("node_modules/left-pad/index.js"));
        assert!(ignore.excludes(".env.local"));
        assert!(ignore.excludes("src/a/b/c.test.js"));
        assert!(ignore.excludes("src/c.test.js"));
        assert!(!ignore.excludes("src/app.py"));
        assert!(ignore.has_exclusions());
        assert_eq!(
            ignore.deciding_pattern("README.md").map(|p| p.line),
            Some(5)
        );
    }

    #[test]
    fn glob_syntax() {
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("[a-c]x", "bx"));
        assert!(!glob_match("[^a-c]x", "bx"));
        assert!(glob_match("\\*", "*"));
        assert!(glob_match("**", "any/thing"));
        assert!(glob_match("**/x", "x"));
        assert!(!glob_match("*", "a/b"));
    }
}
