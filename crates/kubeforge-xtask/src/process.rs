//! Running kubectl, cargo and docker.

use std::io::Write;
use std::process::{Command, ExitStatus, Stdio};

use crate::Error;
use crate::error::io;

pub(crate) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

pub(crate) fn kubectl(args: &[&str]) -> Result<(), Error> {
    run(Command::new("kubectl").args(args))
}

fn program(command: &Command) -> String {
    command.get_program().to_string_lossy().into_owned()
}

/// `Ok` when `program` exited successfully, else the failure naming it and its status.
fn succeeded(program: String, status: ExitStatus) -> Result<(), Error> {
    if status.success() {
        return Ok(());
    }
    Err(Error::Failed {
        program,
        status: status.to_string(),
    })
}

/// Runs `command`, failing when it does.
pub(crate) fn run(command: &mut Command) -> Result<(), Error> {
    let program = program(command);
    let status = command.status().map_err(io(format!("running {program}")))?;
    succeeded(program, status)
}

/// Runs `command` and returns its standard output (its standard error goes to ours).
pub(crate) fn output(command: &mut Command) -> Result<String, Error> {
    let program = program(command);
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(io(format!("running {program}")))?;
    succeeded(program.clone(), output.status)?;
    String::from_utf8(output.stdout).map_err(|_| Error::NotUtf8 {
        what: format!("the output of {program}"),
    })
}

/// Runs `command` with `input` on its standard input.
pub(crate) fn pipe(command: &mut Command, input: &str) -> Result<(), Error> {
    let program = program(command);
    let mut child = command
        .stdin(Stdio::piped())
        .spawn()
        .map_err(io(format!("running {program}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .map_err(io(format!("writing to {program}")))?;
    }
    let status = child.wait().map_err(io(format!("waiting for {program}")))?;
    succeeded(program, status)
}
