//! DL3062: `go install`/`go get`/`go run` of a remote package without a pinned version.

use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3062",
    name: "go-pin-versions",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness, Category::Security],
    summary: "A Go package fetched without @version (or with @latest) changes from build to build.",
    docs: Docs::new(
        "Flags packages given to `go install` and `go get`, and the package of `go run`, that \
         have no `@version` or use `@latest`/`@none`. Local paths (`.`, `./cmd/x`, `/src/x`, \
         `./...`) and `.go` files are built from the context and are exempt.",
        "`go install example.com/tool@latest` resolves to whatever was tagged most recently, \
         so a rebuild can pull a new major release or a compromised version without any \
         change to the Dockerfile. A pinned `@v1.8.2` is verified against the checksum \
         database and gives the same binary every time.",
        "FROM golang:1.23\nRUN go install golang.org/x/tools/cmd/goimports@latest\n",
        "FROM golang:1.23\nRUN go install golang.org/x/tools/cmd/goimports@v0.24.0\n",
        "Security Best Practices",
    ),
    // No fix: which version to pin is the author's call (nothing in the file says it).
    fix: crate::rules::Fixability::None,
    check,
};

/// go build flags that take the next word as their value.
const VALUE_FLAGS: [&str; 20] = [
    "-C",
    "-p",
    "-o",
    "-asmflags",
    "-buildmode",
    "-compiler",
    "-gccgoflags",
    "-gcflags",
    "-installsuffix",
    "-ldflags",
    "-mod",
    "-modfile",
    "-overlay",
    "-pgo",
    "-pkgdir",
    "-tags",
    "-toolexec",
    "-exec",
    "-coverpkg",
    "-covermode",
];

/// Whether a package argument is pinned or needs no pin.
fn pinned(package: &str) -> bool {
    if package == "."
        || package.starts_with("./")
        || package.starts_with("../")
        || package.starts_with('/')
        || package.starts_with('.')
        || package.ends_with(".go")
    {
        return true;
    }
    match package.rsplit_once('@') {
        Some((_, version)) => !version.is_empty() && version != "latest" && version != "none",
        None => false,
    }
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("go") {
            let operands = command.positional_args_with(&VALUE_FLAGS);
            let Some(sub) = operands.first() else {
                continue;
            };
            let packages = match sub.value.as_str() {
                // `go run pkg args…`: only the package; the rest are its arguments.
                "run" => {
                    let after: Vec<_> = command
                        .args()
                        .iter()
                        .skip_while(|w| w.value != "run")
                        .skip(1)
                        .collect();
                    let mut skip = false;
                    let mut found = None;
                    for w in after {
                        if skip {
                            skip = false;
                            continue;
                        }
                        if w.value.starts_with('-') {
                            skip =
                                !w.value.contains('=') && VALUE_FLAGS.contains(&w.value.as_str());
                            continue;
                        }
                        found = Some(w);
                        break;
                    }
                    found.into_iter().collect::<Vec<_>>()
                }
                "install" | "get" => operands.get(1..).unwrap_or(&[]).to_vec(),
                _ => continue,
            };
            for package in packages {
                let name = package.value.as_str();
                if pinned(name) {
                    continue;
                }
                let base = name.rsplit_once('@').map_or(name, |(b, _)| b);
                report.add(
                    i,
                    part.span(context.model, &package.range),
                    format!(
                        "pin `{base}` to a release (`{base}@v1.2.3`) instead of {} so rebuilds \
                         fetch the same code",
                        if name.contains('@') {
                            "a moving version"
                        } else {
                            "whatever is newest"
                        }
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::rules::{lint, Config, LintOptions};

    fn count(text: &str) -> usize {
        let options = LintOptions {
            keep_off_by_default: true,
        };
        lint(&Model::parse(text), &Config::default(), None, &options)
            .iter()
            .filter(|f| f.code == "DL3062")
            .count()
    }

    #[test]
    fn flags_files_and_nesting() {
        assert_eq!(count("FROM g\nRUN go run main.go\n"), 0);
        assert_eq!(count("FROM g\nRUN go run -tags netgo ./cmd/x\n"), 0);
        assert_eq!(count("FROM g\nRUN go install -ldflags '-s -w' ./...\n"), 0);
        assert_eq!(count("FROM g\nRUN go build -o /x .\n"), 0);
        assert_eq!(count("FROM g\nRUN sh -c 'go install a.io/b'\n"), 1);
        assert_eq!(count("FROM g\nRUN go install a.io/b@${V}\n"), 0);
        assert_eq!(count("FROM g\nRUN go get a.io/b@none\n"), 1);
    }
}
