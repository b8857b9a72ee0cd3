//! Bad input never panics, exits non-zero with a message naming the flag (or file) and the rule,
//! and leaves the directory tree byte-identical.

use std::path::Path;

use assert_cmd::Command;

mod common;

use common::{WEBHOOK, copy_dir, tree};

fn scaffold() -> Command {
    Command::cargo_bin("scaffold").expect("binary built")
}

fn init_project(dir: &Path) {
    scaffold()
        .args([
            "init",
            "--domain",
            "example.com",
            "--project-name",
            "demo",
            "--kubeforge-version",
            "0.1.0",
            "-o",
        ])
        .arg(dir)
        .assert()
        .success();
}

fn create_memcached(dir: &Path) {
    scaffold()
        .args([
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1alpha1",
            "--kind",
            "Memcached",
            "-o",
        ])
        .arg(dir)
        .assert()
        .success();
}

fn scaffold_in(dir: &Path, args: &[&str]) {
    scaffold().args(args).arg("-o").arg(dir).assert().success();
}

/// operator-sdk's memcached-operator bundle, as `bundle/` and `bundle.Dockerfile` of `dir`.
fn copy_bundle(dir: &Path) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/operator-sdk/memcached-operator");
    copy_dir(&fixture.join("bundle"), &dir.join("bundle"));
    std::fs::copy(
        fixture.join("bundle.Dockerfile"),
        dir.join("bundle.Dockerfile"),
    )
    .unwrap();
}

/// A project with the fixture's bundle, packaged once with `package osc -o pkg --zip`.
fn packaged(dir: &Path) {
    copy_bundle(dir);
    scaffold()
        .current_dir(dir)
        .args(["package", "osc", "-o", "pkg", "--zip"])
        .assert()
        .success();
}

/// `len` bytes of text deflate cannot shrink much (6 bits of a 64-letter alphabet per byte).
fn incompressible(len: usize) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            LETTERS[(state % 64) as usize] as char
        })
        .collect()
}

const PACKAGE: &[&str] = &["package", "osc", "-o", "pkg"];

enum Setup {
    Empty,
    Project,
    ProjectWithApi,
    Write(&'static str, &'static str),
    ProjectThen(fn(&Path)),
}

