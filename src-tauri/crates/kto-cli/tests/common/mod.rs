//! What the `kto` binary's test files share: the command with a clean environment and its
//! output as text.
#![allow(dead_code)]

use std::process::{Command, Output, Stdio};

/// The passphrase of the test keys.
pub const PASSPHRASE: &str = "correct horse battery staple";

/// `kto` with a clean environment: no database and no passphrase unless a test sets them.
pub fn kto() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kto"));
    cmd.env_remove("KTO_DESK_DB")
        .env_remove("KTO_KEY_PASSPHRASE")
        .stdin(Stdio::null());
    cmd
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The standard output of a run that must succeed; otherwise fails showing both outputs.
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}
