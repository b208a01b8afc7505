//! pip, npm, yarn, pnpm, poetry, uv, gem and bundler: one verdict per install command.

use super::*;

/// The managers of RUN `i` that work per command, in the order they appear.
pub(super) fn per_command(
    model: &Model,
    i: usize,
    run: &RunAnalysis,
) -> Vec<Result<Use, (&'static str, String)>> {
    let text = run.full_text();
    let mut out = Vec::new();
    for (cmd, _) in run.commands() {
        let found = pip(model, i, cmd, &text)
            .or_else(|| npm(model, i, cmd, &text))
            .or_else(|| yarn(model, i, cmd, &text))
            .or_else(|| pnpm(model, i, cmd, &text))
            .or_else(|| poetry(model, i, cmd, &text))
            .or_else(|| uv(model, i, cmd, &text))
            .or_else(|| ruby(model, i, cmd, &text));
        out.extend(found);
    }
    out
}

/// Why not, when the command itself or a later RUN runs `name` with one of `flags`.
pub(super) fn offline(
    model: &Model,
    i: usize,
    cmd: &Command,
    name: &str,
    flags: &[&str],
    target: &str,
) -> Option<String> {
    if let Some(f) = flags.iter().find(|f| cmd.has_long_flag(f)) {
        return Some(format!(
            "`{name} --{f}` reads only what the cache holds, and a cache mount may be empty"
        ));
    }
    later_reader(model, i, target, &format!("what {name} downloaded"), |k| {
        runs_with_flag(model, k, name, flags)
    })
}

pub(super) fn pip(model: &Model, i: usize, cmd: &Command, text: &str) -> Found {
    let name = cmd.basename()?;
    let pip = (name.starts_with("pip") && !name.starts_with("pipx") && !name.starts_with("pipenv"))
        || (name.starts_with("python")
            && cmd
                .args()
                .windows(2)
                .any(|w| w[0].value == "-m" && w[1].value == "pip"));
    if !pip || !cmd.args().iter().any(|w| w.value == "install") {
        return None;
    }
    if cmd.has_long_flag("no-cache-dir")
        || cmd.has_long_flag("cache-dir")
        || variable_set(model, i, "PIP_NO_CACHE_DIR", text)
        || variable_set(model, i, "PIP_CACHE_DIR", text)
        || home_moved(model, i, Some("XDG_CACHE_HOME"), text)
    {
        return None;
    }
    Some(Ok(Use::new("pip", vec![Cache::shared("/root/.cache/pip")])))
}

pub(super) fn npm(model: &Model, i: usize, cmd: &Command, text: &str) -> Found {
    let sub = cmd.positional_args().first().map(|w| w.value.clone());
    if !cmd.is("npm")
        || !matches!(
            sub.as_deref(),
            Some("ci" | "install" | "i" | "clean-install")
        )
    {
        return None;
    }
    if cmd.has_long_flag("cache")
        || variable_set(model, i, "npm_config_cache", text)
        || variable_set(model, i, "NPM_CONFIG_CACHE", text)
        || home_moved(model, i, None, text)
    {
        return None;
    }
    let target = "/root/.npm";
    if let Some(why) = offline(model, i, cmd, "npm", &["offline"], target) {
        return refused("npm", why);
    }
    Some(Ok(Use::new("npm", vec![Cache::shared(target)])))
}

pub(super) fn yarn(model: &Model, i: usize, cmd: &Command, text: &str) -> Found {
    let sub = cmd.positional_args().first().map(|w| w.value.clone());
    let install = cmd.is("yarn")
        && matches!(sub.as_deref(), None | Some("install"))
        && cmd
            .args()
            .iter()
            .all(|w| w.value.starts_with('-') || w.value == "install");
    if !install {
        return None;
    }
    if cmd.has_long_flag("cache-folder")
        || variable_set(model, i, "YARN_CACHE_FOLDER", text)
        || home_moved(model, i, Some("XDG_CACHE_HOME"), text)
    {
        return None;
    }
    let target = "/usr/local/share/.cache/yarn";
    if let Some(why) = offline(model, i, cmd, "yarn", &["offline"], target) {
        return refused("yarn", why);
    }
    Some(Ok(Use::new("yarn", vec![Cache::shared(target)])))
}

pub(super) fn pnpm(model: &Model, i: usize, cmd: &Command, text: &str) -> Found {
    let sub = cmd.positional_args().first().map(|w| w.value.clone());
    if !cmd.is("pnpm") || !matches!(sub.as_deref(), Some("install" | "i" | "add" | "fetch")) {
        return None;
    }
    if cmd.has_long_flag("store-dir")
        || variable_set(model, i, "npm_config_store_dir", text)
        || variable_set(model, i, "NPM_CONFIG_STORE_DIR", text)
        || assigns(text, "PNPM_HOME")
    {
        return None;
    }
    // The store is `<pnpm home>/store`: PNPM_HOME when set, else root's XDG data directory.
    let target = match model.scope(i).binding("PNPM_HOME") {
        Some(b) => {
            let home = b.value.as_deref()?.trim_end_matches('/');
            if !home.starts_with('/') || home.contains('$') {
                return None;
            }
            format!("{home}/store")
        }
        None if home_moved(model, i, Some("XDG_DATA_HOME"), text) => return None,
        None => "/root/.local/share/pnpm/store".to_string(),
    };
    if let Some(why) = offline(model, i, cmd, "pnpm", &["offline"], &target) {
        return refused("pnpm", why);
    }
    Some(Ok(Use::new("pnpm", vec![Cache::shared(&target)])))
}

