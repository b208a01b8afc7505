//! LL1011: the final image never sets USER, so it runs as root.

use super::g5_fix_util::{after_instruction, block_start, is_single_command_run, Style};
use super::g5_util::{
    chain_instructions, final_chain, from_image_span, root_of, root_traits, Root,
};
use super::g5_util::{package_op, Pm};
use crate::fix::{Edit, Fix};
use crate::instructions::{ImageRef, Typed};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

/// Official images built on Debian or Ubuntu (unless the tag names another OS).
const DEBIAN_BASED: [&str; 32] = [
    "debian",
    "ubuntu",
    "python",
    "ruby",
    "golang",
    "php",
    "httpd",
    "nginx",
    "redis",
    "postgres",
    "mysql",
    "mariadb",
    "wordpress",
    "buildpack-deps",
    "openjdk",
    "eclipse-temurin",
    "rust",
    "perl",
    "erlang",
    "elixir",
    "haskell",
    "julia",
    "r-base",
    "gcc",
    "tomcat",
    "maven",
    "gradle",
    "mongo",
    "rabbitmq",
    "memcached",
    "pypy",
    "swift",
];

/// Official images built on a RHEL-like system with shadow-utils.
const RHEL_BASED: [&str; 6] = [
    "fedora",
    "centos",
    "rockylinux",
    "almalinux",
    "oraclelinux",
    "amazonlinux",
];

