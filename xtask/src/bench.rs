//! `cargo xtask bench crds`: the figures the README quotes.
//!
//! - in-process: `kubeforge::crds()` over the whole conformance suite, in a release build;
//! - incremental: wall time of regenerating the CRDs of a four-kind project after touching one
//!   types file (the project is laid out as scaffolded projects are: a small api crate and a
//!   generator binary; it lives in target/bench-incremental and keeps its own target dir).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Subcommand;

/// `scaffold create api` for the one kind of the benchmarks' projects.
pub(crate) const CREATE_API: [&str; 8] = [
    "create",
    "api",
    "--group",
    "cache",
    "--version",
    "v1alpha1",
    "--kind",
    "Memcached",
];

#[derive(Subcommand)]
pub(crate) enum What {
    /// CRD generation: in-process time and incremental `generate crds` wall time.
    Crds {
        /// Timed runs of the incremental regeneration.
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// `scaffold init` / `create api` wall time, cold and warm `cargo build` of a fresh project,
    /// stripped release size of its manager.
    Scaffold {
        /// Timed runs of each scaffold command (median reported).
        #[arg(long, default_value_t = 50)]
        runs: usize,
        /// Skip the cold build (it takes minutes).
        #[arg(long)]
        skip_cold: bool,
        /// A kubeconfig of a cluster (envtest will do) to measure the idle RSS of the manager
        /// on; without it that figure is skipped.
        #[arg(long)]
        kubeconfig: Option<std::path::PathBuf>,
    },
    /// A manager reconciling N pending objects: time, peak and settled RSS, requests per
    /// object, writes on restart, time to release them; optionally next to other managers.
    Reconcile(Box<crate::bench_reconcile::Args>),
    /// The lines of framework code a fresh `init` + `create api` project carries.
    FrameworkLines {
        /// Count the output of this scaffold binary instead (e.g. an older checkout's).
        #[arg(long)]
        scaffold: Option<std::path::PathBuf>,
    },
}

pub(crate) fn run(what: What) -> anyhow::Result<()> {
    match what {
        What::Crds { runs } => {
            let root = crate::repo_root();
            cargo(&root, &["build", "--release", "--quiet", "-p", "xtask"])?;
            let status = Command::new(root.join("target/release/xtask"))
                .args(["bench-in-process", "--iterations", "50"])
                .status()?;
            if !status.success() {
                bail!("in-process benchmark failed");
            }
            incremental(&root, runs)
        }
        What::Scaffold {
            runs,
            skip_cold,
            kubeconfig,
        } => scaffold(runs, skip_cold, kubeconfig.as_deref()),
        What::Reconcile(args) => crate::bench_reconcile::run(*args),
        What::FrameworkLines { scaffold } => crate::framework_lines::run(scaffold),
    }
}

fn timed(mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<Duration> {
    let start = Instant::now();
    f()?;
    Ok(start.elapsed())
}

pub(crate) fn run_ok(cmd: &mut Command) -> anyhow::Result<()> {
    let out = cmd.output().with_context(|| format!("{cmd:?}"))?;
    if !out.status.success() {
        bail!("{cmd:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

fn scaffold(runs: usize, skip_cold: bool, kubeconfig: Option<&Path>) -> anyhow::Result<()> {
    let root = crate::repo_root();
    cargo(&root, &["build", "--release", "--quiet", "-p", "scaffold"])?;
    let bin = root.join("target/release/scaffold");
    let work = root.join("target/bench-scaffold");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let runs = runs.max(1);
    let mut init = Vec::new();
    let mut create = Vec::new();
    for i in 0..runs {
        let dir = work.join(format!("p{i}"));
        init.push(timed(|| {
            run_ok(
                Command::new(&bin)
                    .args([
                        "init",
                        "--domain",
                        "example.com",
                        "--project-name",
                        "bench",
                        "-o",
                    ])
                    .arg(&dir),
            )
        })?);
        create.push(timed(|| {
            run_ok(Command::new(&bin).args(CREATE_API).arg("-o").arg(&dir))
        })?);
    }
    println!(
        "scaffold init: {} (median of {runs}, files only)",
        ms(median(init))
    );
    println!(
        "scaffold create api: {} (median of {runs}, files only)",
        ms(median(create))
    );

    let project = work.join("p0");
    let target = work.join("target");
    let build = |args: &[&str]| -> anyhow::Result<Duration> {
        timed(|| {
            run_ok(
                Command::new(env!("CARGO"))
                    .current_dir(&project)
                    .env("CARGO_TARGET_DIR", &target)
                    .args(args),
            )
        })
    };
    if skip_cold {
        build(&["build", "--quiet"])?;
    } else {
        println!(
            "cold cargo build (debug) of a fresh one-kind project: {:.1} s",
            build(&["build", "--quiet"])?.as_secs_f64()
        );
    }
    let controller = project.join("src/controller/memcached_controller.rs");
    let source =
        std::fs::read_to_string(&controller).with_context(|| controller.display().to_string())?;
    std::fs::write(&controller, format!("{source}\n// edited\n"))?;
    println!(
        "warm rebuild after editing the controller: {:.2} s",
        build(&["build", "--quiet"])?.as_secs_f64()
    );
    build(&["build", "--release", "--quiet"])?;
    let binary = target.join("release/bench");
    let size = std::fs::metadata(&binary)
        .with_context(|| binary.display().to_string())?
        .len();
    println!(
        "release manager binary (profile strips symbols): {:.1} MB",
        size as f64 / 1e6
    );
    match kubeconfig {
        Some(kubeconfig) => idle_rss(&project, &binary, kubeconfig),
        None => {
            println!("idle RSS of the manager: skipped (pass --kubeconfig of a cluster)");
            Ok(())
        }
    }
}

/// Installs the CRDs, runs the manager against `kubeconfig` for 10 s and reads its resident
/// set size (Linux /proc).
fn idle_rss(project: &Path, binary: &Path, kubeconfig: &Path) -> anyhow::Result<()> {
    run_ok(
        Command::new(env!("CARGO"))
            .current_dir(project)
            .args(["xtask", "generate", "crds"]),
    )?;
    run_ok(
        Command::new("kubectl")
            .current_dir(project)
            .env("KUBECONFIG", kubeconfig)
            .args([
                "apply",
                "--server-side",
                "--validate=false",
                "-k",
                "config/crd",
            ]),
    )?;
    let mut manager = Command::new(binary)
        .env("KUBECONFIG", kubeconfig)
        .args([
            "--metrics-bind-address=127.0.0.1:0",
            "--health-probe-bind-address=0",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    std::thread::sleep(Duration::from_secs(10));
    let status = std::fs::read_to_string(format!("/proc/{}/status", manager.id()));
    let exited = manager.try_wait()?;
    let _ = manager.kill();
    let _ = manager.wait();
    if let Some(exited) = exited {
        bail!("the manager exited ({exited}) before it could be measured");
    }
    let rss = status?
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    println!("idle RSS of the manager (one controller, after 10 s): {rss}");
    Ok(())
}

pub(crate) fn cargo(dir: &Path, args: &[&str]) -> anyhow::Result<()> {
    let status = Command::new(env!("CARGO"))
        .current_dir(dir)
        .args(args)
        .status()
        .with_context(|| format!("cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!("cargo {} failed in {}", args.join(" "), dir.display());
    }
    Ok(())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

pub(crate) fn in_process(iterations: usize) -> anyhow::Result<()> {
    let count = kubeforge::crds()?.len();
    let samples: Vec<Duration> = (0..iterations.max(1))
        .map(|_| {
            let start = Instant::now();
            let crds = kubeforge::crds().expect("succeeded above");
            std::hint::black_box(crds);
            start.elapsed()
        })
        .collect();
    let min = *samples.iter().min().expect("at least one");
    println!(
        "in-process: kubeforge::crds() builds {count} conformance CRDs in {} (median of {}), min {}",
        ms(median(samples)),
        iterations.max(1),
        ms(min)
    );
    Ok(())
}

const KINDS: [&str; 4] = ["Alpha", "Bravo", "Charlie", "Delta"];

fn incremental(root: &Path, runs: usize) -> anyhow::Result<()> {
    let dir = root.join("target/bench-incremental");
    write_project(root, &dir)?;
    // The first build may be cold; it is not measured.
    cargo(&dir, &["build", "--quiet", "-p", "gen"])?;
    let touched = dir.join("api/src/alpha_types.rs");
    let mut samples = Vec::new();
    for i in 0..runs.max(1) {
        let source = types_file("Alpha", Some(i));
        std::fs::write(&touched, source)?;
        let start = Instant::now();
        cargo(&dir, &["run", "--quiet", "-p", "gen"])?;
        samples.push(start.elapsed());
    }
    println!(
        "incremental: `generate crds` after editing one types file of a 4-kind project: {} wall (median of {})",
        ms(median(samples)),
        runs.max(1)
    );
    Ok(())
}

fn write_if_changed(path: &Path, contents: &str) -> anyhow::Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::create_dir_all(path.parent().expect("file in a dir"))?;
        std::fs::write(path, contents)?;
    }
    Ok(())
}

fn types_file(kind: &str, edit: Option<usize>) -> String {
    let lower = kind.to_lowercase();
    let note = edit
        .map(|i| format!("\n    /// Edited {i}."))
        .unwrap_or_default();
    format!(
        r#"use kubeforge::prelude::*;

/// {kind} is the Schema for the {lower}s API.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[kube(group = "bench.example.com", version = "v1", kind = "{kind}", namespaced, status = "{kind}Status")]
#[crd(printcolumn(name = "Size", type = "integer", json_path = ".spec.size"))]
#[serde(rename_all = "camelCase")]
pub struct {kind}Spec {{
    /// Size is the number of replicas.{note}
    #[crd(minimum = 1, maximum = 10, default = 1)]
    pub size: i32,
    /// Image to run.
    #[crd(min_length = 1)]
    pub image: String,
    pub labels: Option<std::collections::BTreeMap<String, String>>,
}}

/// {kind}Status defines the observed state of {kind}.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct {kind}Status {{
    #[crd(list_type = "map", list_map_keys = ["type"])]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<kubeforge::types::Condition>,
}}
"#
    )
}

fn write_project(root: &Path, dir: &Path) -> anyhow::Result<()> {
    let kubeforge = root.join("crates/kubeforge");
    write_if_changed(
        &dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"api\", \"gen\"]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
    )?;
    let deps = format!(
        "kubeforge = {{ path = {:?} }}\nkube = {{ version = \"5.0\", default-features = false, features = [\"derive\"] }}\nk8s-openapi = {{ version = \"0.29\", features = [\"v1_33\", \"schemars\"] }}\nschemars = \"1.2\"\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n",
        kubeforge.display().to_string()
    );
    write_if_changed(
        &dir.join("api/Cargo.toml"),
        &format!(
            "[package]\nname = \"api\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n{deps}"
        ),
    )?;
    let mods: String = KINDS
        .iter()
        .map(|k| format!("pub mod {}_types;\n", k.to_lowercase()))
        .collect();
    write_if_changed(&dir.join("api/src/lib.rs"), &mods)?;
    for kind in KINDS {
        let path = dir.join(format!("api/src/{}_types.rs", kind.to_lowercase()));
        if kind != "Alpha" || !path.exists() {
            write_if_changed(&path, &types_file(kind, None))?;
        }
    }
    write_if_changed(
        &dir.join("gen/Cargo.toml"),
        &format!(
            "[package]\nname = \"gen\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\napi = {{ path = \"../api\" }}\nkubeforge = {{ path = {:?} }}\n",
            kubeforge.display().to_string()
        ),
    )?;
    write_if_changed(
        &dir.join("gen/src/main.rs"),
        "use api as _;\n\nfn main() {\n    let written = kubeforge::write_crds(\"crds\").expect(\"CRDs\");\n    assert_eq!(written.len(), 4);\n}\n",
    )?;
    if !dir.join("Cargo.lock").exists()
        && let Ok(lock) = std::fs::read_to_string(root.join("Cargo.lock"))
    {
        std::fs::write(dir.join("Cargo.lock"), lock)?;
    }
    Ok(())
}
