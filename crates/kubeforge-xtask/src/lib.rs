//! The `cargo xtask` tasks of a Kubeforge project, kubebuilder's Makefile targets as a
//! library: a project's `xtask/src/main.rs` links its API crate (which registers the CRDs)
//! and calls [`main`]:
//!
//! ```no_run
//! // use my_operator_api as _;
//! fn main() -> std::process::ExitCode {
//!     kubeforge_xtask::main(kubeforge_xtask::Project {
//!         root: concat!(env!("CARGO_MANIFEST_DIR"), "/.."),
//!         manager_package: "my-operator",
//!         image: "controller:latest",
//!     })
//! }
//! ```
//!
//! `generate crds` runs in this process (the linked API crate's CRDs); `generate rbac` and
//! `generate webhooks` ask the manager to print what its `#[rbac]` and `#[webhook]`
//! attributes register, since those live in the manager's code and this crate does not link it
//! (so that generating CRDs stays fast).

mod cli;
mod deploy;
mod error;
mod generate;
mod image;
mod process;

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

pub use cli::{Cli, Generate, Task};
pub use error::Error;

/// What the tasks need to know of the project.
#[derive(Clone, Copy, Debug)]
pub struct Project {
    /// The workspace root (the parent of xtask/).
    pub root: &'static str,
    /// The manager's package (and binary).
    pub manager_package: &'static str,
    /// The default image (kubebuilder's IMG).
    pub image: &'static str,
}

/// Parses the command line, runs the task and exits non-zero, with one line naming what
/// failed, when it fails.
pub fn main(project: Project) -> ExitCode {
    let cli = Cli::parse_from(std::env::args_os());
    match run(&project, cli.task) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `task` in the project root.
pub fn run(project: &Project, task: Task) -> Result<(), Error> {
    let root = Path::new(project.root);
    std::env::set_current_dir(root).map_err(error::io(format!("entering {}", root.display())))?;
    match task {
        Task::Generate { what, check } => generate::run(project, what, check),
        Task::Install => process::kubectl(&["apply", "--server-side", "-k", "config/crd"]),
        Task::Uninstall => process::kubectl(&["delete", "--ignore-not-found", "-k", "config/crd"]),
        Task::Run { args } => {
            let mut command = process::cargo();
            command.args(["run", "--package", project.manager_package, "--"]);
            process::run(command.args(args))
        }
        Task::Deploy { img } => deploy::deploy(project, img.as_deref()),
        Task::Undeploy => {
            process::kubectl(&["delete", "--ignore-not-found", "-k", "config/default"])
        }
        Task::DockerBuild { img } => deploy::docker_build(img.as_deref().unwrap_or(project.image)),
        Task::BuildInstaller { img } => deploy::build_installer(project, img.as_deref()),
    }
}
