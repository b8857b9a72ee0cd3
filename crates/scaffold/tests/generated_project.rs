//! End to end: scaffold a project (two kinds, a second version of one, a controller for core/v1
//! Pod; webhooks; a kind and a webhook type added and deleted again), then inside it: cargo
//! build, test, clippy, fmt, `cargo xtask generate crds --check`, and
//! `kubectl kustomize config/default` (kubectl with built-in kustomize, at /usr/bin/kubectl or on
//! PATH), checking the rendered objects.
//!
//! Generated projects share one target dir (target/generated-projects/target), so kube-rs and
//! the rest build once per machine, not once per test run.

use std::process::Command;

use serde_json::Value;

mod common;

use common::{WEBHOOK, repo_root, run};

fn kubectl() -> String {
    for candidate in ["/usr/bin/kubectl", "kubectl"] {
        if Command::new(candidate)
            .arg("version")
            .arg("--client")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return candidate.to_owned();
        }
    }
    panic!("kubectl (with built-in kustomize) is needed: .ci/run installs it");
}

fn docs(yaml: &str) -> Vec<Value> {
    yaml.split("\n---")
        .filter(|d| !d.trim().is_empty() && d.trim() != "---")
        .map(|d| {
            serde_saphyr::from_str::<Value>(d.trim_start_matches("---"))
                .unwrap_or_else(|e| panic!("{e}:\n{d}"))
        })
        .collect()
}

