//! DL3020: ADD for local files and folders.

use super::g2_util::expand;
use crate::instructions::{Source, Typed};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3020",
    name: "copy-instead-of-add",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Maintainability, Category::Security],
    summary:
        "ADD of a plain local file does what COPY does, plus surprises; COPY says what it does.",
    docs: Docs::new(
        "Flags each ADD source that is neither a remote URL (`http(s)://`, a git address) nor a \
         compressed or tar archive (`.tar`, `.gz`, `.tgz`, `.bz2`, `.xz`, ...) that ADD \
         would unpack. Inline heredoc files count as local. Also checks ADD under ONBUILD.",
        "ADD does three jobs: copy, download and unpack. For a local file it behaves like COPY \
         until the file happens to be a tar archive, and then it silently extracts it instead \
         of copying it, so a renamed or regenerated file changes what lands in the image. \
         Reviewers cannot tell from the line which behaviour was meant. COPY only copies, and \
         keeps ADD for the cases that need it: fetching a URL (ideally with `--checksum`) or \
         unpacking an archive into a directory.",
        "FROM nginx:1.27-alpine\nADD nginx.conf /etc/nginx/nginx.conf\n",
        "FROM nginx:1.27-alpine\nCOPY nginx.conf /etc/nginx/nginx.conf\n",
        "Common Anti-Patterns",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

/// Extensions of files ADD unpacks (tar, optionally compressed).
const ARCHIVE_EXTENSIONS: [&str; 15] = [
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz",
];

/// Schemes and prefixes of sources ADD fetches instead of reading from the context.
const REMOTE_PREFIXES: [&str; 5] = ["http://", "https://", "git://", "git@", "ssh://"];

/// Whether ADD is the right instruction for `source`.
fn needs_add(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    REMOTE_PREFIXES.iter().any(|p| lower.starts_with(p))
        || ARCHIVE_EXTENSIONS.iter().any(|e| source.ends_with(e))
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Typed::Add(add) = context.typed_effective(i).0 else {
            continue;
        };
        for source in &add.sources {
            let (text, shown) = match source {
                Source::Path(text) => {
                    let raw = text.value.trim_matches('"');
                    if needs_add(raw) {
                        continue;
                    }
                    // A variable may hold a URL or an archive name.
                    let expanded = expand(context, i, &text.value).unwrap_or_default();
                    if needs_add(&expanded) {
                        continue;
                    }
                    (text, format!("`{}` is a local path", text.value))
                }
                Source::Heredoc { word, .. } => (word, format!("the inline file `{}`", word.value)),
            };
            report.add(
                i,
                text.span,
                format!(
                    "{shown}: use COPY, since ADD is only needed to fetch URLs or unpack archives"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3020";

    #[test]
    fn flags_local_sources_only() {
        let text = "FROM alpine:3.20\nADD a.tar.gz conf \"b.zip\" https://x.io/f git@github.com:o/r.git /d/\n";
        assert_eq!(spans(text, CODE), vec!["conf", "\"b.zip\""]);
    }

    #[test]
    fn expands_variables() {
        let text = "FROM alpine:3.20\nARG URL=https://example.com/tool\nARG LOCAL=tool.bin\nADD $URL /a\nADD ${LOCAL} /b\n";
        assert_eq!(spans(text, CODE), vec!["${LOCAL}"]);
    }

    #[test]
    fn flags_heredoc_and_onbuild() {
        let text = "FROM alpine:3.20\nADD <<EOF /etc/motd\nhi\nEOF\nONBUILD ADD app /app\nADD [\"x.tgz\", \"y\", \"/z/\"]\n";
        assert_eq!(spans(text, CODE), vec!["<<EOF", "app", "\"y\""]);
    }
}
