//! DL3060: `yarn install` leaving the yarn cache in a shipped layer.

use super::g3_util::{append_step, run_is_shipped, shipped_stages};
use crate::fix::Fix;
use crate::rules::cmd::has_cache_mount;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3060",
    name: "yarn-cache-clean",
    origin: Origin::Hadolint,
    severity: Severity::Info,
    categories: &[Category::Size],
    summary: "yarn keeps a copy of every package tarball in its cache; clean it in the same RUN.",
    docs: Docs::new(
        "Flags a RUN in a shipped stage (the target stage or a stage another stage is built \
         FROM; ONBUILD triggers always count) where `yarn install` (or a bare `yarn`) runs \
         and no later command of the RUN runs `yarn cache clean` or removes the yarn cache \
         directory. A cache or tmpfs mount on `.cache/yarn` makes the clean-up unnecessary.",
        "yarn v1 stores a copy of every package it downloads in its global cache \
         (/usr/local/share/.cache/yarn or ~/.cache/yarn). For a typical web app that is \
         100–500 MB, duplicated next to node_modules in the same layer. A later \
         `yarn cache clean` in another RUN cannot shrink the earlier layer; only cleaning in \
         the same RUN, or a cache mount, keeps it out of the image.",
        "FROM node:22-alpine\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n",
        "FROM node:22-alpine\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile && yarn cache clean\n",
        "Image Size Optimization",
    )
    .with_fix_note(
        "Chains `yarn cache clean` onto the end of the same RUN with `&&` (a new line in the \
         same style on a RUN written over several `&&`-joined lines). Unsafe: with yarn 1 it \
         only drops the download cache, but yarn 2+ in Plug'n'Play mode loads packages from \
         its cache at run time, so cleaning it there breaks the app; check which yarn the \
         project uses before applying.",
    ),
    fix: crate::rules::Fixability::Unsafe,
    check,
};

fn installs(command: &Command) -> bool {
    if !command.is("yarn") {
        return false;
    }
    let operands = command.positional_args();
    if operands.iter().any(|w| w.value == "install") {
        return true;
    }
    // A bare `yarn` installs too, unless it only asks for its version or help.
    let informational = ["--version", "-v", "-V", "--help", "-h"];
    operands.is_empty()
        && !command
            .args()
            .iter()
            .any(|w| informational.contains(&w.value.as_str()))
}

fn cleans(command: &Command) -> bool {
    if command.is("yarn") {
        let operands = command.positional_args();
        return operands.iter().any(|w| w.value == "cache")
            && operands.iter().any(|w| w.value == "clean");
    }
    command.is("rm")
        && command
            .args()
            .iter()
            .any(|w| w.value.contains(".cache/yarn") || w.value.contains("/yarn-cache"))
}

fn check(context: &Context, report: &mut Report) {
    let shipped = shipped_stages(context);
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        if !run_is_shipped(context, i, &shipped)
            || has_cache_mount(context.mounts(i), ".cache/yarn")
        {
            continue;
        }
        let mut pending = None;
        for (command, part) in run.commands() {
            if installs(command) {
                pending = Some((command, part));
            } else if pending.is_some() && cleans(command) {
                pending = None;
            }
        }
        if let Some((command, part)) = pending {
            let fix = append_step(context.model, i, run, part, "yarn cache clean")
                .map(|edit| Fix::unsafe_("Add `yarn cache clean` to this RUN", vec![edit]));
            report.add(
                i,
                part.command_span(context.model, command),
                "`yarn install` leaves its package cache in this layer; add `&& yarn cache clean` \
                 in the same RUN (or use a cache mount on the yarn cache)",
            )
            .fix = fix;
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
            .filter(|f| f.code == "DL3060")
            .count()
    }

    #[test]
    fn bare_yarn_nesting_and_stages() {
        assert_eq!(count("FROM n\nRUN yarn\n"), 1);
        assert_eq!(count("FROM n\nRUN yarn build\n"), 0);
        assert_eq!(count("FROM n\nRUN yarn --version\n"), 0);
        assert_eq!(count("FROM n\nRUN yarn --frozen-lockfile\n"), 1);
        assert_eq!(count("FROM n\nRUN sh -c 'yarn install'\n"), 1);
        assert_eq!(
            count("FROM n\nRUN <<EOF\nyarn install\nyarn cache clean\nEOF\n"),
            0
        );
        assert_eq!(
            count("FROM n\nRUN yarn install && rm -rf /usr/local/share/.cache/yarn\n"),
            0
        );
        // A build stage only copied from is not shipped.
        assert_eq!(
            count("FROM n AS build\nRUN yarn install\nFROM n\nCOPY --from=build /a /a\n"),
            0
        );
    }

    #[test]
    fn fixes() {
        use super::super::g4_util::fixed;
        let f = |t: &str| fixed(t, "DL3060");
        assert_eq!(
            f("FROM n\nRUN yarn install --frozen-lockfile\n"),
            "FROM n\nRUN yarn install --frozen-lockfile && yarn cache clean\n"
        );
        assert_eq!(
            f("FROM n\nRUN yarn install --frozen-lockfile \\\n  && yarn build\n"),
            "FROM n\nRUN yarn install --frozen-lockfile \\\n  && yarn build \\\n  && yarn cache clean\n"
        );
        assert_eq!(
            f("# escape=`\nFROM n\nRUN yarn install && `\n    yarn build\n"),
            "# escape=`\nFROM n\nRUN yarn install && `\n    yarn build && `\n    yarn cache clean\n"
        );
    }
}
