//! The kafka-operator manager: kubeforge-runtime's `Manager` with this project's controllers
//! and webhooks. `kafka-operator --help` lists its flags; add flags of your own to `Args`.

use clap::Parser;
use kubeforge_runtime::{Manager, ManagerArgs};

/// The name of the Lease that replicas compete for with `--leader-elect`.
const LEADER_ELECTION_ID: &str = "kafka-operator.example.com";

/// The kafka-operator manager.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    #[command(flatten)]
    manager: ManagerArgs,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let state = kafka_operator::controller::State::default();
    Manager::with_state("kafka-operator", args.manager, state)
        .leader_election_id(LEADER_ELECTION_ID)
        .webhooks(kafka_operator::webhook::register)
        // +kubeforge:scaffold:webhooks
        .controller(kafka_operator::controller::hwfka_controller::run)
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
