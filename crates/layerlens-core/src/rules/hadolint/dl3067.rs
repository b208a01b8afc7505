//! DL3067: `COPY --from=<stage> / /`, copying a whole filesystem.

use super::g3_util::unquote;
use crate::instructions::{Source, Typed};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3067",
    name: "copy-whole-filesystem",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Size, Category::Correctness],
    summary: "Copying `/` of another stage onto `/` drags its whole OS into this image.",
    docs: Docs::new(
        "Flags `COPY --from=… / /`: a source that is the root directory copied to the root \
         directory.",
        "Copying a stage's entire root filesystem brings along its package manager, caches, \
         shells and /etc files, undoing the point of a multi-stage build: the final image \
         grows by the full size of the build stage (often 300 MB–1 GB) and inherits its \
         vulnerabilities. Copy only the build output instead.",
        "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build / /\n",
        "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\n",
        "Multi-Stage Builds",
    ),
    // No fix: which paths of the other stage are needed is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Typed::Copy(copy) = context.typed(i) else {
            continue;
        };
        let Some(from) = &copy.from else {
            continue;
        };
        if unquote(&copy.dest.value) != "/" {
            continue;
        }
        let root = copy.sources.iter().find_map(|s| match s {
            Source::Path(p) if unquote(&p.value) == "/" => Some(p),
            _ => None,
        });
        if let Some(source) = root {
            report.add(
                i,
                source.span.cover(copy.dest.span),
                format!(
                    "this copies the entire filesystem of `{}` into the image; copy only the \
                     files you need",
                    from.value
                ),
            );
        }
    }
}
