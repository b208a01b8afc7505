use super::*;
use crate::syntax::parse;

/// Typed view and error of every instruction of `text`.
fn typed_all(text: &str) -> Vec<(Typed, Option<String>)> {
    parse(text)
        .instructions
        .iter()
        .map(|i| {
            let (t, e) = typed(i);
            (t, e.map(|e| e.message))
        })
        .collect()
}

fn error_of(line: &str) -> String {
    let text = format!("FROM a\n{line}\n");
    typed_all(&text)
        .pop()
        .and_then(|(_, e)| e)
        .unwrap_or_else(|| panic!("no error for {line:?}"))
}

#[test]
fn from_with_platform_and_stage_name() {
    let all = typed_all("FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\n");
    let Typed::From(from) = &all[0].0 else {
        panic!()
    };
    assert_eq!(from.image.value, "golang:1.22");
    assert_eq!(from.name.as_deref(), Some("build"));
    assert_eq!(from.platform.as_ref().unwrap().value, "$BUILDPLATFORM");
}

#[test]
fn run_with_mounts_network_and_exec_form() {
    let all = typed_all(
        "FROM a\nRUN --mount=type=cache,target=/root/.npm --network=none [\"npm\", \"ci\"]\n",
    );
    let Typed::Run(run) = &all[1].0 else { panic!() };
    assert_eq!(run.mounts[0].kind, MountType::Cache);
    assert_eq!(run.network.as_ref().unwrap().value, "none");
    assert!(matches!(&run.command, CommandLine::Exec(v) if v.len() == 2));
}

#[test]
fn copy_flags_sources_and_heredocs() {
    let text = "FROM a\nCOPY --from=build --chown=app:app --link --exclude=*.md <<EOF a b /dest/\nhi\nEOF\n";
    let all = typed_all(text);
    let Typed::Copy(copy) = &all[1].0 else {
        panic!("{:?}", all[1])
    };
    assert_eq!(copy.from.as_ref().unwrap().value, "build");
    assert_eq!(copy.chown.as_ref().unwrap().value, "app:app");
    assert!(copy.link && !copy.parents);
    assert_eq!(copy.exclude.len(), 1);
    assert_eq!(copy.dest.value, "/dest/");
    assert!(matches!(copy.sources[0], Source::Heredoc { index: 0, .. }));
    assert!(matches!(&copy.sources[1], Source::Path(t) if t.value == "a"));
}

#[test]
fn add_flags() {
    let all =
        typed_all("FROM a\nADD --checksum=sha256:abc --keep-git-dir=true https://x/y.tgz /y\n");
    let Typed::Add(add) = &all[1].0 else { panic!() };
    assert_eq!(add.checksum.as_ref().unwrap().value, "sha256:abc");
    assert!(add.keep_git_dir);
}

#[test]
fn healthcheck_forms() {
    let all = typed_all("FROM a\nHEALTHCHECK --interval=30s --retries=3 CMD curl -f http://x || exit 1\nHEALTHCHECK NONE\n");
    assert!(matches!(
        &all[1].0,
        Typed::Healthcheck(Healthcheck::Cmd(c)) if c.interval.is_some()
    ));
    assert!(matches!(&all[2].0, Typed::Healthcheck(Healthcheck::None)));
}

#[test]
fn env_arg_and_onbuild() {
    let all = typed_all("ARG A B=2 C=\nFROM a\nENV X=1 Y=\"2 3\"\nONBUILD RUN echo hi\n");
    let Typed::Arg(args) = &all[0].0 else {
        panic!()
    };
    let names: Vec<_> = args
        .iter()
        .map(|a| (a.name.as_str(), a.default.as_deref()))
        .collect();
    assert_eq!(names, [("A", None), ("B", Some("2")), ("C", Some(""))]);
    let Typed::Env(env) = &all[2].0 else { panic!() };
    assert_eq!(env[1].value.value, "\"2 3\"");
    assert!(matches!(&all[3].0, Typed::Onbuild(inner) if matches!(**inner, Typed::Run(_))));
}

#[test]
fn instruction_layer_errors_match_buildkit() {
    let cases = [
        ("FOO bar", "unknown instruction: FOO"),
        ("RUNN x", "unknown instruction: RUNN (did you mean run?)"),
        ("COPY a", "COPY requires at least two arguments, but only one was provided. Destination could not be determined"),
        ("COPY --foo=1 a b", "unknown flag: --foo"),
        ("COPY --form=x a b", "unknown flag: --form (did you mean --from?)"),
        ("COPY --from a b", "missing a value on flag: --from"),
        ("COPY --link=maybe a b", "expecting boolean value for flag --link, not: maybe"),
        ("COPY --from=a --from=b a b", "duplicate flag specified: --from"),
        ("COPY a <<EOF\nEOF", "COPY cannot accept a heredoc as a destination"),
        ("CMD --help", "unknown flag: --help"),
        ("USER", "USER requires exactly one argument"),
        ("WORKDIR", "WORKDIR requires exactly one argument"),
        ("EXPOSE", "EXPOSE requires at least one argument"),
        ("SHELL /bin/sh -c", "SHELL requires the arguments to be in JSON form"),
        ("SHELL []", "SHELL requires at least one argument"),
        ("ONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
        ("ONBUILD FROM x", "FROM isn't allowed as an ONBUILD trigger"),
        ("ONBUILD", "ONBUILD requires at least one argument"),
        ("HEALTHCHECK CONNECT x", "Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)"),
        ("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments"),
        ("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD"),
        ("HEALTHCHECK --interval=1us CMD x", "Interval \"interval\" cannot be less than 1ms"),
        ("HEALTHCHECK --retries=-1 CMD x", "--retries cannot be negative (-1)"),
        ("HEALTHCHECK --timeout=5 CMD x", "time: missing unit in duration \"5\""),
        ("FROM a b", "FROM requires either one or three arguments"),
        ("FROM a AS 1x", "invalid name for build stage: \"1x\", name can't start with a number or contain symbols"),
        ("RUN --network=bogus x", "unsupported network mode \"bogus\""),
        ("RUN --mount=type=bogus x", "unsupported mount type \"bogus\""),
        ("ARG =x", "ARG names can not be blank"),
        ("ENV =x", "ENV names can not be blank"),
        ("MAINTAINER", "MAINTAINER requires exactly one argument"),
    ];
    for (line, expected) in cases {
        assert_eq!(error_of(line), expected, "{line}");
    }
}

#[test]
fn flags_are_ignored_where_buildkit_ignores_them() {
    for line in [
        "ARG --x=1 a",
        "STOPSIGNAL SIGTERM",
        "HEALTHCHECK --bogus NONE",
    ] {
        let text = format!("FROM a\n{line}\n");
        let all = typed_all(&text);
        assert_eq!(all[1].1, None, "{line}");
    }
}
