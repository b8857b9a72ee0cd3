//! `cargo xtask`: code generation, checks and benchmarks for this repository.

mod bench;
mod bench_reconcile;
mod framework_lines;
mod generate;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

// The conformance crate registers its CRD versions when linked.
use conformance as _;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Kubeforge repository tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate checked-in files.
    Generate {
        #[command(subcommand)]
        what: generate::What,
    },
    /// Print the benchmark figures the README lists.
    Bench {
        #[command(subcommand)]
        what: bench::What,
    },
    /// Internal: one in-process CRD generation benchmark run (called by `bench crds`).
    #[command(hide = true)]
    BenchInProcess {
        #[arg(long, default_value_t = 50)]
        iterations: usize,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Generate { what } => generate::run(what),
        Command::Bench { what } => bench::run(what),
        Command::BenchInProcess { iterations } => bench::in_process(iterations),
    }
}

pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repo root")
        .to_owned()
}