struct Case {
    name: &'static str,
    setup: Setup,
    args: &'static [&'static str],
    /// Every one of these must appear in stderr.
    expect: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "domain with underscore",
        setup: Setup::Empty,
        args: &["init", "--domain", "bad_domain.com"],
        expect: &["--domain", "DNS-1123 subdomain"],
    },
    Case {
        name: "domain starting with dash",
        setup: Setup::Empty,
        args: &["init", "--domain=-x.com"],
        expect: &["--domain", "DNS-1123"],
    },
    Case {
        name: "domain upper case",
        setup: Setup::Empty,
        args: &["init", "--domain", "Example.com"],
        expect: &["--domain"],
    },
    Case {
        name: "project name with space",
        setup: Setup::Empty,
        args: &["init", "--project-name", "my project"],
        expect: &["--project-name", "DNS-1123 label"],
    },
    Case {
        name: "project name too long",
        setup: Setup::Empty,
        args: &[
            "init",
            "--project-name",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ],
        expect: &["--project-name", "at most 63"],
    },
    Case {
        name: "project name upper case",
        setup: Setup::Empty,
        args: &["init", "--project-name", "Demo"],
        expect: &["--project-name"],
    },
    Case {
        name: "init over an existing project",
        setup: Setup::Project,
        args: &["init"],
        expect: &["already holds a Kubeforge project"],
    },
    Case {
        name: "kubeforge path missing",
        setup: Setup::Empty,
        args: &["init", "--kubeforge-path", "/nonexistent/kubeforge"],
        expect: &["--kubeforge-path", "existing directory"],
    },
    Case {
        name: "kubeforge path and version",
        setup: Setup::Empty,
        args: &[
            "init",
            "--kubeforge-path",
            ".",
            "--kubeforge-version",
            "0.1",
        ],
        expect: &["--kubeforge-path", "cannot be used with"],
    },
    Case {
        name: "kubeforge version with shell",
        setup: Setup::Empty,
        args: &["init", "--kubeforge-version", "0.1; rm -rf /"],
        expect: &["--kubeforge-version", "version requirement"],
    },
    Case {
        name: "unknown license",
        setup: Setup::Empty,
        args: &["init", "--license", "gpl"],
        expect: &["--license", "gpl"],
    },
    Case {
        name: "create api outside a project",
        setup: Setup::Empty,
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
        ],
        expect: &["not a Kubeforge project", "scaffold init"],
    },
    Case {
        name: "kind lower case",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "memcached",
        ],
        expect: &["--kind", "UpperCamelCase"],
    },
    Case {
        name: "kind with dash",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Foo-Bar",
        ],
        expect: &["--kind", "UpperCamelCase"],
    },
    Case {
        name: "kind ending in List",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "FooList",
        ],
        expect: &["--kind", "List"],
    },
    Case {
        name: "kind is a Rust keyword",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Self",
        ],
        expect: &["--kind"],
    },
    Case {
        name: "version without v",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "1",
            "--kind",
            "Memcached",
        ],
        expect: &["--version", "v1alpha1"],
    },
    Case {
        name: "version alpha without number",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1alpha",
            "--kind",
            "Memcached",
        ],
        expect: &["--version"],
    },
    Case {
        name: "version zero",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v0",
            "--kind",
            "Memcached",
        ],
        expect: &["--version"],
    },
    Case {
        name: "group upper case",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "Cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
        ],
        expect: &["--group", "DNS-1123"],
    },
    Case {
        name: "group empty",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "",
            "--version",
            "v1",
            "--kind",
            "Memcached",
        ],
        expect: &["--group"],
    },
    Case {
        name: "group core for an api",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "core",
            "--version",
            "v1",
            "--kind",
            "Thing",
        ],
        expect: &["--group", "create controller"],
    },
    Case {
        name: "duplicate group version kind",
        setup: Setup::ProjectWithApi,
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1alpha1",
            "--kind",
            "Memcached",
        ],
        expect: &["already exists in PROJECT", "--force"],
    },
    Case {
        name: "plural upper case",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
            "--plural",
            "Memcacheds",
        ],
        expect: &["--plural"],
    },
    Case {
        name: "nothing to scaffold",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
            "--resource=false",
            "--controller=false",
        ],
        expect: &["--resource/--controller"],
    },
    Case {
        name: "controller for a kind with no api",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
            "--resource=false",
        ],
        expect: &["--resource", "existing API"],
    },
    Case {
        name: "namespaced not a bool",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
            "--namespaced=maybe",
        ],
        expect: &["--namespaced", "maybe"],
    },
    Case {
        name: "corrupted PROJECT",
        setup: Setup::Write("PROJECT", "{{{ not yaml"),
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
        ],
        expect: &["PROJECT is not valid"],
    },
    Case {
        name: "PROJECT of another tool",
        setup: Setup::Write(
            "PROJECT",
            "cliVersion: x\ndomain: example.com\nlayout:\n- go.kubebuilder.io/v4\nprojectName: demo\nrepo: demo\nversion: \"3\"\n",
        ),
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
        ],
        expect: &["PROJECT is not valid", "kubeforge.io/v1"],
    },
    Case {
        name: "PROJECT with a bad domain",
        setup: Setup::Write(
            "PROJECT",
            "cliVersion: x\ndomain: Bad_Domain\nlayout:\n- kubeforge.io/v1\nprojectName: demo\nrepo: demo\nversion: \"3\"\n",
        ),
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
        ],
        expect: &["PROJECT is not valid", "domain"],
    },
    Case {
        name: "PROJECT with an unknown key",
        setup: Setup::Write(
            "PROJECT",
            "cliVersion: x\ndomain: example.com\nlayout:\n- kubeforge.io/v1\nprojectName: demo\nrepo: demo\nversion: \"3\"\nsurprise: 1\n",
        ),
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
        ],
        expect: &["PROJECT is not valid", "surprise"],
    },
    Case {
        name: "core controller with lower-case kind",
        setup: Setup::Project,
        args: &[
            "create",
            "controller",
            "--group",
            "core",
            "--version",
            "v1",
            "--kind",
            "pod",
        ],
        expect: &["--kind"],
    },
    Case {
        name: "controller for an unknown own kind",
        setup: Setup::Project,
        args: &[
            "create",
            "controller",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
        ],
        expect: &["--resource", "existing API"],
    },
    Case {
        name: "marker removed by the user",
        setup: Setup::ProjectThen(|dir| {
            std::fs::write(dir.join("config/crd/kustomization.yaml"), "resources: []\n").unwrap()
        }),
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
        ],
        expect: &["config/crd/kustomization.yaml", "marker"],
    },
    Case {
        name: "hand-written file in the way",
        setup: Setup::ProjectThen(|dir| {
            std::fs::create_dir_all(dir.join("config/samples")).unwrap();
            std::fs::write(dir.join("config/samples/cache_v1_memcached.yaml"), "mine\n").unwrap();
        }),
        args: &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
        ],
        expect: &["config/samples/cache_v1_memcached.yaml", "--force"],
    },
    Case {
        name: "output is a file",
        setup: Setup::Write("file.txt", "x"),
        args: &["init", "-o", "file.txt"],
        expect: &["--output", "must be a directory"],
    },
    Case {
        name: "output under a file",
        setup: Setup::Write("file.txt", "x"),
        args: &["init", "--project-name", "demo", "-o", "file.txt/sub"],
        expect: &["file.txt/sub"],
    },
    Case {
        name: "webhook with nothing to scaffold",
        setup: Setup::ProjectWithApi,
        args: WEBHOOK,
        expect: &[
            "--defaulting/--programmatic-validation/--conversion",
            "at least one",
        ],
    },
    Case {
        name: "webhook for a kind that is not in PROJECT",
        setup: Setup::Project,
        args: &[
            "create",
            "webhook",
            "--group",
            "cache",
            "--version",
            "v1alpha1",
            "--kind",
            "Memcached",
            "--defaulting",
        ],
        expect: &["--kind", "must be an API of this project"],
    },
    Case {
        name: "webhook for a core kind",
        setup: Setup::Project,
        args: &[
            "create",
            "webhook",
            "--group",
            "core",
            "--version",
            "v1",
            "--kind",
            "Pod",
            "--programmatic-validation",
        ],
        expect: &["--group", "built-in API group"],
    },
    Case {
        name: "webhook spoke without conversion",
        setup: Setup::ProjectWithApi,
        args: &[
            "create",
            "webhook",
            "--group",
            "cache",
            "--version",
            "v1alpha1",
            "--kind",
            "Memcached",
            "--defaulting",
            "--spoke",
            "v1",
        ],
        expect: &["--spoke", "needs --conversion"],
    },
    Case {
        name: "webhook spoke that is not a version",
        setup: Setup::ProjectWithApi,
        args: &[
            "create",
            "webhook",
            "--group",
            "cache",
            "--version",
            "v1alpha1",
            "--kind",
            "Memcached",
            "--conversion",
            "--spoke",
            "2",
        ],
        expect: &["--spoke", "Kubernetes API version"],
    },
    Case {
        name: "webhook spoke that is not a version of the kind",
        setup: Setup::ProjectWithApi,
        args: &[
            "create",
            "webhook",
            "--group",
            "cache",
            "--version",
            "v1alpha1",
            "--kind",
            "Memcached",
            "--conversion",
            "--spoke",
            "v1",
        ],
        expect: &["--spoke", "must be an existing version"],
    },
    Case {
        name: "webhook conversion on a version that is not the hub",
        setup: Setup::ProjectThen(|dir| {
            create_memcached(dir);
            let mut v1 = WEBHOOK[..2].to_vec();
            v1.extend(["--group", "cache", "--version", "v1", "--kind", "Memcached"]);
            v1[1] = "api";
            scaffold_in(dir, &v1);
        }),
        args: &[
            "create",
            "webhook",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            "Memcached",
            "--conversion",
            "--spoke",
            "v1alpha1",
        ],
        expect: &["--version", "storage version"],
    },
    Case {
        name: "webhook scaffolded again without --force",
        setup: Setup::ProjectThen(|dir| {
            create_memcached(dir);
            let mut args = WEBHOOK.to_vec();
            args.push("--defaulting");
            scaffold_in(dir, &args);
        }),
        args: &[
            "create",
            "webhook",
            "--group",
            "cache",
            "--version",
            "v1alpha1",
            "--kind",
            "Memcached",
            "--defaulting",
        ],
        expect: &["already has webhooks", "--force"],
    },
    Case {
        name: "image with a space",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "web",
            "--version",
            "v1",
            "--kind",
            "Nginx",
            "--image",
            "nginx 1.27",
        ],
        expect: &["--image", "container image reference"],
    },
    Case {
        name: "image port out of range",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "web",
            "--version",
            "v1",
            "--kind",
            "Nginx",
            "--image",
            "nginx",
            "--image-container-port",
            "70000",
        ],
        expect: &["--image-container-port", "1 to 65535"],
    },
    Case {
        name: "image port not a number",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "web",
            "--version",
            "v1",
            "--kind",
            "Nginx",
            "--image",
            "nginx",
            "--image-container-port",
            "http",
        ],
        expect: &["--image-container-port", "port number"],
    },
    Case {
        name: "image command with an empty argument",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "web",
            "--version",
            "v1",
            "--kind",
            "Nginx",
            "--image",
            "nginx",
            "--image-container-command",
            "nginx,,-g",
        ],
        expect: &["--image-container-command", "non-empty"],
    },
    Case {
        name: "run as root",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "web",
            "--version",
            "v1",
            "--kind",
            "Nginx",
            "--image",
            "nginx",
            "--run-as-user",
            "0",
        ],
        expect: &["--run-as-user", "non-root"],
    },
    Case {
        name: "image port without image",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "web",
            "--version",
            "v1",
            "--kind",
            "Nginx",
            "--image-container-port",
            "80",
        ],
        expect: &["--image-container-port", "needs --image"],
    },
    Case {
        name: "run as user without image",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "web",
            "--version",
            "v1",
            "--kind",
            "Nginx",
            "--run-as-user",
            "1001",
        ],
        expect: &["--run-as-user", "needs --image"],
    },
    Case {
        name: "image with --controller=false",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "web",
            "--version",
            "v1",
            "--kind",
            "Nginx",
            "--image",
            "nginx",
            "--controller=false",
        ],
        expect: &["--controller", "cannot be used with --image"],
    },
    Case {
        name: "image with --resource=false",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "web",
            "--version",
            "v1",
            "--kind",
            "Nginx",
            "--image",
            "nginx",
            "--resource=false",
        ],
        expect: &["--resource", "cannot be used with --image"],
    },
    Case {
        name: "image on a cluster-scoped kind",
        setup: Setup::Project,
        args: &[
            "create",
            "api",
            "--group",
            "web",
            "--version",
            "v1",
            "--kind",
            "Nginx",
            "--image",
            "nginx",
            "--namespaced=false",
        ],
        expect: &["--namespaced", "cannot be used with --image"],
    },
    Case {
        name: "bundle validate of a missing directory",
        setup: Setup::Empty,
        args: &["bundle", "validate", "nope"],
        expect: &["nope: is not a directory", "is not valid"],
    },
    Case {
        name: "bundle validate of a broken bundle",
        setup: Setup::ProjectThen(|dir| {
            copy_bundle(dir);
            std::fs::remove_file(dir.join("bundle/metadata/annotations.yaml")).unwrap();
        }),
        args: &["bundle", "validate", "bundle"],
        expect: &["bundle/metadata/annotations.yaml", "missing"],
    },
    Case {
        name: "package osc outside a project",
        setup: Setup::Empty,
        args: PACKAGE,
        expect: &["not a Kubeforge project"],
    },
    Case {
        name: "package osc without a bundle",
        setup: Setup::Project,
        args: PACKAGE,
        expect: &[
            "--bundle-dir",
            "no OLM bundle",
            "scaffold generate bundle --version",
        ],
    },
    Case {
        name: "package osc of an invalid bundle",
        setup: Setup::ProjectThen(|dir| {
            copy_bundle(dir);
            let csv = dir.join("bundle/manifests/memcached-operator.clusterserviceversion.yaml");
            let text = std::fs::read_to_string(&csv).unwrap();
            std::fs::write(
                &csv,
                text.replace("  displayName: Memcached Operator\n", ""),
            )
            .unwrap();
        }),
        args: PACKAGE,
        expect: &["--bundle-dir", "spec.displayName", "1 error(s)"],
    },
    Case {
        name: "package osc name with underscore",
        setup: Setup::ProjectThen(copy_bundle),
        args: &["package", "osc", "-o", "pkg", "--name", "mem_cached"],
        expect: &["--name", "OSC service name", "letters, digits or '-'"],
    },
    Case {
        name: "package osc name too long",
        setup: Setup::ProjectThen(copy_bundle),
        args: &[
            "package",
            "osc",
            "-o",
            "pkg",
            "--name",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ],
        expect: &["--name", "at most 64 characters"],
    },
    Case {
        name: "package osc name ending in a dash",
        setup: Setup::ProjectThen(copy_bundle),
        args: &["package", "osc", "-o", "pkg", "--name", "memcached-"],
        expect: &["--name", "not ending in '-'"],
    },
    Case {
        name: "package osc version with build metadata",
        setup: Setup::ProjectThen(copy_bundle),
        args: &["package", "osc", "-o", "pkg", "--version", "1.0.0+build.1"],
        expect: &["--version", "without +build"],
    },
    Case {
        name: "package osc version not semver",
        setup: Setup::ProjectThen(copy_bundle),
        args: &["package", "osc", "-o", "pkg", "--version", "1.0"],
        expect: &["--version", "semantic version"],
    },
    Case {
        name: "package osc replaces not semver",
        setup: Setup::ProjectThen(copy_bundle),
        args: &["package", "osc", "-o", "pkg", "--replaces", "latest"],
        expect: &["--replaces", "semantic version"],
    },
    Case {
        name: "package osc skip not semver",
        setup: Setup::ProjectThen(copy_bundle),
        args: &["package", "osc", "-o", "pkg", "--skip", "v0.0.1"],
        expect: &["--skip", "semantic version"],
    },
    Case {
        name: "package osc relative log path",
        setup: Setup::ProjectThen(copy_bundle),
        args: &[
            "package",
            "osc",
            "-o",
            "pkg",
            "--log-path",
            "logs/manager.log",
        ],
        expect: &["--log-path", "absolute"],
    },
    Case {
        name: "package osc output is a file",
        setup: Setup::Write("pkg", "not a directory\n"),
        args: PACKAGE,
        expect: &["--output", "must be a directory"],
    },
    Case {
        name: "package osc bundle file name ending in an underscore",
        setup: Setup::ProjectThen(|dir| {
            copy_bundle(dir);
            std::fs::write(dir.join("bundle/tests/notes_"), "notes\n").unwrap();
        }),
        args: PACKAGE,
        expect: &["notes_", "OSC file name", "not ending in '_', '-' or '.'"],
    },
    Case {
        name: "package osc over 4 MiB",
        setup: Setup::ProjectThen(|dir| {
            copy_bundle(dir);
            std::fs::write(dir.join("bundle/tests/blob.txt"), "a".repeat(4_300_000)).unwrap();
        }),
        args: PACKAGE,
        expect: &["--output", "at most 4194304 bytes"],
    },
    Case {
        name: "package osc zip over 4 MiB",
        setup: Setup::ProjectThen(|dir| {
            copy_bundle(dir);
            std::fs::write(dir.join("bundle/tests/blob.txt"), incompressible(6_500_000)).unwrap();
        }),
        args: &["package", "osc", "-o", "pkg", "--zip"],
        expect: &["--zip", "demo-operator-0.0.1.zip", "at most 4194304 bytes"],
    },
    Case {
        name: "package osc twice without --force",
        setup: Setup::ProjectThen(packaged),
        args: &[
            "package",
            "osc",
            "-o",
            "pkg",
            "--zip",
            "--replaces",
            "0.0.0",
        ],
        expect: &[
            "would be overwritten",
            "lifecycle.yaml",
            "demo-operator-0.0.1.zip",
            "--force",
        ],
    },
    Case {
        name: "package osc check of a package that is not regenerated",
        setup: Setup::ProjectThen(packaged),
        args: &[
            "package",
            "osc",
            "-o",
            "pkg",
            "--check",
            "--log-path",
            "/var/log/op.log",
        ],
        expect: &["--check", "overwrite lifecycle.yaml", "without --check"],
    },
    Case {
        name: "package osc check with --force",
        setup: Setup::Project,
        args: &["package", "osc", "-o", "pkg", "--check", "--force"],
        expect: &["--check", "--force", "cannot be used"],
    },
    Case {
        name: "package osc into the project directory",
        setup: Setup::ProjectThen(copy_bundle),
        args: &["package", "osc", "-o", "."],
        expect: &["--output", "holds a project", "-o osc"],
    },
    Case {
        name: "edit with an unknown plugin",
        setup: Setup::Project,
        args: &["edit", "--plugins", "helm,autoupdate/v1-alpha"],
        expect: &[
            "--plugins",
            "autoupdate/v1-alpha",
            "helm/v2-alpha",
            "grafana/v1-alpha",
        ],
    },
    Case {
        name: "edit without plugins",
        setup: Setup::Project,
        args: &["edit"],
        expect: &["--plugins"],
    },
    Case {
        name: "generate helm outside a project",
        setup: Setup::Empty,
        args: &["generate", "helm"],
        expect: &["not a Kubeforge project", "scaffold init"],
    },
    Case {
        name: "edit --plugins helm outside a project",
        setup: Setup::Empty,
        args: &["edit", "--plugins", "helm"],
        expect: &["not a Kubeforge project"],
    },
    Case {
        name: "helm output outside the project",
        setup: Setup::Write(
            "PROJECT",
            "cliVersion: x\ndomain: example.com\nlayout:\n- kubeforge.io/v1\nplugins:\n  helm.kubebuilder.io/v2-alpha:\n    manifests: dist/install.yaml\n    output: ../elsewhere\nprojectName: demo\nrepo: demo\nversion: \"3\"\n",
        ),
        args: &["generate", "helm"],
        expect: &[
            "PROJECT is not valid",
            "output",
            "relative path inside the project",
        ],
    },
    Case {
        name: "generate helm before the CRDs are generated",
        setup: Setup::ProjectWithApi,
        args: &["generate", "helm"],
        expect: &[
            "kubectl kustomize config/default",
            "failed",
            "cargo xtask generate manifests",
        ],
    },
    Case {
        name: "unknown subcommand",
        setup: Setup::Empty,
        args: &["create", "webhooks"],
        expect: &["webhooks"],
    },
];

