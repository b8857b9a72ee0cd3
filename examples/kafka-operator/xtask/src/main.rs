//! `cargo xtask <task>`: the tasks of kubebuilder's Makefile, for kafka-operator.
//!
//! This crate depends on the API crate and kubeforge only, not on the manager, so that
//! generating CRDs compiles little. Shell steps (kubectl, docker, cargo) run through
//! `std::process::Command`; run `cargo xtask --help` for the list.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail, ensure};
use clap::{Parser, Subcommand, ValueEnum};

// Linking the API crate registers its CRD versions with kubeforge.
use kafka_operator_api as _;

/// The manager's package (and binary).
const MANAGER_PACKAGE: &str = "kafka-operator";
/// The image kubebuilder's Makefile calls IMG.
const DEFAULT_IMG: &str = "controller:latest";
/// The image name in config/manager that `--img` replaces.
const MANAGER_IMAGE_NAME: &str = "controller";

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Development tasks: generate, install, run, deploy"
)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Generate manifests: CRDs from the API types, RBAC from the #[rbac] attributes, webhook
    /// configurations from the #[webhook] attributes.
    Generate {
        #[arg(value_enum)]
        what: Generate,
        /// Write nothing; fail when the files on disk are out of date (for CI).
        #[arg(long)]
        check: bool,
    },
    /// Install the CRDs into the cluster of the current kubeconfig context.
    Install,
    /// Uninstall the CRDs (and every object of their kinds) from the cluster.
    Uninstall,
    /// Run the manager on this machine against the cluster (install the CRDs first).
    Run {
        /// Flags for the manager, e.g. `cargo xtask run -- --namespace default`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Deploy the manager (config/default) to the cluster.
    Deploy {
        /// The manager image.
        #[arg(long, env = "IMG", default_value = DEFAULT_IMG)]
        img: String,
    },
    /// Delete what `deploy` created.
    Undeploy,
    /// Build the manager image with docker.
    DockerBuild {
        /// The image to build.
        #[arg(long, env = "IMG", default_value = DEFAULT_IMG)]
        img: String,
    },
    /// Write dist/install.yaml: config/default rendered with the manager image.
    BuildInstaller {
        /// The manager image.
        #[arg(long, env = "IMG", default_value = DEFAULT_IMG)]
        img: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Generate {
    /// config/crd/bases from the API types.
    Crds,
    /// config/rbac/role.yaml from the controllers' #[rbac] attributes.
    Rbac,
    /// config/webhook/manifests.yaml from the webhooks' #[webhook] attributes.
    Webhooks,
    /// All of them.
    Manifests,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let root = project_root();
    std::env::set_current_dir(&root).with_context(|| format!("entering {}", root.display()))?;
    match cli.task {
        Task::Generate { what, check } => {
            if matches!(what, Generate::Crds | Generate::Manifests) {
                generate_crds(check)?;
            }
            if matches!(what, Generate::Rbac | Generate::Manifests) {
                generate_rbac(check)?;
            }
            if matches!(what, Generate::Webhooks | Generate::Manifests) {
                generate_webhooks(check)?;
            }
            Ok(())
        }
        Task::Install => kubectl(&["apply", "--server-side", "-k", "config/crd"]),
        Task::Uninstall => kubectl(&["delete", "--ignore-not-found", "-k", "config/crd"]),
        Task::Run { args } => {
            let mut command = cargo();
            command.args(["run", "--package", MANAGER_PACKAGE, "--"]);
            run(command.args(args))
        }
        Task::Deploy { img } => {
            let manifests = render_default(&img)?;
            let mut command = Command::new("kubectl");
            command.args(["apply", "--server-side", "-f", "-"]);
            pipe(command, &manifests)
        }
        Task::Undeploy => kubectl(&["delete", "--ignore-not-found", "-k", "config/default"]),
        Task::DockerBuild { img } => docker_build(&img),
        Task::BuildInstaller { img } => {
            let manifests = render_default(&img)?;
            std::fs::create_dir_all("dist")?;
            std::fs::write("dist/install.yaml", manifests)?;
            println!("wrote dist/install.yaml");
            Ok(())
        }
    }
}

/// The workspace root (the parent of xtask/).
fn project_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask
        .parent()
        .expect("xtask/ is in the project root")
        .to_owned()
}

fn generate_crds(check: bool) -> anyhow::Result<()> {
    let dir = Path::new("config/crd/bases");
    if !check {
        for path in kubeforge::write_crds(dir)? {
            println!("wrote {}", path.display());
        }
        return Ok(());
    }
    let mut stale = Vec::new();
    for (name, contents) in kubeforge::crd_files(&kubeforge::GenerateOptions::default())? {
        let path = dir.join(&name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    ensure!(
        stale.is_empty(),
        "out of date: {}; run `cargo xtask generate crds`",
        stale.join(", ")
    );
    println!("{} is up to date", dir.display());
    Ok(())
}

/// `#[rbac]` attributes register their rules in the code that carries them, the manager's
/// controllers; this crate does not link the manager (so that generating CRDs stays fast)
/// and asks it to print them instead.
fn generate_rbac(check: bool) -> anyhow::Result<()> {
    let path = Path::new("config/rbac/role.yaml");
    let mut command = cargo();
    command.args(["run", "--quiet", "--package", MANAGER_PACKAGE]);
    command.args(["--", "--print-rbac"]);
    command.stderr(Stdio::inherit());
    let output = command.output().context("running cargo")?;
    ensure!(output.status.success(), "the manager failed to print RBAC");
    let role = String::from_utf8(output.stdout).context("the RBAC rules are not UTF-8")?;
    if role.is_empty() {
        // Like controller-gen: no rules, no file.
        println!("no #[rbac] attributes: {} left as it is", path.display());
        return Ok(());
    }
    if check {
        ensure!(
            std::fs::read_to_string(path).is_ok_and(|current| current == role),
            "out of date: {}; run `cargo xtask generate rbac`",
            path.display()
        );
        println!("{} is up to date", path.display());
    } else {
        kubeforge::write_atomic(path, role.as_bytes())?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Like RBAC: the manager prints the configurations of its `#[webhook]` attributes. A project
/// without webhooks (no src/webhook/, added by `scaffold create webhook`) has none.
fn generate_webhooks(check: bool) -> anyhow::Result<()> {
    let path = Path::new("config/webhook/manifests.yaml");
    if !Path::new("src/webhook/mod.rs").is_file() {
        return Ok(());
    }
    let mut command = cargo();
    command.args(["run", "--quiet", "--package", MANAGER_PACKAGE]);
    command.args(["--", "--print-webhooks"]);
    command.stderr(Stdio::inherit());
    let output = command.output().context("running cargo")?;
    ensure!(
        output.status.success(),
        "the manager failed to print webhooks"
    );
    let yaml = String::from_utf8(output.stdout).context("the webhooks are not UTF-8")?;
    if check {
        ensure!(
            std::fs::read_to_string(path).is_ok_and(|current| current == yaml),
            "out of date: {}; run `cargo xtask generate webhooks`",
            path.display()
        );
        println!("{} is up to date", path.display());
    } else {
        kubeforge::write_atomic(path, yaml.as_bytes())?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// config/default rendered by kustomize with the manager image set to `img`. An overlay in
/// a temporary directory does what `kustomize edit set image` does, without editing files.
fn render_default(img: &str) -> anyhow::Result<String> {
    let base = std::fs::canonicalize("config/default").context("config/default")?;
    let pid = std::process::id();
    let overlay = std::env::temp_dir().join(format!("{MANAGER_PACKAGE}-deploy-{pid}"));
    std::fs::create_dir_all(&overlay)?;
    let rendered = kustomize_with_image(&overlay, &base, img);
    let _ = std::fs::remove_dir_all(&overlay);
    rendered
}

/// Renders `base` through a kustomization in `overlay` that sets the manager image.
fn kustomize_with_image(overlay: &Path, base: &Path, img: &str) -> anyhow::Result<String> {
    // kustomize takes relative paths only: from the overlay up to `/`, then down to `base`.
    let overlay = std::fs::canonicalize(overlay)?;
    let up = "../".repeat(overlay.components().count().saturating_sub(1));
    let base = format!("{up}{}", base.strip_prefix("/")?.display());
    let image = match split_image(img) {
        (name, Some(ImageTag::Tag(tag))) => format!("newName: \"{name}\"\n  newTag: \"{tag}\""),
        (name, Some(ImageTag::Digest(digest))) => {
            format!("newName: \"{name}\"\n  digest: \"{digest}\"")
        }
        (name, None) => format!("newName: \"{name}\""),
    };
    let kustomization = format!(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n\
         resources:\n- {base}\nimages:\n- name: {MANAGER_IMAGE_NAME}\n  {image}\n"
    );
    std::fs::write(overlay.join("kustomization.yaml"), kustomization)?;
    let output = Command::new("kubectl")
        .arg("kustomize")
        .arg(&overlay)
        .stderr(Stdio::inherit())
        .output()
        .context("running kubectl kustomize")?;
    ensure!(output.status.success(), "kubectl kustomize failed");
    Ok(String::from_utf8(output.stdout)?)
}

enum ImageTag<'a> {
    Tag(&'a str),
    Digest(&'a str),
}

/// `registry:5000/name:tag` → (`registry:5000/name`, tag); `name@sha256:...` → digest.
fn split_image(img: &str) -> (&str, Option<ImageTag<'_>>) {
    if let Some((name, digest)) = img.split_once('@') {
        return (name, Some(ImageTag::Digest(digest)));
    }
    let last = img.rfind('/').map_or(0, |i| i + 1);
    match img[last..].rfind(':') {
        Some(i) => (&img[..last + i], Some(ImageTag::Tag(&img[last + i + 1..]))),
        None => (img, None),
    }
}

/// `docker build -t IMG .`. With kubeforge as a path dependency (outside this directory),
/// its checkout is passed as the build context `kubeforge` the Dockerfile copies it from.
fn docker_build(img: &str) -> anyhow::Result<()> {
    let mut command = Command::new("docker");
    command.args(["build", "-t", img]);
    if let Some(checkout) = kubeforge_checkout()? {
        let checkout = checkout.display();
        command.arg(format!("--build-context=kubeforge={checkout}"));
        command.arg(format!("--build-arg=KUBEFORGE_PATH={checkout}"));
    }
    run(command.arg("."))
}

/// The workspace that kubeforge is a path dependency from (`.../crates/kubeforge` → `...`),
/// or `None` when it comes from a registry.
fn kubeforge_checkout() -> anyhow::Result<Option<PathBuf>> {
    let output = cargo()
        .args(["pkgid", "kubeforge"])
        .output()
        .context("running cargo")?;
    ensure!(output.status.success(), "cargo pkgid kubeforge failed");
    let pkgid = String::from_utf8(output.stdout)?;
    let Some(path) = pkgid.trim().strip_prefix("path+file://") else {
        return Ok(None);
    };
    let crate_dir = Path::new(path.split('#').next().unwrap_or(path));
    let checkout = crate_dir
        .ancestors()
        .find(|dir| dir.join("crates").is_dir());
    Ok(Some(checkout.unwrap_or(crate_dir).to_owned()))
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn kubectl(args: &[&str]) -> anyhow::Result<()> {
    run(Command::new("kubectl").args(args))
}

fn run(command: &mut Command) -> anyhow::Result<()> {
    let program = command.get_program().to_owned();
    let status = command
        .status()
        .with_context(|| format!("running {program:?}"))?;
    if !status.success() {
        bail!("{program:?} failed ({status})");
    }
    Ok(())
}

/// Runs `command` with `input` on its standard input.
fn pipe(mut command: Command, input: &str) -> anyhow::Result<()> {
    let program = command.get_program().to_owned();
    let mut child = command
        .stdin(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {program:?}"))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin.write_all(input.as_bytes())?;
    drop(stdin);
    let status = child.wait()?;
    if !status.success() {
        bail!("{program:?} failed ({status})");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn splits_images() {
        let split = |img| {
            let (name, tag) = split_image(img);
            let tag = match tag {
                Some(ImageTag::Tag(tag)) => format!(":{tag}"),
                Some(ImageTag::Digest(digest)) => format!("@{digest}"),
                None => String::new(),
            };
            (name, tag)
        };
        assert_eq!(split("controller:latest"), ("controller", ":latest".into()));
        assert_eq!(
            split("localhost:5000/op"),
            ("localhost:5000/op", String::new())
        );
        assert_eq!(
            split("localhost:5000/op:v1"),
            ("localhost:5000/op", ":v1".into())
        );
        assert_eq!(split("op@sha256:abc"), ("op", "@sha256:abc".into()));
    }
}
