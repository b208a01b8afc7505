//! What every CLI end-to-end test needs: running the binary in a scratch directory (with
//! no user or environment configuration leaking in) and writing files there.

// Each test binary uses its own subset of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn layerlens(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_layerlens"))
        .args(args)
        .current_dir(dir)
        .env_remove("HADOLINT_NOFAIL")
        .env("HOME", dir)
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .expect("run layerlens")
}

pub fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}
