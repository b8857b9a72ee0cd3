//! `scaffold alpha generate`: re-scaffolding a project from its PROJECT into another directory
//! reproduces every generated file byte for byte (except those the user edited), never touches
//! the input, and refuses outputs that are the input, inside it, around it, or not empty.

use std::path::Path;

use assert_cmd::Command;

mod common;

use common::{files, scaffold, scaffold_ok as ok, tree};

fn refused(dir: &Path, args: &[&str], expected: &str) {
    let out = scaffold(dir, args);
    assert!(!out.status.success(), "scaffold {args:?} succeeded");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(expected), "no {expected:?} in: {err}");
}

/// A project made by many commands, in `dir/project`: two versions of a kind with conversion
/// and admission webhooks, a cluster-scoped kind with a plural, a deploy-image kind, a built-in
/// kind's controller, a kind without controller, Grafana, OLM bases; multigroup.
fn scaffold_project(dir: &Path) {
    let gvk =
        |g: &str, v: &str, k: &str| ["--group", g, "--version", v, "--kind", k].map(String::from);
    let kubeforge = common::repo_root()
        .join("crates/kubeforge")
        .display()
        .to_string();
    let mut commands: Vec<Vec<String>> = vec![
        [
            "init",
            "-o",
            "project",
            "--domain",
            "example.com",
            "--multigroup",
            "--kubeforge-path",
            &kubeforge,
        ]
        .map(String::from)
        .to_vec(),
    ];
    let mut cmd = |words: &[&str], gvk: [String; 6], extra: &[&str]| {
        let mut c: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        c.extend(["-o".into(), "project".into()]);
        c.extend(gvk);
        c.extend(extra.iter().map(|w| w.to_string()));
        commands.push(c);
    };
    cmd(
        &["create", "api"],
        gvk("cache", "v1alpha1", "Memcached"),
        &[],
    );
    cmd(&["create", "api"], gvk("cache", "v1", "Memcached"), &[]);
    cmd(
        &["create", "api"],
        gvk("infra", "v1", "Cluster"),
        &["--namespaced=false", "--plural", "clusterz"],
    );
    cmd(
        &["create", "api"],
        gvk("infra", "v1", "Config"),
        &["--controller=false"],
    );
    cmd(
        &["create", "api"],
        gvk("web", "v1", "Nginx"),
        &[
            "--image",
            "nginx:1.27-alpine",
            "--image-container-port",
            "8080",
            "--image-container-command",
            "nginx,-g,daemon off;",
            "--run-as-user",
            "101",
        ],
    );
    cmd(&["create", "controller"], gvk("core", "v1", "Pod"), &[]);
    cmd(
        &["create", "webhook"],
        gvk("cache", "v1alpha1", "Memcached"),
        &[
            "--defaulting",
            "--programmatic-validation",
            "--conversion",
            "--spoke",
            "v1",
        ],
    );
    cmd(
        &["create", "webhook"],
        gvk("web", "v1", "Nginx"),
        &["--defaulting"],
    );
    commands.push(
        ["edit", "--plugins", "grafana", "-o", "project"]
            .map(String::from)
            .to_vec(),
    );
    commands.push(
        ["generate", "kustomize", "manifests", "-o", "project"]
            .map(String::from)
            .to_vec(),
    );
    for c in &commands {
        let args: Vec<&str> = c.iter().map(String::as_str).collect();
        ok(dir, &args);
    }
}

#[test]
fn regenerates_every_generated_file_and_leaves_the_input_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    scaffold_project(dir);
    let project = dir.join("project");
    let generated = files(&project);
    // The user's work: an edited types file and a file of their own.
    let types = "api/src/cache/v1alpha1/memcached_types.rs";
    let edited = generated[types].replace(
        "pub struct MemcachedSpec {",
        "pub struct MemcachedSpec {\n    pub replicas: i32,",
    );
    assert_ne!(edited, generated[types]);
    std::fs::write(project.join(types), &edited).unwrap();
    std::fs::write(project.join("src/mine.rs"), "// mine\n").unwrap();
    let input = tree(&project);

    let out = ok(
        &project,
        &["alpha", "generate", "--output-dir", "../regenerated"],
    );
    assert!(out.contains("running `scaffold create webhook -o ../regenerated --group cache --version v1alpha1 --kind Memcached --defaulting --programmatic-validation --conversion --spoke v1`"), "{out}");
    assert_eq!(tree(&project), input, "alpha generate changed its input");
    let regenerated = files(&dir.join("regenerated"));
    let mut expected = generated.clone();
    assert_eq!(
        regenerated.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "the same files, without the user's own"
    );
    let differing: Vec<&String> = regenerated
        .iter()
        .filter(|(path, text)| expected.get(*path) != Some(text))
        .map(|(path, _)| path)
        .collect();
    assert!(
        differing.is_empty(),
        "not byte-identical to the first scaffold: {differing:?}"
    );
    expected.insert(types.into(), edited);
    assert_ne!(
        regenerated[types], expected[types],
        "the user's edit is for them to carry over"
    );
    // Nothing is left beside the output.
    let siblings: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(siblings.len(), 2, "{siblings:?}");
}

