//! `cargo xtask <task>`: the tasks of kubebuilder's Makefile for vm-operator, from
//! kubeforge-xtask (`cargo xtask --help` lists them).

// Linking the API crate registers its CRD versions with kubeforge.
use vm_operator_api as _;

fn main() -> std::process::ExitCode {
    kubeforge_xtask::main(kubeforge_xtask::Project {
        root: concat!(env!("CARGO_MANIFEST_DIR"), "/.."),
        manager_package: "vm-operator",
        image: "controller:latest",
    })
}
