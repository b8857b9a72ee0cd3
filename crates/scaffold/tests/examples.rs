//! The examples/ operators are scaffold output plus hand-written code. For each one:
//!
//! 1. re-scaffolding it from its PROJECT (`scaffold alpha generate`: init, create api with the
//!    deploy-image options, create controller, create webhook, the plugins) in a temporary
//!    directory reproduces every file the example did not edit by hand (`HAND_EDITED` lists those);
//! 2. it passes `cargo fmt --check`, `cargo clippy --all-targets -D warnings`, `cargo test`
//!    (its controllers' tests run against a mocked API server) and
//!    `cargo xtask generate manifests --check`.
//!
//! The examples share the target dir of the generated-project test
//! (target/generated-projects/target), so dependencies build once.

use std::path::Path;

mod common;

use common::{files, repo_root, run};

/// Files each example changed by hand after scaffolding (paths relative to the example).
const HAND_EDITED: &[(&str, &[&str])] = &[
    (
        "memcached-operator",
        &[
            "README.md",
            "api/src/v1alpha1/memcached_types.rs",
            "config/manifests/bases/memcached-operator.clusterserviceversion.yaml",
            "src/controller/memcached_controller.rs",
        ],
    ),
    (
        "foo-operator",
        &[
            "README.md",
            "api/src/v1alpha1/foo_types.rs",
            "config/samples/samplecontroller_v1alpha1_foo.yaml",
            "src/controller/foo_controller.rs",
            "tests/e2e.rs",
        ],
    ),
    (
        "vm-operator",
        &[
            "README.md",
            "api/src/v1alpha1/virtual_machine_types.rs",
            "config/samples/infra_v1alpha1_virtualmachine.yaml",
            "src/controller/mod.rs",
            "src/controller/virtual_machine_controller.rs",
            "tests/e2e.rs",
        ],
    ),
    (
        "kafka-operator",
        &[
            "README.md",
            "api/src/v1/hwfka_types.rs",
            "api/src/v2/hwfka_types.rs",
            "api/src/v2/hwfka_conversion.rs",
            "config/samples/kafka_v1_hwfka.yaml",
            "config/samples/kafka_v2_hwfka.yaml",
            "src/controller/hwfka_controller.rs",
            "src/webhook/hwfka_v1.rs",
            "tests/e2e.rs",
        ],
    ),
];

/// Files `cargo xtask generate manifests` owns (scaffold only seeds them); its `--check` covers them.
fn generated_by_xtask(path: &str) -> bool {
    path == "config/rbac/role.yaml"
        || path == "config/webhook/manifests.yaml"
        || path.starts_with("config/crd/bases/")
}

fn scaffold(dir: &Path, args: &[String]) {
    let bin = env!("CARGO_BIN_EXE_scaffold");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(dir, bin, &args);
}

/// The kubeforge dependencies are the lines that depend on where the project lives.
fn without_kubeforge_path(text: &str) -> String {
    let path_dependency = |l: &&str| {
        ["kubeforge", "kubeforge-runtime", "kubeforge-xtask"]
            .iter()
            .any(|name| l.starts_with(&format!("{name} = {{ path = ")))
    };
    text.lines()
        .filter(|l| !path_dependency(l))
        .collect::<Vec<_>>()
        .join("\n")
}

fn check_rescaffold(name: &str, hand_edited: &[&str]) -> Vec<String> {
    let example = repo_root().join("examples").join(name);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join(name);
    // `alpha generate` replays the commands PROJECT records: init, every API (deploy-image
    // options included) and controller, the webhooks, the plugins, the OLM kustomize bases.
    let (input, output) = (example.display().to_string(), out.display().to_string());
    scaffold(
        tmp.path(),
        &[
            "alpha",
            "generate",
            "--input-dir",
            &input,
            "--output-dir",
            &output,
        ]
        .map(String::from),
    );
    let mut problems = Vec::new();
    let ours = files(&example);
    for (path, expected) in files(&out) {
        if generated_by_xtask(&path) {
            continue;
        }
        if hand_edited.contains(&path.as_str()) {
            if ours.get(&path) == Some(&expected) {
                problems.push(format!(
                    "{name}/{path} is listed as edited by hand but is not"
                ));
            }
            continue;
        }
        match ours.get(&path) {
            None => problems.push(format!("{name}/{path}: scaffold writes it, the example lacks it")),
            Some(actual) if without_kubeforge_path(actual) != without_kubeforge_path(&expected) => {
                problems.push(format!(
                    "{name}/{path} differs from what scaffold writes; list it in HAND_EDITED if it was edited on purpose"
                ))
            }
            Some(_) => {}
        }
    }
    problems
}

#[test]
fn examples_are_scaffold_output_plus_the_listed_hand_edits() {
    let names: Vec<_> = std::fs::read_dir(repo_root().join("examples"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("PROJECT").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for name in &names {
        assert!(
            HAND_EDITED.iter().any(|(n, _)| n == name),
            "examples/{name} is missing from HAND_EDITED"
        );
    }
    let problems: Vec<String> = HAND_EDITED
        .iter()
        .flat_map(|(name, edited)| check_rescaffold(name, edited))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The packages examples ship, and the commands that make them (as their READMEs show). Each
/// is run with `--check`: the committed files must be what these commands generate now.
const PACKAGED: &[(&str, &[&[&str]])] = &[(
    "memcached-operator",
    &[
        &["generate", "kustomize", "manifests"],
        &["generate", "bundle", "--version", "0.0.1"],
        &["bundle", "validate", "bundle"],
        &["package", "osc", "-o", "osc"],
    ],
)];

#[test]
fn example_packages_are_what_scaffold_generates() {
    for (name, commands) in PACKAGED {
        let dir = repo_root().join("examples").join(name);
        for args in *commands {
            let mut args: Vec<&str> = args.to_vec();
            if args[0] != "bundle" {
                args.push("--check");
            }
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_scaffold"))
                .current_dir(&dir)
                .args(&args)
                .env_remove("SOURCE_DATE_EPOCH")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "examples/{name}: `scaffold {}` failed (regenerate with the same command without --check):\n{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn examples_build_lint_and_pass_their_tests() {
    for (name, _) in HAND_EDITED {
        let dir = repo_root().join("examples").join(name);
        run(&dir, "cargo", &["fmt", "--all", "--check"]);
        run(
            &dir,
            "cargo",
            &["clippy", "--all-targets", "--", "-D", "warnings"],
        );
        let tests = run(&dir, "cargo", &["test", "--workspace"]);
        assert!(!tests.contains("FAILED"), "{name}: {tests}");
        run(
            &dir,
            "cargo",
            &["xtask", "generate", "manifests", "--check"],
        );
    }
}