/// The OLM commands; `true` runs the case with a PATH that has no kubectl.
const OLM_CASES: &[(Case, bool)] = &[
    (
        Case {
            name: "bundle extra service account that is not a DNS-1123 name",
            setup: Setup::Project,
            args: &[
                "generate",
                "bundle",
                "--version",
                "0.0.1",
                "--extra-service-accounts",
                "worker,Worker_1",
            ],
            expect: &["--extra-service-accounts", "Worker_1", "DNS-1123"],
        },
        false,
    ),
    (
        Case {
            name: "bundle version with a leading v",
            setup: Setup::Project,
            args: &["generate", "bundle", "--version", "v0.0.1"],
            expect: &["--version", "SemVer"],
        },
        false,
    ),
    (
        Case {
            name: "bundle version with two parts",
            setup: Setup::Project,
            args: &["generate", "bundle", "--version", "1.2"],
            expect: &["--version", "SemVer"],
        },
        false,
    ),
    (
        Case {
            name: "bundle channels with an empty name",
            setup: Setup::Project,
            args: &[
                "generate",
                "bundle",
                "--version",
                "0.0.1",
                "--channels",
                "alpha,,beta",
            ],
            expect: &["--channels", "comma-separated"],
        },
        false,
    ),
    (
        Case {
            name: "bundle default channel not among the channels",
            setup: Setup::Project,
            args: &[
                "generate",
                "bundle",
                "--version",
                "0.0.1",
                "--channels",
                "alpha",
                "--default-channel",
                "stable",
            ],
            expect: &["--default-channel", "must be one of --channels"],
        },
        false,
    ),
    (
        Case {
            name: "bundle package that is not a DNS-1123 label",
            setup: Setup::Project,
            args: &[
                "generate",
                "bundle",
                "--version",
                "0.0.1",
                "--package",
                "My_Op",
            ],
            expect: &["--package", "DNS-1123"],
        },
        false,
    ),
    (
        Case {
            name: "bundle output dir outside the project",
            setup: Setup::Project,
            args: &[
                "generate",
                "bundle",
                "--version",
                "0.0.1",
                "--output-dir",
                "../out",
            ],
            expect: &["--output-dir", "without '..'"],
        },
        false,
    ),
    (
        Case {
            name: "bundle outside a project",
            setup: Setup::Empty,
            args: &["generate", "bundle", "--version", "0.0.1"],
            expect: &["not a Kubeforge project"],
        },
        false,
    ),
    (
        Case {
            name: "kustomize manifests outside a project",
            setup: Setup::Empty,
            args: &["generate", "kustomize", "manifests"],
            expect: &["not a Kubeforge project"],
        },
        false,
    ),
    (
        Case {
            name: "bundle before kustomize manifests",
            setup: Setup::Project,
            args: &["generate", "bundle", "--version", "0.0.1"],
            expect: &[
                "config/manifests/kustomization.yaml",
                "generate kustomize manifests",
            ],
        },
        false,
    ),
    (
        Case {
            name: "bundle without kubectl on PATH",
            setup: Setup::ProjectThen(|dir| {
                scaffold_in(dir, &["generate", "kustomize", "manifests"]);
            }),
            args: &["generate", "bundle", "--version", "0.0.1"],
            expect: &["kubectl", "PATH"],
        },
        true,
    ),
    (
        Case {
            name: "kustomize manifests with API sources that do not parse",
            setup: Setup::ProjectThen(|dir| {
                std::fs::write(dir.join("api/src/lib.rs"), "pub struct {").unwrap();
            }),
            args: &["generate", "kustomize", "manifests"],
            expect: &["api/src/lib.rs", "does not parse"],
        },
        false,
    ),
];

