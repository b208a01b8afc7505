use super::*;

#[test]
fn stages_bases_and_names() {
    let m = Model::parse(
        "ARG PY=3.13\nFROM python:${PY}-slim AS Builder\nRUN x\nFROM builder AS test\nFROM scratch\nCOPY --from=builder /a /a\nCOPY --from=0 /b /b\nCOPY --from=nginx:1 /c /c\n",
    );
    assert_eq!(m.stages.len(), 3);
    assert_eq!(m.stages[0].name.as_deref(), Some("builder"));
    assert_eq!(m.stages[0].base_expanded, "python:3.13-slim");
    assert!(matches!(&m.stages[0].base, Base::Image(r) if r.tag.as_deref() == Some("3.13-slim")));
    assert_eq!(m.stages[1].base, Base::Stage(0));
    assert_eq!(m.stages[2].base, Base::Scratch);
    let copies: Vec<&StageRef> = m
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::CopyFrom)
        .map(|e| &e.from)
        .collect();
    assert_eq!(
        copies,
        [
            &StageRef::Stage(0),
            &StageRef::Stage(0),
            &StageRef::Image("nginx:1".into())
        ]
    );
    // The final stage needs the builder but not the test stage.
    assert_eq!(m.reachable(2), [true, false, true]);
    assert_eq!(m.target_stage(Some("TEST")), Some(1));
}

#[test]
fn arg_scoping_follows_buildkit() {
    let m = Model::parse(
        "ARG V=1\nARG W\nFROM a\nRUN echo\nARG V\nRUN echo\nARG V=2\nENV E=$V X=$E\nRUN echo\nFROM b\nRUN echo\n",
    );
    // Global ARGs are not visible in a stage until re-declared.
    assert_eq!(m.expand(3, "[$V]").unwrap(), "[]");
    assert_eq!(m.expand(5, "[$V]").unwrap(), "[1]");
    // All assignments of one ENV see the environment from before it.
    assert_eq!(m.expand(8, "$V $E [$X]").unwrap(), "2 2 []");
    // Nothing crosses into the next stage built on an image.
    assert_eq!(m.expand(10, "[$E]").unwrap(), "[]");
    assert_eq!(m.global_args.len(), 2);
}

#[test]
fn env_workdir_user_and_shell_are_tracked() {
    let m = Model::parse(
        "FROM a AS base\nWORKDIR /app\nWORKDIR src\nENV HOME=/home/x\nUSER app\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN x\nFROM base\nRUN y\nFROM other\nRUN z\n",
    );
    let run = 6;
    assert_eq!(m.contexts[run].workdir, "/app/src");
    assert_eq!(m.contexts[run].user.as_deref(), Some("app"));
    assert_eq!(m.contexts[run].shell, ["/bin/bash", "-o", "pipefail", "-c"]);
    // A stage built on a stage inherits its config and ENV.
    assert_eq!(m.contexts[8].workdir, "/app/src");
    assert_eq!(m.contexts[8].user.as_deref(), Some("app"));
    assert_eq!(m.expand(8, "$HOME").unwrap(), "/home/x");
    assert_eq!(m.contexts[10].shell, ["/bin/sh", "-c"]);
    assert_eq!(m.contexts[10].workdir, "/");
}

#[test]
fn platform_builtins_and_errors() {
    let m = Model::parse("FROM --platform=$BUILDPLATFORM golang AS b\nRUN x\nFROM ${NOPE}\n");
    assert_eq!(m.stages[0].platform.as_deref(), Some("linux/amd64"));
    assert_eq!(m.stages[1].base, Base::Unresolved);
    assert!(m
        .errors
        .iter()
        .any(|e| e.message == "base name (${NOPE}) should not be blank"));
    let m = Model::parse("RUN x\nFROM a\nENV A=${B:=c}\n");
    let messages: Vec<&str> = m.errors.iter().map(|e| e.message.as_str()).collect();
    assert!(messages.contains(&"no build stage in current context"));
    assert!(messages.iter().any(|m| m.contains("unsupported modifier")));
}

#[test]
fn mount_from_edges_and_join_path() {
    let m = Model::parse("FROM a AS deps\nFROM b\nRUN --mount=from=deps,target=/d x\n");
    assert!(m
        .edges
        .iter()
        .any(|e| e.kind == EdgeKind::MountFrom && e.from == StageRef::Stage(0)));
    assert_eq!(join_path("/a/b", "../c/./d"), "/a/c/d");
    assert_eq!(join_path("/a", "/x/"), "/x");
}