pub(super) fn poetry(model: &Model, i: usize, cmd: &Command, text: &str) -> Found {
    let sub = cmd.positional_args().first().map(|w| w.value.clone());
    if !cmd.is("poetry")
        || !matches!(
            sub.as_deref(),
            Some("install" | "sync" | "add" | "update" | "lock")
        )
    {
        return None;
    }
    if cmd.has_long_flag("no-cache")
        || variable_set(model, i, "POETRY_CACHE_DIR", text)
        || home_moved(model, i, Some("XDG_CACHE_HOME"), text)
    {
        return None;
    }
    // Not the whole cache directory: the virtualenvs live in it by default.
    Some(Ok(Use::new(
        "poetry",
        vec![
            Cache::shared("/root/.cache/pypoetry/cache"),
            Cache::shared("/root/.cache/pypoetry/artifacts"),
        ],
    )))
}

pub(super) fn uv(model: &Model, i: usize, cmd: &Command, text: &str) -> Found {
    if !cmd.is("uv") {
        return None;
    }
    let positional: Vec<&str> = cmd
        .positional_args()
        .iter()
        .map(|w| w.value.as_str())
        .collect();
    let installs = matches!(
        positional.as_slice(),
        ["sync", ..] | ["add", ..] | ["pip", "install" | "sync", ..] | ["tool", "install", ..]
    );
    if !installs {
        return None;
    }
    if cmd.has_long_flag("no-cache")
        || cmd.has_flag('n')
        || cmd.has_long_flag("cache-dir")
        || variable_set(model, i, "UV_CACHE_DIR", text)
        || variable_set(model, i, "UV_NO_CACHE", text)
        || home_moved(model, i, Some("XDG_CACHE_HOME"), text)
    {
        return None;
    }
    let symlinks = cmd.flag_value("--link-mode") == Some("symlink")
        || model
            .scope(i)
            .binding("UV_LINK_MODE")
            .and_then(|b| b.value.as_deref())
            == Some("symlink")
        || text.contains("UV_LINK_MODE=symlink");
    if symlinks {
        return refused(
            "uv",
            "uv links the environment's files to its cache (`symlink` link mode): they would \
             point into the mount",
        );
    }
    let target = "/root/.cache/uv";
    if variable_set(model, i, "UV_OFFLINE", text) {
        return refused(
            "uv",
            "`UV_OFFLINE` makes uv read only what the cache holds, and a cache mount may be \
             empty",
        );
    }
    if let Some(why) = offline(model, i, cmd, "uv", &["offline"], target) {
        return refused("uv", why);
    }
    Some(Ok(Use::new("uv", vec![Cache::shared(target)])))
}

/// `gem install` and `bundle install` in a stage FROM `ruby`.
pub(super) fn ruby(model: &Model, i: usize, cmd: &Command, text: &str) -> Found {
    let positional: Vec<&str> = cmd
        .positional_args()
        .iter()
        .map(|w| w.value.as_str())
        .collect();
    let bundle = (cmd.is("bundle") || cmd.is("bundler"))
        && (matches!(positional.as_slice(), ["install", ..])
            || (positional.is_empty() && cmd.args().iter().all(|w| w.value.starts_with('-'))));
    let gem = cmd.is("gem") && matches!(positional.as_slice(), ["install" | "i", ..]);
    if !(bundle || gem) || !from_image(model, i, "ruby") {
        return None;
    }
    let manager = if gem { "gem" } else { "bundler" };
    let gem_home = model.scope(i).binding("GEM_HOME");
    let moved = gem_home.is_some_and(|b| b.value.as_deref() != Some("/usr/local/bundle"))
        || assigns(text, "GEM_HOME")
        || (bundle
            && (variable_set(model, i, "BUNDLE_PATH", text)
                || variable_set(model, i, "BUNDLE_DEPLOYMENT", text)
                || cmd.has_long_flag("path")
                || cmd.has_long_flag("deployment")
                || text.contains("config set path")
                || text.contains("config path")))
        || (gem
            && (cmd.has_long_flag("install-dir")
                || cmd.has_flag('i')
                || cmd.has_long_flag("user-install")));
    if moved {
        return None;
    }
    let target = "/usr/local/bundle/cache";
    if cmd.has_long_flag("local") || cmd.has_long_flag("prefer-local") || (gem && cmd.has_flag('l'))
    {
        return refused(
            manager,
            "a `--local` install reads only the `.gem` files already downloaded, and a cache \
             mount may be empty",
        );
    }
    let reads_gems = |k: usize| {
        commands(model, k).iter().any(|c| {
            let p: Vec<&str> = c
                .positional_args()
                .iter()
                .map(|w| w.value.as_str())
                .collect();
            ((c.is("bundle") || c.is("bundler"))
                && (matches!(p.as_slice(), ["cache" | "package" | "pack", ..])
                    || c.has_long_flag("local")
                    || c.has_long_flag("prefer-local")))
                || (c.is("gem")
                    && (matches!(p.as_slice(), ["pristine", ..])
                        || (matches!(p.as_slice(), ["install" | "i", ..])
                            && (c.has_long_flag("local") || c.has_flag('l')))))
        })
    };
    if let Some(why) = later_reader(model, i, target, "the downloaded `.gem` files", reads_gems) {
        return refused(manager, why);
    }
    Some(Ok(Use::new(manager, vec![Cache::shared(target)])))
}
