//! The examples/ operators are scaffold output plus hand-written code. For each one:
//!
//! 1. re-running the scaffold commands its PROJECT records (init, create api with the
//!    deploy-image options, create controller, create webhook) in a temporary directory
//!    reproduces every file the example did not edit by hand (`HAND_EDITED` lists those);
//! 2. it passes `cargo fmt --check`, `cargo clippy --all-targets -D warnings`, `cargo test`
//!    (its controllers' tests run against a mocked API server) and
//!    `cargo xtask generate manifests --check`.
//!
//! The examples share the target dir of the generated-project test
//! (target/generated-projects/target), so dependencies build once.

use std::path::Path;

use serde_json::Value;

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

/// The scaffold commands that made a project, replayed from its PROJECT (kubebuilder's
/// `alpha generate`): init, every API (deploy-image options included), every controller of a
/// kind the project does not own, the webhooks (conversions need all versions first), then the
/// Grafana dashboards and the OLM kustomize bases when the project has them.
fn commands(project: &Value, out: &Path) -> Vec<Vec<String>> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let o = out.display().to_string();
    let kubeforge = repo_root().join("crates/kubeforge").display().to_string();
    let mut init = vec!["init".into(), "-o".into(), o.clone()];
    init.extend(["--domain".into(), s(&project["domain"])]);
    init.extend(["--project-name".into(), s(&project["projectName"])]);
    init.extend(["--kubeforge-path".into(), kubeforge]);
    if project["multigroup"] == true {
        init.push("--multigroup".into());
    }
    let mut cmds = vec![init];
    let images = project["plugins"]["deploy-image.kubeforge.io/v1-alpha"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let resources = project["resources"].as_array().cloned().unwrap_or_default();
    let gvk = |r: &Value| {
        let mut args = vec!["-o".to_owned(), o.clone()];
        for key in ["group", "version", "kind"] {
            args.extend([format!("--{key}"), s(&r[key])]);
        }
        args
    };
    for r in &resources {
        let mut cmd: Vec<String>;
        if r["api"].is_object() {
            cmd = vec!["create".into(), "api".into()];
            cmd.extend(gvk(r));
            if let Some(plural) = r["plural"].as_str() {
                cmd.extend(["--plural".into(), plural.into()]);
            }
            cmd.push(format!("--namespaced={}", r["api"]["namespaced"] == true));
            cmd.push(format!("--controller={}", r["controller"] == true));
            let image = images
                .iter()
                .find(|i| ["group", "version", "kind"].iter().all(|k| i[*k] == r[*k]));
            if let Some(image) = image {
                for (key, flag) in [
                    ("image", "--image"),
                    ("containerPort", "--image-container-port"),
                    ("containerCommand", "--image-container-command"),
                    ("runAsUser", "--run-as-user"),
                ] {
                    if let Some(v) = image["options"][key].as_str() {
                        cmd.extend([flag.into(), v.into()]);
                    }
                }
            }
        } else {
            cmd = vec!["create".into(), "controller".into()];
            cmd.extend(gvk(r));
        }
        cmds.push(cmd);
    }
    for r in resources.iter().filter(|r| r["webhooks"].is_object()) {
        let w = &r["webhooks"];
        let mut cmd = vec!["create".into(), "webhook".into()];
        cmd.extend(gvk(r));
        for (key, flag) in [
            ("defaulting", "--defaulting"),
            ("validation", "--programmatic-validation"),
            ("conversion", "--conversion"),
        ] {
            if w[key] == true {
                cmd.push(flag.into());
            }
        }
        for spoke in w["spoke"].as_array().into_iter().flatten() {
            cmd.extend(["--spoke".into(), s(spoke)]);
        }
        cmds.push(cmd);
    }
    if project["plugins"]["grafana.kubebuilder.io/v1-alpha"].is_object() {
        cmds.push(vec![
            "edit".into(),
            "--plugins".into(),
            "grafana".into(),
            "-o".into(),
            o.clone(),
        ]);
    }
    if project["plugins"]["manifests.sdk.operatorframework.io/v2"].is_object() {
        cmds.push(vec![
            "generate".into(),
            "kustomize".into(),
            "manifests".into(),
            "-o".into(),
            o.clone(),
        ]);
    }
    cmds
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
    let text = std::fs::read_to_string(example.join("PROJECT")).unwrap();
    let project: Value = serde_saphyr::from_str(&text).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join(name);
    for cmd in commands(&project, &out) {
        scaffold(tmp.path(), &cmd);
    }
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
