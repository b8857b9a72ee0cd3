//! The command line of `cargo xtask`.

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "cargo xtask",
    about = "Development tasks: generate, install, run, deploy"
)]
pub struct Cli {
    #[command(subcommand)]
    pub task: Task,
}

#[derive(Subcommand, Debug, PartialEq, Eq)]
pub enum Task {
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
        /// The manager image (default: the project's).
        #[arg(long, env = "IMG")]
        img: Option<String>,
    },
    /// Delete what `deploy` created.
    Undeploy,
    /// Build the manager image with docker.
    DockerBuild {
        /// The image to build (default: the project's).
        #[arg(long, env = "IMG")]
        img: Option<String>,
    },
    /// Write dist/install.yaml: config/default rendered with the manager image.
    BuildInstaller {
        /// The manager image (default: the project's).
        #[arg(long, env = "IMG")]
        img: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Generate {
    /// config/crd/bases from the API types.
    Crds,
    /// config/rbac/role.yaml from the controllers' #[rbac] attributes.
    Rbac,
    /// config/webhook/manifests.yaml from the webhooks' #[webhook] attributes.
    Webhooks,
    /// All of them.
    Manifests,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn parses_every_task() {
        Cli::command().debug_assert();
        let parse = |args: &[&str]| Cli::try_parse_from(args).map(|cli| cli.task);
        let generate = Task::Generate {
            what: Generate::Manifests,
            check: true,
        };
        assert_eq!(
            parse(&["xtask", "generate", "manifests", "--check"]).unwrap(),
            generate
        );
        let run = Task::Run {
            args: vec!["--namespace".into(), "default".into()],
        };
        assert_eq!(
            parse(&["xtask", "run", "--namespace", "default"]).unwrap(),
            run
        );
        let deploy = Task::Deploy {
            img: Some("op:v1".into()),
        };
        assert_eq!(
            parse(&["xtask", "deploy", "--img", "op:v1"]).unwrap(),
            deploy
        );
        let error = parse(&["xtask", "generate", "crd"])
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("possible values: crds, rbac, webhooks, manifests"),
            "{error}"
        );
    }
}