fn run_case(case: &Case, no_kubectl: bool, failures: &mut Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    match &case.setup {
        Setup::Empty => {}
        Setup::Project => init_project(&dir),
        Setup::ProjectWithApi => {
            init_project(&dir);
            create_memcached(&dir);
        }
        Setup::Write(name, text) => std::fs::write(dir.join(name), text).unwrap(),
        Setup::ProjectThen(f) => {
            init_project(&dir);
            f(&dir);
        }
    }
    let before = tree(&dir);
    let mut cmd = scaffold();
    cmd.current_dir(&dir).args(case.args);
    if no_kubectl {
        let empty = tmp.path().join("empty-path");
        std::fs::create_dir_all(&empty).unwrap();
        cmd.env("PATH", &empty);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let after = tree(&dir);
    if out.status.success() {
        failures.push(format!("{}: succeeded", case.name));
    }
    if stderr.contains("panicked") {
        failures.push(format!("{}: panicked: {stderr}", case.name));
    }
    for want in case.expect {
        if !stderr.contains(want) {
            failures.push(format!("{}: stderr lacks {want:?}:\n{stderr}", case.name));
        }
    }
    if before != after {
        failures.push(format!("{}: the tree changed", case.name));
    }
}

#[test]
fn bad_input_is_refused_and_nothing_changes() {
    assert!(CASES.len() >= 25);
    let mut failures = Vec::new();
    for case in CASES {
        run_case(case, false, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bad_olm_input_is_refused_and_nothing_changes() {
    let mut failures = Vec::new();
    for (case, no_kubectl) in OLM_CASES {
        run_case(case, *no_kubectl, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
