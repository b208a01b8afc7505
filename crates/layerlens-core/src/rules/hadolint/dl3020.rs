//! DL3020: ADD for local files and folders.

use super::g1_util::{expand_at, keyword_in_style, Expanded};
use super::g2_util::expand;
use crate::fix::{Edit, Fix};
use crate::instructions::{Add, Source, Typed};
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};

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
    )
    .with_fix_note(
        "Replaces the ADD keyword with COPY (in the file's casing), only when every source is \
         a local path whose name is known and is not a URL, an archive name or a wildcard, and \
         the instruction has no ADD-only option (`--checksum`, `--keep-git-dir`, `--unpack`). \
         Safe: for such sources ADD copies exactly like COPY. The one difference left is a tar \
         file whose name does not look like an archive, which ADD would unpack; keep ADD, with \
         a comment, if you rely on that.",
    ),
    fix: Fixability::Safe,
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

/// Options COPY accepts as well as ADD.
const SHARED_OPTIONS: [&str; 4] = ["chown", "chmod", "link", "exclude"];

/// Whether `source` is certainly a plain local path: its name is known (variables have
/// values), it is neither a URL nor an archive, and it has no wildcard that could match one.
fn is_plain_local(context: &Context, i: usize, source: &Source) -> bool {
    let Source::Path(text) = source else {
        return true;
    };
    let value = match expand_at(context.model, i, &text.value) {
        Expanded::Known(v) => v,
        Expanded::Unknown => return false,
    };
    !needs_add(&value)
        && !needs_add(text.value.trim_matches('"'))
        && !value.contains(['*', '?', '['])
}

/// The fix for ADD instruction `i`: COPY in its place, when that copies the same files.
fn copy_instead(context: &Context, i: usize, add: &Add) -> Option<Fix> {
    let command = context.instruction(i).effective_command();
    let options_shared = command
        .flags
        .iter()
        .all(|f| SHARED_OPTIONS.contains(&f.name()));
    if !options_shared || !add.sources.iter().all(|s| is_plain_local(context, i, s)) {
        return None;
    }
    let keyword = &command.keyword_text;
    Some(Fix::safe(
        "Use COPY instead of ADD",
        vec![Edit::replace(
            keyword.span,
            keyword_in_style(&keyword.value, "COPY"),
        )],
    ))
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Typed::Add(add) = context.typed_effective(i).0 else {
            continue;
        };
        let mut fix: Option<Option<Fix>> = None;
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
            let fix = fix
                .get_or_insert_with(|| copy_instead(context, i, add))
                .clone();
            report
                .add(
                    i,
                    text.span,
                    format!(
                        "{shown}: use COPY, since ADD is only needed to fetch URLs or unpack archives"
                    ),
                )
                .fix = fix;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{fix_count, fixed};
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

    #[test]
    fn fix_renames_the_keyword_in_the_files_casing() {
        assert_eq!(
            fixed(
                CODE,
                "FROM alpine:3.20\nADD --chown=app --chmod=644 conf /etc/conf\n"
            ),
            "FROM alpine:3.20\nCOPY --chown=app --chmod=644 conf /etc/conf\n"
        );
        assert_eq!(
            fixed(CODE, "from alpine:3.20\nadd a b /d/\nAdd [\"x\", \"/y\"]\n"),
            "from alpine:3.20\ncopy a b /d/\nCopy [\"x\", \"/y\"]\n"
        );
        assert_eq!(
            fixed(CODE, "FROM alpine:3.20\nONBUILD ADD app /app\n"),
            "FROM alpine:3.20\nONBUILD COPY app /app\n"
        );
        assert_eq!(
            fixed(CODE, "FROM alpine:3.20\nADD <<EOF /etc/motd\nhi\nEOF\n"),
            "FROM alpine:3.20\nCOPY <<EOF /etc/motd\nhi\nEOF\n"
        );
        assert_eq!(
            fixed(CODE, "# escape=`\nFROM alpine:3.20\nADD a `\n    /b\n"),
            "# escape=`\nFROM alpine:3.20\nCOPY a `\n    /b\n"
        );
    }

    #[test]
    fn no_fix_when_add_does_more_than_copy() {
        // An archive next to the local file would stop being unpacked.
        assert_eq!(
            fix_count(CODE, "FROM alpine:3.20\nADD a.tar.gz conf /d/\n"),
            0
        );
        // A wildcard may match an archive; a variable may hold a URL.
        assert_eq!(fix_count(CODE, "FROM alpine:3.20\nADD conf* /d/\n"), 0);
        assert_eq!(
            fix_count(CODE, "FROM alpine:3.20\nARG SRC\nADD $SRC /d/\n"),
            0
        );
        // ADD-only options.
        assert_eq!(
            fix_count(
                CODE,
                "FROM alpine:3.20\nADD --checksum=sha256:abc conf /d/\n"
            ),
            0
        );
        assert_eq!(
            fix_count(CODE, "FROM alpine:3.20\nARG SRC=conf\nADD $SRC /d/\n"),
            1
        );
    }
}
