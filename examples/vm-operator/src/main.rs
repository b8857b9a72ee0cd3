//! The vm-operator manager: kubeforge-runtime's `Manager` with this project's controllers
//! and webhooks. `vm-operator --help` lists its flags; add flags of your own to `Args`.

use clap::Parser;
use kubeforge_runtime::{Manager, ManagerArgs};

/// The name of the Lease that replicas compete for with `--leader-elect`.
const LEADER_ELECTION_ID: &str = "vm-operator.example.com";

/// The vm-operator manager.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    #[command(flatten)]
    manager: ManagerArgs,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let state = vm_operator::controller::State::default();
    Manager::with_state("vm-operator", args.manager, state)
        .leader_election_id(LEADER_ELECTION_ID)
        // +kubeforge:scaffold:webhooks
        .controller(vm_operator::controller::virtual_machine_controller::run)
        // +kubeforge:scaffold:controllers
        .run()
        .await
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn flags() {
        Args::command().debug_assert();
    }
}
