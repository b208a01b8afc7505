//! Small helpers rules share for reading commands and mounts.

use crate::instructions::{Mount, MountType};
use crate::shell::Command;

/// Whether any argument of `cmd` equals one of `args` (hadolint's `cmdHasArgs`).
pub fn has_any_arg(cmd: &Command, args: &[&str]) -> bool {
    cmd.args().iter().any(|w| args.contains(&w.value.as_str()))
}

/// Whether `cmd` has the argument `arg`.
pub fn has_arg(cmd: &Command, arg: &str) -> bool {
    cmd.args().iter().any(|w| w.value == arg)
}

/// Argument values after the name.
pub fn arg_values(cmd: &Command) -> Vec<&str> {
    cmd.args().iter().map(|w| w.value.as_str()).collect()
}

/// Whether `cmd` is `name` and its first positional argument (the subcommand) is one of
/// `subcommands` (`apt-get install`, `apk add`).
pub fn is_subcommand(cmd: &Command, name: &str, subcommands: &[&str]) -> bool {
    cmd.is(name)
        && cmd
            .positional_args()
            .first()
            .is_some_and(|w| subcommands.contains(&w.value.as_str()))
}

/// Whether a cache or tmpfs mount's target contains `fragment` (the usual exemption of
/// "cache left in the layer" rules: the cache lives outside the image).
pub fn has_cache_mount(mounts: &[Mount], fragment: &str) -> bool {
    mounts.iter().any(|m| {
        matches!(m.kind, MountType::Cache | MountType::Tmpfs)
            && m.target.as_deref().is_some_and(|t| t.contains(fragment))
    })
}

/// Truthy values hadolint accepts for switches such as `PIP_NO_CACHE_DIR`.
pub fn is_truthy(value: &str) -> bool {
    matches!(
        value,
        "1" | "true" | "True" | "TRUE" | "on" | "On" | "ON" | "yes" | "Yes" | "YES"
    )
}
