//! `scaffold`: kubebuilder's `init` / `create api` / `create controller` for kube-rs operators.

mod alpha_generate;
mod bundle_validate;
mod cli;
mod commands;
mod context;
mod delete;
mod deploy_image;
mod error;
mod grafana;
mod helm;
mod kustomize;
mod names;
mod namespaced;
mod olm;
mod olm_commands;
mod osc;
mod plan;
mod plugins;
mod project;
mod render;
mod scorecard;
mod yaml;

use clap::{CommandFactory, Parser};

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Init(args) => commands::init(args),
        cli::Command::Create {
            what: cli::Create::Api(args),
        } => commands::create_api(args),
        cli::Command::Create {
            what: cli::Create::Controller(args),
        } => commands::create_controller(args),
        cli::Command::Create {
            what: cli::Create::Webhook(args),
        } => commands::create_webhook(args),
        cli::Command::Bundle {
            what: cli::BundleCmd::Validate(args),
        } => olm_commands::bundle_validate(args),
        cli::Command::Package {
            what: cli::PackageCmd::Osc(args),
        } => olm_commands::package_osc(args),
        cli::Command::Edit(args) if args.namespaced.is_some() => namespaced::edit(args),
        cli::Command::Edit(args) => plugins::edit(args),
        cli::Command::Delete(args) => delete::run(args),
        cli::Command::Generate {
            what: cli::Generate::Helm(args),
        } => helm::generate(args),
        cli::Command::Generate {
            what:
                cli::Generate::Kustomize {
                    what: cli::Kustomize::Manifests(args),
                },
        } => olm::generate_kustomize_manifests(args),
        cli::Command::Generate {
            what: cli::Generate::Bundle(args),
        } => olm::generate_bundle(args),
        cli::Command::Scorecard(args) => scorecard::run(args),
        cli::Command::Alpha {
            what: cli::AlphaCmd::Generate(args),
        } => alpha_generate::generate(args),
        cli::Command::Completion { shell } => {
            clap_complete::generate(
                shell,
                &mut cli::Cli::command(),
                "scaffold",
                &mut std::io::stdout(),
            );
            Ok(())
        }
        cli::Command::Version => {
            println!("scaffold {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