/// How the final stage can get a user.
enum UserPlan {
    /// Switch to an existing user id.
    Existing(String),
    /// Create `app` with this command, then switch.
    Create(&'static str),
}

/// What the base is (Debian, Alpine...) as far as creating users goes.
fn plan(context: &Context, image: Option<&ImageRef>, instructions: &[usize]) -> Option<UserPlan> {
    // A user the file already creates with a known UID (`useradd -u 999 app`); by number,
    // since orchestrators can only verify a numeric USER.
    for &i in instructions {
        let Some(run) = context.run(i) else { continue };
        for (cmd, _) in run.commands() {
            if (cmd.is("useradd") || cmd.is("adduser")) && !cmd.via_shell_c {
                let uid = cmd
                    .flag_value("-u")
                    .or_else(|| cmd.flag_value("--uid"))
                    .filter(|u| !u.is_empty() && u.chars().all(|c| c.is_ascii_digit()))
                    .filter(|u| !u.trim_start_matches('0').is_empty());
                return uid.map(|u| UserPlan::Existing(u.to_string()));
            }
        }
    }
    let mut managers = instructions
        .iter()
        .filter_map(|&i| context.run(i))
        .flat_map(|r| {
            r.commands()
                .filter_map(|(c, _)| package_op(c).map(|op| op.manager))
                .collect::<Vec<_>>()
        });
    let seen = managers.next();
    let Some(image) = image else {
        return Some(UserPlan::Existing("65534:65534".to_string()));
    };
    let tag = image.tag.as_deref().unwrap_or("latest");
    if image.registry == "gcr.io" && image.repository.starts_with("distroless/") {
        return Some(UserPlan::Existing("65532:65532".to_string()));
    }
    let official = image.is_official();
    if tag.contains("windows") || tag.contains("nanoserver") {
        return None;
    }
    if official && image.name == "node" {
        // The node images' own `node` user.
        return Some(UserPlan::Existing("1000".to_string()));
    }
    let alpine = (official
        && (image.name == "alpine" || image.name == "busybox" || tag.contains("alpine")))
        || seen == Some(Pm::Apk);
    let useradd = "useradd --no-log-init --create-home --uid 10001 app";
    if alpine {
        return Some(UserPlan::Create("adduser -D -u 10001 app"));
    }
    if (official && DEBIAN_BASED.contains(&image.name.as_str())) || seen == Some(Pm::Apt) {
        return Some(UserPlan::Create(useradd));
    }
    if (official && RHEL_BASED.contains(&image.name.as_str()))
        || (seen == Some(Pm::Rpm)
            && !instructions.iter().any(|&i| {
                context
                    .run(i)
                    .is_some_and(|r| r.commands_named("microdnf").next().is_some())
            }))
    {
        return Some(UserPlan::Create(useradd));
    }
    None
}

/// The edits that add the user to the final stage.
fn user_fix(context: &Context, target: usize, plan: UserPlan) -> Option<Fix> {
    let model = context.model;
    let style = Style::of(model);
    let nl = style.newline;
    let stage = &model.stages[target];
    // After the last instruction that builds files (RUN, COPY, ADD), or after FROM.
    let last_build = stage
        .instructions
        .iter()
        .rev()
        .find(|&&i| {
            matches!(
                context.typed(i),
                Typed::Run(_) | Typed::Copy(_) | Typed::Add(_)
            )
        })
        .copied()
        .unwrap_or(stage.from);
    let (at, prefix) = after_instruction(model, last_build, &style);
    let user = style.keyword("USER");
    match plan {
        UserPlan::Existing(name) => Some(Fix::unsafe_(
            format!("Run as user `{name}`"),
            vec![Edit::insert(at, format!("{prefix}{user} {name}{nl}"))],
        )),
        UserPlan::Create(command) => {
            let run = format!("{} {command}{nl}", style.keyword("RUN"));
            // Beside a one-command RUN the new RUN would invite merging: go earlier, to a
            // place between two instructions that are not such RUNs.
            let mut slots: Vec<usize> = vec![usize::MAX];
            slots.extend(
                stage
                    .instructions
                    .iter()
                    .rev()
                    .copied()
                    .filter(|&k| k <= last_build),
            );
            for slot in slots {
                let (prev, next) = if slot == usize::MAX {
                    (last_build, None)
                } else {
                    (slot.checked_sub(1)?, Some(slot))
                };
                if prev < stage.from {
                    break;
                }
                let clash = is_single_command_run(model, prev)
                    || next.is_some_and(|n| is_single_command_run(model, n));
                if clash {
                    continue;
                }
                let user_line = Edit::insert(at, format!("{prefix}{user} 10001{nl}"));
                return Some(Fix::unsafe_(
                    "Create a user `app` (UID 10001) and run as it",
                    match next {
                        None => vec![Edit::insert(at, format!("{prefix}{run}{user} 10001{nl}"))],
                        Some(n) => vec![Edit::insert(block_start(model, n), run), user_line],
                    },
                ));
            }
            None
        }
    }
}

pub static RULE: Rule = Rule {
    code: "LL1011",
    name: "set-non-root-user",
    origin: Origin::Layerlens,
    severity: Severity::Warning,
    categories: &[Category::Security],
    summary: "Without USER the container runs as root: a breach gets root inside the container.",
    docs: Docs::new(
        "Flags a final image (with the stages it is built FROM) that never sets USER, unless \
         its base is known to run as a non-root user (distroless `:nonroot`, Chainguard) or it \
         drops privileges at start-up with gosu, su-exec or setpriv. An explicit `USER root` \
         is hadolint's DL3002.",
        "Most base images run as root (UID 0). An attacker who exploits the application then \
         holds root in the container: they can read every file, install tools, and the \
         container-escape bugs found every year start from there. A non-root USER costs one \
         RUN (useradd) and a `--chown` on COPY, and orchestrators can then enforce \
         `runAsNonRoot`.",
        "FROM python:3.13-slim\nCOPY . /app\nCMD [\"python\", \"/app/app.py\"]\n",
        "FROM python:3.13-slim\nRUN useradd --create-home --uid 1000 --shell /bin/bash appuser\nCOPY --chown=appuser:appuser . /app\nUSER appuser\nCMD [\"python\", \"/app/app.py\"]\n",
        "Security Best Practices",
    )
    .with_fix_note(
        "Switches the final stage to a non-root user, by number so orchestrators can verify \
         it, after its last RUN, COPY or ADD: to a user the Dockerfile already creates with \
         a UID, to 1000 (`node`) in the official node images, to 65534 (nobody) on scratch \
         and 65532 (nonroot) on distroless, or else creates `app` with UID 10001 using the \
         base's own tool (`useradd --no-log-init` on Debian, Ubuntu and RHEL-like bases, \
         busybox `adduser -D` on Alpine) and adds `USER 10001`. Unsafe: the program \
         then runs without root, so it can no longer write to root-owned paths (often its \
         own WORKDIR), bind ports below 1024 on older engines, or install anything at start.",
    ),
    fix: crate::rules::Fixability::Unsafe,
    check,
};

/// Programs that start as root and switch to another user.
const PRIVILEGE_DROPPERS: [&str; 7] = [
    "gosu",
    "su-exec",
    "setpriv",
    "runuser",
    "chpst",
    "s6-setuidgid",
    "setuidgid",
];

fn check(context: &Context, report: &mut Report) {
    let chain = final_chain(context);
    let Some(&target) = chain.first() else { return };
    let instructions = chain_instructions(context.model, &chain);
    let mut drops = false;
    for &i in &instructions {
        match context.typed_effective(i) {
            (Typed::User(_), false) => return,
            (Typed::Run(_), _) | (Typed::Cmd(_), _) | (Typed::Entrypoint(_), _) => {
                let text = context.instruction(i).original();
                drops |= PRIVILEGE_DROPPERS.iter().any(|p| text.contains(p));
            }
            _ => {}
        }
    }
    if drops {
        return;
    }
    if root_traits(context.model, target).is_some_and(|t| t.nonroot == Some(true)) {
        return;
    }
    let label = context.model.stages[target].label();
    let hint = match root_of(context.model, target) {
        Root::Scratch => "add `USER 65534:65534` (nobody) before CMD; scratch has no user database, a numeric id works",
        _ => "create a user (`RUN useradd --uid 10001 app`) and switch to it with `USER 10001`",
    };
    let image = match root_of(context.model, target) {
        Root::Image(image, _) => Some(image),
        Root::Scratch => None,
        Root::Unknown => return,
    };
    let fix = plan(context, image, &instructions).and_then(|p| user_fix(context, target, p));
    report
        .add(
            context.model.stages[target].from,
            from_image_span(context, target),
            format!(
                "the final stage `{label}` never sets USER, so the container runs as root: {hint}"
            ),
        )
        .fix = fix;
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn users() {
        let bad = "FROM python:3.13-slim\nCOPY . /app\nCMD [\"python\", \"app.py\"]\n";
        assert_eq!(spans("LL1011", bad), ["python:3.13-slim"]);
        let good = "FROM python:3.13-slim\nRUN useradd --create-home --uid 1000 --shell /bin/bash appuser\nCOPY --chown=appuser:appuser . /app\nUSER appuser\nCMD [\"python\", \"app.py\"]\n";
        assert!(findings("LL1011", good).is_empty());
        // USER root is DL3002's.
        assert!(findings("LL1011", "FROM debian:12\nUSER root\n").is_empty());
        // Inherited through a stage alias.
        assert!(findings("LL1011", "FROM debian:12 AS base\nUSER app\nFROM base\n").is_empty());
        // A builder's USER does not count.
        assert_eq!(
            findings("LL1011", "FROM debian:12 AS b\nUSER app\nFROM debian:12\n").len(),
            1
        );
        assert!(findings(
            "LL1011",
            "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n"
        )
        .is_empty());
        assert!(findings(
            "LL1011",
            "FROM debian:12\nRUN apt-get install -y gosu\nENTRYPOINT [\"docker-entrypoint.sh\"]\n"
        )
        .is_empty());
    }

    #[test]
    fn fixes() {
        assert_eq!(
            fixed(
                "LL1011",
                "FROM python:3.13-slim\nCOPY . /app\n# start\nCMD [\"python\", \"app.py\"]\n"
            ),
            "FROM python:3.13-slim\nCOPY . /app\nRUN useradd --no-log-init --create-home --uid 10001 app\nUSER 10001\n# start\nCMD [\"python\", \"app.py\"]\n"
        );
        // Lower-case keywords, CRLF, an Alpine base.
        assert_eq!(
            fixed("LL1011", "from alpine:3.20\r\nrun apk add --no-cache curl\r\ncopy app /app\r\ncmd [\"/app\"]\r\n"),
            "from alpine:3.20\r\nrun apk add --no-cache curl\r\ncopy app /app\r\nrun adduser -D -u 10001 app\r\nuser 10001\r\ncmd [\"/app\"]\r\n"
        );
        // After a one-command RUN, the new RUN goes where it has no RUN beside it.
        assert_eq!(
            fixed(
                "LL1011",
                "FROM debian:12\nCOPY a /a\n# build\nRUN make \\\n    all\nCMD [\"/a\"]"
            ),
            "FROM debian:12\nRUN useradd --no-log-init --create-home --uid 10001 app\nCOPY a /a\n# build\nRUN make \\\n    all\nUSER 10001\nCMD [\"/a\"]"
        );
        // A user the file creates; node's own user; scratch; distroless.
        assert_eq!(
            fixed(
                "LL1011",
                "FROM debian:12\nRUN groupadd -r web && useradd -r -g web -u 999 web\nCOPY . /srv\n"
            ),
            "FROM debian:12\nRUN groupadd -r web && useradd -r -g web -u 999 web\nCOPY . /srv\nUSER 999\n"
        );
        assert_eq!(
            fixed(
                "LL1011",
                "FROM node:22-alpine\nCOPY . .\nCMD [\"node\", \"s.js\"]\n"
            ),
            "FROM node:22-alpine\nCOPY . .\nUSER 1000\nCMD [\"node\", \"s.js\"]\n"
        );
        assert_eq!(
            fixed("LL1011", "FROM golang:1.23 AS b\nRUN go build -o /x\nFROM scratch\nCOPY --from=b /x /x\nCMD [\"/x\"]\n"),
            "FROM golang:1.23 AS b\nRUN go build -o /x\nFROM scratch\nCOPY --from=b /x /x\nUSER 65534:65534\nCMD [\"/x\"]\n"
        );
        assert_eq!(
            fixed(
                "LL1011",
                "FROM gcr.io/distroless/static-debian12\nCOPY x /x\n"
            ),
            "FROM gcr.io/distroless/static-debian12\nCOPY x /x\nUSER 65532:65532\n"
        );
        assert_eq!(
            fixed("LL1011", "FROM fedora:40\nRUN dnf install -y x && dnf clean all\n"),
            "FROM fedora:40\nRUN dnf install -y x && dnf clean all\nRUN useradd --no-log-init --create-home --uid 10001 app\nUSER 10001\n"
        );
        // Unknown bases get no fix.
        for text in [
            "FROM myorg/base:1\nCOPY . /app\n",
            "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y x\n",
        ] {
            let f = findings("LL1011", text);
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].fix.is_none(), "{text}");
        }
    }

    #[test]
    fn guide_real_world_examples() {
        assert!(findings("LL1011", FASTAPI).is_empty());
        assert!(findings("LL1011", NEXTJS).is_empty());
        // Kept: the Go example's scratch image runs as UID 0.
        let f = findings("LL1011", GO);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("65534"));
    }
}
