//! `create webhook` adds a webhook type (defaulting, validation, conversion) to a kind that
//! already has webhooks without `--force`, in either order, keeping what the user wrote in the
//! kind's webhook file; and the file ends up as `create webhook` with every type at once
//! writes it.

use std::path::Path;

mod common;

use common::{WEBHOOK, files, run, scaffold};

const FILE: &str = "src/webhook/memcached_v1alpha1.rs";

fn ok(dir: &Path, args: &[&str]) {
    run(dir, env!("CARGO_BIN_EXE_scaffold"), args);
}

/// A project with Memcached v1alpha1 (the storage version, the hub) and v1.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(
        dir,
        &["init", "--domain", "example.com", "--project-name", "demo"],
    );
    for version in ["v1alpha1", "v1"] {
        let api = ["create", "api", "--group", "cache", "--version", version];
        ok(dir, &[&api[..], &["--kind", "Memcached"]].concat());
    }
    tmp
}

fn webhook(dir: &Path, types: &[&str]) -> std::process::Output {
    scaffold(dir, &[WEBHOOK, types].concat())
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap()
}

/// The user's own code in the defaulter, which no later `create webhook` may touch.
fn edit_defaulter(dir: &Path) {
    let text = read(dir, FILE);
    let edited = text.replace(
        "// TODO(user): fill in your defaulting logic.",
        "// The user's own defaulting logic.",
    );
    assert_ne!(text, edited);
    std::fs::write(dir.join(FILE), edited).unwrap();
}

const ALL: &[&str] = &[
    "--defaulting",
    "--programmatic-validation",
    "--conversion",
    "--spoke",
    "v1",
];

#[test]
fn types_added_one_by_one_give_the_file_all_at_once_gives() {
    let at_once = project();
    assert!(webhook(at_once.path(), ALL).status.success());
    let one_by_one = project();
    let dir = one_by_one.path();
    assert!(webhook(dir, &["--defaulting"]).status.success());
    edit_defaulter(dir);
    for types in [
        &["--programmatic-validation"][..],
        &["--conversion", "--spoke", "v1"],
    ] {
        let out = webhook(dir, types);
        assert!(
            out.status.success(),
            "adding {types:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    edit_defaulter(at_once.path());
    assert_eq!(files(at_once.path()), files(dir));
}

#[test]
fn a_conversion_added_to_a_defaulting_webhook_keeps_the_users_code() {
    let tmp = project();
    let dir = tmp.path();
    assert!(webhook(dir, &["--defaulting"]).status.success());
    edit_defaulter(dir);
    let before = read(dir, FILE);
    let out = webhook(dir, &["--conversion", "--spoke", "v1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = read(dir, FILE);
    assert!(after.contains("// The user's own defaulting logic."));
    assert!(after.contains("conversion = conversion.spoke::<demo_api::v1::Memcached>();"));
    assert!(after.contains("async fn converts_to_every_spoke_and_back()"));
    // Only lines were added: the old file is the new one without them.
    let mut added = after.lines().filter(|l| !before.lines().any(|b| b == *l));
    assert!(added.all(|l| !l.contains("Defaulter")));
    assert!(dir.join("api/src/v1/memcached_conversion.rs").is_file());
    assert!(read(dir, "PROJECT").contains("conversion: true"));
}

#[test]
fn defaulting_and_validation_added_to_a_conversion_webhook() {
    let tmp = project();
    let dir = tmp.path();
    assert!(
        webhook(dir, &["--conversion", "--spoke", "v1"])
            .status
            .success()
    );
    let out = webhook(dir, &["--defaulting", "--programmatic-validation"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = read(dir, FILE);
    let conversion = text
        .find("server = server.conversion(conversion);")
        .unwrap();
    let defaulter = text
        .find("server = server.defaulter::<Memcached, _>")
        .unwrap();
    assert!(
        conversion < defaulter,
        "new registrations go after the old ones"
    );
    assert!(text.contains("impl CustomValidator<Memcached> for MemcachedValidator"));
    let project = read(dir, "PROJECT");
    for key in ["conversion: true", "defaulting: true", "validation: true"] {
        assert!(project.contains(key), "{project}");
    }
    let defaults = read(dir, "config/default/kustomization.yaml");
    for webhook in [
        "ValidatingWebhook",
        "DefaultingWebhook",
        "ConversionWebhook",
    ] {
        let block = format!("\n - source: # Uncomment the following block if you have a {webhook}");
        assert!(
            defaults.contains(&block),
            "{webhook} CA injection not enabled"
        );
    }
}

#[test]
fn a_type_the_kind_has_already_is_refused_without_force() {
    let tmp = project();
    let dir = tmp.path();
    assert!(webhook(dir, &["--defaulting"]).status.success());
    edit_defaulter(dir);
    let before = files(dir);
    let out = webhook(dir, &["--defaulting", "--programmatic-validation"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("already has webhooks"), "{stderr}");
    assert_eq!(before, files(dir));
}

#[test]
fn a_webhook_file_project_does_not_know_is_refused() {
    let tmp = project();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("src/webhook")).unwrap();
    std::fs::write(dir.join(FILE), "// the user's own webhooks\n").unwrap();
    let before = files(dir);
    let out = webhook(dir, &["--defaulting"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(FILE), "{stderr}");
    assert_eq!(before, files(dir));
}

#[test]
fn a_removed_marker_is_named_and_nothing_is_written() {
    let tmp = project();
    let dir = tmp.path();
    assert!(webhook(dir, &["--defaulting"]).status.success());
    let text = read(dir, FILE).replace("    // +kubeforge:scaffold:webhook-tests\n", "");
    std::fs::write(dir.join(FILE), text).unwrap();
    let before = files(dir);
    let out = webhook(dir, &["--programmatic-validation"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(FILE) && stderr.contains("+kubeforge:scaffold:webhook-tests"),
        "{stderr}"
    );
    assert_eq!(before, files(dir));
}