/// A bare project in `dir/project`.
fn init(dir: &Path) {
    let args = [
        "init",
        "-o",
        "project",
        "--domain",
        "example.com",
        "--kubeforge-version",
        "0.1.0",
    ];
    ok(dir, &args);
}

#[test]
fn refuses_outputs_that_could_touch_the_input_or_the_users_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir);
    let project = dir.join("project");
    // Each refusal names the rule and leaves the whole tree as it was.
    let refused_unchanged = |out: &str, expected: &str| {
        let before = tree(dir);
        let args = [
            "alpha",
            "generate",
            "--input-dir",
            "project",
            "--output-dir",
            out,
        ];
        refused(dir, &args, expected);
        assert_eq!(
            tree(dir),
            before,
            "refused, yet changed the tree (output {out})"
        );
    };
    refused_unchanged("project", "must be outside the input project");
    refused_unchanged("project/./", "must be outside the input project");
    refused_unchanged("project/regenerated", "must be outside the input project");
    refused_unchanged(".", "holds the input project");
    std::fs::create_dir(dir.join("taken")).unwrap();
    std::fs::write(dir.join("taken/notes.txt"), "mine\n").unwrap();
    let before = tree(dir);
    refused_unchanged("taken", "exists and is not empty; use --force");
    refused_unchanged("taken/notes.txt", "is a file");
    refused(
        &project.join("config"),
        &["alpha", "generate", "--output-dir", "../../x"],
        "not a Kubeforge project",
    );

    let out = ok(
        dir,
        &[
            "alpha",
            "generate",
            "--input-dir",
            "project",
            "--output-dir",
            "taken",
            "--dry-run",
        ],
    );
    assert!(
        out.contains("would write") && out.contains("dry run"),
        "{out}"
    );
    assert_eq!(tree(dir), before);
    ok(
        dir,
        &[
            "alpha",
            "generate",
            "--input-dir",
            "project",
            "--output-dir",
            "taken",
            "--force",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("taken/notes.txt")).unwrap(),
        "mine\n"
    );
    let mut regenerated = files(&dir.join("taken"));
    regenerated.remove("notes.txt");
    assert_eq!(regenerated, files(&project));
}

#[test]
fn the_helm_chart_goes_where_project_says() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir);
    let project = dir.join("project");
    ok(
        &project,
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
    );
    // As `cargo xtask generate manifests` would write it from the types; the chart renders it.
    let crd = "config/crd/bases/cache.example.com_memcacheds.yaml";
    std::fs::create_dir_all(project.join("config/crd/bases")).unwrap();
    let yaml = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: memcacheds.cache.example.com\nspec:\n  group: cache.example.com\n  names:\n    kind: Memcached\n    plural: memcacheds\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n";
    std::fs::write(project.join(crd), yaml).unwrap();
    ok(&project, &["edit", "--plugins", "helm"]);
    let text = std::fs::read_to_string(project.join("PROJECT")).unwrap();
    let text = text.replace("output: dist", "output: deploy");
    std::fs::write(project.join("PROJECT"), text).unwrap();
    std::fs::rename(project.join("dist"), project.join("deploy")).unwrap();
    ok(&project, &["generate", "helm"]);
    ok(
        dir,
        &[
            "alpha",
            "generate",
            "--input-dir",
            "project",
            "--output-dir",
            "out",
        ],
    );
    assert_eq!(files(&dir.join("out")), files(&project));
    assert!(!dir.join("out/dist").exists());
}

#[test]
fn a_failing_replay_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir);
    // The helm plugin renders the install with kubectl; without one the replay fails there, after
    // init has run.
    let text = std::fs::read_to_string(dir.join("project/PROJECT")).unwrap();
    let text = text.replace(
        "projectName:",
        "plugins:\n  helm.kubebuilder.io/v2-alpha:\n    manifests: dist/install.yaml\n    output: dist\nprojectName:",
    );
    std::fs::write(dir.join("project/PROJECT"), text).unwrap();
    let before = tree(dir);
    let out = Command::cargo_bin("scaffold")
        .unwrap()
        .current_dir(dir)
        .env("KUBECTL", "/nonexistent/kubectl")
        .args([
            "alpha",
            "generate",
            "--input-dir",
            "project",
            "--output-dir",
            "out",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("replaying `scaffold edit --plugins helm -o out`"),
        "{err}"
    );
    assert_eq!(
        tree(dir),
        before,
        "a failed alpha generate left files behind"
    );
}

#[test]
fn a_namespaced_project_regenerates_namespaced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir);
    let project = dir.join("project");
    ok(
        &project,
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
    );
    // Converted after the fact, as users do: PROJECT records it, the replay turns it on at init.
    ok(&project, &["edit", "--namespaced"]);
    let converted = files(&project);
    ok(
        &project,
        &["alpha", "generate", "--output-dir", "../regenerated"],
    );
    let regenerated = files(&dir.join("regenerated"));
    let differing: Vec<&String> = converted
        .iter()
        .filter(|(path, text)| regenerated.get(*path) != Some(text))
        .map(|(path, _)| path)
        .collect();
    assert!(
        differing.is_empty(),
        "differs after the replay: {differing:?}"
    );
    assert!(regenerated["config/rbac/role_binding.yaml"].contains("kind: RoleBinding"));
}
