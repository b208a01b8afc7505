//! DL3010: an archive is COPYed and then extracted by a RUN.

use std::collections::HashMap;

use super::g1_util::path_basename;
use crate::instructions::{Source, Typed};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::Command;
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "DL3010",
    name: "add-to-extract-archives",
    origin: Origin::Hadolint,
    severity: Severity::Info,
    categories: &[Category::Size],
    summary: "COPY then `tar -x` stores the archive in one layer and its contents in another.",
    docs: Docs::new(
        "Flags a COPY of a local archive (`.tar`, `.tar.gz`/`.tgz`, `.tar.bz2`, `.tar.xz`, \
         `.gz`, `.xz`...) that a later RUN of the same stage unpacks (`tar -x`, `tar xzf`, \
         `gunzip`, `unxz`, `zcat`...), matched by file name.",
        "The COPY layer keeps the compressed archive forever, even if the RUN deletes it \
         afterwards, and the RUN layer holds the extracted files: the image carries the same \
         content twice (a 40 MB tarball costs 40 MB on top of its contents). ADD unpacks a \
         local tar archive (gzip, bzip2 or xz) straight into the destination in a single layer, \
         without ever storing the archive.",
        "FROM debian:bookworm-slim\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n",
        "FROM debian:bookworm-slim\nADD app.tar.gz /opt/\n",
        "Image Size Optimization",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

const ARCHIVE_EXTENSIONS: [&str; 15] = [
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz",
];

/// Commands that decompress their file arguments.
const DECOMPRESSORS: [&str; 9] = [
    "unzip",
    "gunzip",
    "bunzip2",
    "unlzma",
    "unxz",
    "zgz",
    "uncompress",
    "zcat",
    "gzcat",
];

fn is_archive(name: &str) -> bool {
    ARCHIVE_EXTENSIONS.iter().any(|e| name.ends_with(e))
}

/// An archive a COPY put in the stage, waiting to be seen extracted.
struct Copied {
    instruction: usize,
    span: Span,
}

fn check(context: &Context, report: &mut Report) {
    // Archives of the current stage by file name (one lookup per command argument, so the
    // work stays linear in the file).
    let mut copied: HashMap<String, Vec<Copied>> = HashMap::new();
    let mut stage = None;
    for i in 0..context.len() {
        if context.stage_of(i) != stage {
            stage = context.stage_of(i);
            copied.clear();
        }
        match context.typed(i) {
            Typed::Copy(copy) if copy.from.is_none() => {
                let dest = path_basename(&copy.dest.value);
                if is_archive(dest) {
                    // Copied under another archive name: that is the name RUN will use.
                    if let Some(Source::Path(first)) = copy.sources.first() {
                        copied.entry(dest.to_string()).or_default().push(Copied {
                            instruction: i,
                            span: first.span,
                        });
                    }
                    continue;
                }
                for source in &copy.sources {
                    let Source::Path(path) = source else { continue };
                    let name = path_basename(&path.value);
                    if is_archive(name) {
                        copied.entry(name.to_string()).or_default().push(Copied {
                            instruction: i,
                            span: path.span,
                        });
                    }
                }
            }
            Typed::Run(_) if !copied.is_empty() => {
                let Some(run) = context.run(i) else { continue };
                for (command, _) in run.commands() {
                    let Some(tool) = extractor(command) else {
                        continue;
                    };
                    for word in command.args().iter().filter(|w| !w.value.starts_with('-')) {
                        let name = path_basename(&word.value);
                        // Reported once, however often it is unpacked.
                        for archive in copied.remove(name).unwrap_or_default() {
                            report.add(
                                archive.instruction,
                                archive.span,
                                format!(
                                    "`{name}` is unpacked by `{tool}` in a later RUN, so the image stores it twice: ADD it to the target directory instead (ADD unpacks tar archives)"
                                ),
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// `tar` in extract mode or a decompressor: its name.
fn extractor(c: &Command) -> Option<&str> {
    let name = c.basename()?;
    if DECOMPRESSORS.contains(&name) {
        return Some(name);
    }
    if name != "tar" {
        return None;
    }
    let args = c.args();
    let extracts = args.iter().enumerate().any(|(n, w)| {
        let v = w.value.as_str();
        v == "--extract"
            || v == "--get"
            || (v.starts_with('-') && !v.starts_with("--") && v.contains('x'))
            // Old-style bundled options: `tar xzf file.tgz`.
            || (n == 0 && !v.starts_with('-') && v.contains('x') && v.chars().all(|c| c.is_ascii_alphabetic()))
    });
    extracts.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, spans};

    #[test]
    fn copy_then_extract() {
        let text = "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\n";
        assert_eq!(spans("DL3010", text), ["app.tar.gz"]);
        let text = "FROM a:1\nCOPY app.tgz /tmp/\nRUN tar xzf /tmp/app.tgz\n";
        assert_eq!(count("DL3010", text), 1);
        let text =
            "FROM a:1\nCOPY app.tar.xz /tmp/\nRUN cd /opt && tar --extract -f /tmp/app.tar.xz\n";
        assert_eq!(count("DL3010", text), 1);
        let text = "FROM a:1\nCOPY data.gz /tmp/\nRUN gunzip /tmp/data.gz\n";
        assert_eq!(count("DL3010", text), 1);
        // `--exclude` has an x but is not extraction.
        let text = "FROM a:1\nCOPY a.tar /tmp/\nRUN tar -cf out.tar --exclude=a.tar a.tar\n";
        assert_eq!(count("DL3010", text), 0);
        // Extracting something else.
        let text = "FROM a:1\nCOPY app.tar /tmp/\nRUN tar -xf other.tar\n";
        assert_eq!(count("DL3010", text), 0);
        // Extraction before the copy.
        let text = "FROM a:1\nRUN tar -xf app.tar\nCOPY app.tar /tmp/\n";
        assert_eq!(count("DL3010", text), 0);
    }

    #[test]
    fn per_stage() {
        // hadolint can only report the last stage; every stage is checked here.
        let text = "FROM a:1\nCOPY app.tar /tmp/\nRUN tar -xf /tmp/app.tar\nFROM b:1\nRUN true\n";
        assert_eq!(count("DL3010", text), 1);
        // The archive of an earlier stage is not in this one.
        let text = "FROM a:1\nCOPY app.tar /tmp/\nFROM b:1\nRUN tar -xf /tmp/app.tar\n";
        assert_eq!(count("DL3010", text), 0);
        // Reported once however often it is unpacked.
        let text =
            "FROM a:1\nCOPY app.tar /tmp/\nRUN tar -xf /tmp/app.tar\nRUN tar -xf /tmp/app.tar\n";
        assert_eq!(count("DL3010", text), 1);
    }

    #[test]
    fn sees_heredocs_and_shell_c() {
        let text = "FROM a:1\nCOPY app.tar /tmp/\nRUN <<EOF\ntar -xf /tmp/app.tar\nEOF\n";
        assert_eq!(count("DL3010", text), 1);
        let text = "FROM a:1\nCOPY app.tar /tmp/\nRUN sh -c 'tar -xf /tmp/app.tar'\n";
        assert_eq!(count("DL3010", text), 1);
        let text = "FROM a:1\nCOPY --from=x app.tar /tmp/\nRUN tar -xf /tmp/app.tar\n";
        assert_eq!(count("DL3010", text), 0);
    }
}