#[test]
fn scaffolded_project_builds_tests_lints_and_renders() {
    let scaffold = env!("CARGO_BIN_EXE_scaffold");
    let base = repo_root().join("target/generated-projects");
    let dir = base.join("demo");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for args in [
        &["init", "--domain", "example.com", "--project-name", "demo"][..],
        &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1alpha1",
            "--kind",
            "Memcached",
        ],
        &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
        ],
        &[
            "create",
            "api",
            "--group",
            "ops",
            "--version",
            "v1",
            "--kind",
            "Backup",
            "--namespaced=false",
        ],
        &[
            "create",
            "controller",
            "--group",
            "core",
            "--version",
            "v1",
            "--kind",
            "Pod",
        ],
    ] {
        run(&dir, scaffold, args);
    }
    // Formatting is checked per package: `cargo fmt --all` would also check kubeforge, a path
    // dependency.
    let fmt_check = [
        "fmt", "--check", "-p", "demo", "-p", "demo-api", "-p", "xtask",
    ];
    // A project without webhooks builds and lints too (the webhook markers in main.rs stay inert).
    run(&dir, "cargo", &fmt_check);
    run(
        &dir,
        "cargo",
        &["clippy", "--all-targets", "--", "-D", "warnings"],
    );
    // The conversion first, then the admission webhooks added to the same file at its markers.
    for types in [
        &["--conversion", "--spoke", "v1"][..],
        &["--defaulting", "--programmatic-validation"],
    ] {
        run(&dir, scaffold, &[WEBHOOK, types].concat());
    }
    // `delete` leaves a project that builds, tests and lints: one webhook type of a kind out of
    // its file (validation stays), and one of two kinds of a version out of the api crate.
    let spare = ["--group", "ops", "--version", "v1", "--kind", "Spare"];
    let temp = ["--group", "ops", "--version", "v1", "--kind", "Temp"];
    for args in [
        [&["create", "api"][..], &spare].concat(),
        [
            &["create", "webhook"][..],
            &spare,
            &["--defaulting", "--programmatic-validation"],
        ]
        .concat(),
        [&["delete", "webhook"][..], &spare, &["--defaulting"]].concat(),
        [&["create", "api"][..], &temp].concat(),
        [&["delete", "api"][..], &temp].concat(),
    ] {
        run(&dir, scaffold, &args);
    }
    run(&dir, "cargo", &["xtask", "generate", "manifests"]);
    run(&dir, "cargo", &fmt_check);
    run(&dir, "cargo", &["build"]);
    run(&dir, "cargo", &["test", "--workspace"]);
    run(
        &dir,
        "cargo",
        &["clippy", "--all-targets", "--", "-D", "warnings"],
    );
    run(&dir, "cargo", &["xtask", "generate", "crds", "--check"]);
    run(&dir, "cargo", &["xtask", "generate", "rbac", "--check"]);
    run(&dir, "cargo", &["xtask", "generate", "webhooks", "--check"]);

    let rendered = run(&dir, &kubectl(), &["kustomize", "config/default"]);
    let objects = docs(&rendered);
    let of_kind = |k: &'static str| objects.iter().filter(move |o| o["kind"] == k);

    // CRDs: both Memcached versions, exactly one storage version; Backup is cluster-scoped.
    let memcached = of_kind("CustomResourceDefinition")
        .find(|c| c["metadata"]["name"] == "memcacheds.cache.example.com")
        .expect("Memcached CRD rendered");
    let versions = memcached["spec"]["versions"].as_array().unwrap();
    let names: Vec<&str> = versions
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["v1", "v1alpha1"]);
    let storage: Vec<&str> = versions
        .iter()
        .filter(|v| v["storage"] == true)
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        storage,
        ["v1alpha1"],
        "the first version scaffolded stays the storage version"
    );
    let backup = of_kind("CustomResourceDefinition")
        .find(|c| c["metadata"]["name"] == "backups.ops.example.com")
        .expect("Backup CRD");
    assert_eq!(backup["spec"]["scope"], "Cluster");

    // Webhooks: conversion through the webhook Service, cert-manager CA injection everywhere.
    let inject = "cert-manager.io/inject-ca-from";
    let ca = "demo-system/demo-serving-cert";
    assert_eq!(memcached["spec"]["conversion"]["strategy"], "Webhook");
    let service = &memcached["spec"]["conversion"]["webhook"]["clientConfig"]["service"];
    assert_eq!(service["name"], "demo-webhook-service");
    assert_eq!(service["namespace"], "demo-system");
    assert_eq!(service["path"], "/convert");
    assert_eq!(memcached["metadata"]["annotations"][inject], ca);
    for kind in [
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    ] {
        let config = of_kind(kind)
            .next()
            .unwrap_or_else(|| panic!("{kind} rendered"));
        assert_eq!(config["metadata"]["annotations"][inject], ca, "{kind}");
        let client = &config["webhooks"][0]["clientConfig"]["service"];
        assert_eq!(client["name"], "demo-webhook-service", "{kind}");
        assert_eq!(client["namespace"], "demo-system", "{kind}");
    }
    let certificate = of_kind("Certificate")
        .find(|c| c["metadata"]["name"] == "demo-serving-cert")
        .expect("cert-manager Certificate rendered");
    assert_eq!(
        certificate["spec"]["dnsNames"][0],
        "demo-webhook-service.demo-system.svc"
    );
    assert!(of_kind("Issuer").next().is_some());

    // The manager Deployment is secure by default.
    let deployment = of_kind("Deployment").next().expect("manager Deployment");
    assert_eq!(deployment["metadata"]["namespace"], "demo-system");
    let pod = &deployment["spec"]["template"]["spec"];
    assert_eq!(pod["securityContext"]["runAsNonRoot"], true);
    assert_eq!(
        pod["securityContext"]["seccompProfile"]["type"],
        "RuntimeDefault"
    );
    let container = &pod["containers"][0];
    let sc = &container["securityContext"];
    assert_eq!(sc["readOnlyRootFilesystem"], true);
    assert_eq!(sc["allowPrivilegeEscalation"], false);
    assert_eq!(sc["capabilities"]["drop"], serde_json::json!(["ALL"]));
    for probe in ["livenessProbe", "readinessProbe"] {
        assert!(
            container[probe]["httpGet"]["path"].is_string(),
            "{probe} set"
        );
    }
    for kind in ["limits", "requests"] {
        assert!(
            container["resources"][kind]["cpu"].is_string()
                && container["resources"][kind]["memory"].is_string(),
            "resources.{kind}"
        );
    }

    // RBAC: the manager's rules come from #[rbac] markers and use no wildcards.
    let manager_role = of_kind("ClusterRole")
        .find(|r| r["metadata"]["name"] == "demo-manager-role")
        .expect("manager ClusterRole");
    let rules = manager_role["rules"].as_array().expect("rules");
    assert!(!rules.is_empty());
    for role in of_kind("ClusterRole").chain(of_kind("Role")) {
        let name = role["metadata"]["name"].as_str().unwrap_or_default();
        for rule in role["rules"].as_array().into_iter().flatten() {
            for key in ["verbs", "resources", "apiGroups"] {
                let values = rule[key].as_array().cloned().unwrap_or_default();
                assert!(
                    !values.iter().any(|v| v == "*"),
                    "{name} has a wildcard in {key}: {rule}"
                );
            }
        }
    }
    let has = |group: &str, resource: &str, verb: &str| {
        rules.iter().any(|r| {
            let contains =
                |k: &str, v: &str| r[k].as_array().is_some_and(|a| a.iter().any(|x| x == v));
            contains("apiGroups", group)
                && contains("resources", resource)
                && contains("verbs", verb)
        })
    };
    assert!(has("cache.example.com", "memcacheds", "watch"));
    assert!(has("cache.example.com", "memcacheds/status", "patch"));
    assert!(has("cache.example.com", "memcacheds/finalizers", "update"));
    assert!(has("", "pods", "watch"));
}
