//! `cargo xtask bench reconcile`: how fast a manager reconciles N pending custom resources
//! after it starts, how much memory it takes doing so and once settled, how many requests
//! it makes per object, and how fast it lets them all go when they are deleted; optionally
//! next to other managers (`--pair`), in alternating rounds of the same run.
//!
//! A round, per manager: create N objects of its kind in a namespace of the benchmark's own
//! with the manager stopped; start it; time until every object carries a finalizer and a
//! status (peak RSS = VmHWM then); wait 10 s (settled RSS); restart it and count the writes
//! of reconciling N unchanged objects; delete them all; time until every finalizer is
//! released; stop it. Whatever it created is deleted, also on Ctrl-C.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use futures::{StreamExt, TryStreamExt};
use kube::api::{Api, DeleteParams, DynamicObject, ListParams, PostParams};
use kube::core::ApiResource;
use kube::discovery::Discovery;
use kube::runtime::watcher::{self, Event};
use kube::{Client, Config, ResourceExt};
use serde_json::{Value, json};

/// The namespace the objects are created in (created and deleted by the benchmark).
const NAMESPACE: &str = "kubeforge-bench";

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Objects per manager and round.
    #[arg(long, default_value_t = 1000)]
    objects: usize,
    /// Rounds; the managers alternate within each.
    #[arg(long, default_value_t = 1)]
    rounds: usize,
    /// The cluster (default: $KUBECONFIG; without it, an envtest control plane from
    /// $KUBEBUILDER_ASSETS).
    #[arg(long)]
    kubeconfig: Option<PathBuf>,
    /// A manager binary to measure instead of a freshly scaffolded project's (with
    /// --kind and --crd).
    #[arg(long, requires_all = ["kind", "crd"])]
    manager: Option<PathBuf>,
    /// The kind --manager reconciles, as plural.group.
    #[arg(long)]
    kind: Option<String>,
    /// The CRD of --kind (a YAML file or directory kubectl applies).
    #[arg(long)]
    crd: Option<PathBuf>,
    /// A flag for the Kubeforge manager (repeat it), e.g. --manager-arg=--max-concurrent-reconciles=16.
    #[arg(long, allow_hyphen_values = true)]
    manager_arg: Vec<String>,
    /// Another manager to run in the same rounds, a shell command (repeat it for more).
    #[arg(long)]
    pair: Vec<String>,
    /// The kind each --pair reconciles, plural.group, in the same order.
    #[arg(long)]
    pair_kind: Vec<String>,
    /// The CRD each --pair needs (a YAML file kubectl applies), in the same order.
    #[arg(long)]
    pair_crd: Vec<PathBuf>,
    /// The spec of each --pair's objects (JSON), in the same order (default {}).
    #[arg(long)]
    pair_spec: Vec<String>,
    /// What the table calls each --pair, in the same order (default "pair 1", "pair 2", ..).
    #[arg(long)]
    pair_name: Vec<String>,
}

/// One manager under measurement.
struct Subject {
    name: String,
    command: Vec<String>,
    kind: String,
    crd: PathBuf,
    spec: Value,
}

/// What one round measured for one manager.
#[derive(Debug)]
struct Figures {
    reconciled: Duration,
    peak_rss_kb: u64,
    settled_rss_kb: u64,
    requests_per_object: f64,
    restart_writes: u64,
    released: Duration,
}

pub(crate) fn run(args: Args) -> anyhow::Result<()> {
    if args.pair.len() != args.pair_kind.len() || args.pair.len() != args.pair_crd.len() {
        bail!("--pair, --pair-kind and --pair-crd go together: give each once per --pair");
    }
    for (flag, given) in [
        ("--pair-spec", args.pair_spec.len()),
        ("--pair-name", args.pair_name.len()),
    ] {
        if given != 0 && given != args.pair.len() {
            bail!(
                "{flag} is given {given} times for {} --pair: give it once per --pair, or not at all",
                args.pair.len()
            );
        }
    }
    if args.objects == 0 {
        bail!("--objects must be at least 1");
    }
    tokio::runtime::Runtime::new()?.block_on(bench(args))
}

async fn bench(args: Args) -> anyhow::Result<()> {
    // The cluster first: without one, nothing is built or created.
    let kubeconfig = args
        .kubeconfig
        .clone()
        .or_else(|| std::env::var_os("KUBECONFIG").map(PathBuf::from));
    let mut _envtest = None;
    let no_cluster = "bench reconcile needs a cluster: pass --kubeconfig, set KUBECONFIG, or set KUBEBUILDER_ASSETS to a directory with etcd and kube-apiserver";
    if kubeconfig.is_none() && std::env::var_os("KUBEBUILDER_ASSETS").is_none() {
        bail!(no_cluster);
    }
    let kubeconfig = match kubeconfig {
        Some(path) => path,
        None => match kubeforge_runtime::testing::envtest::Environment::start().await? {
            Some(env) => {
                let path = env.kubeconfig().to_owned();
                _envtest = Some(env);
                path
            }
            None => bail!(no_cluster),
        },
    };
    let client = client(&kubeconfig).await?;
    let mut subjects = Vec::new();
    let ours = match (&args.manager, &args.kind, &args.crd) {
        (Some(bin), Some(kind), Some(crd)) => Subject {
            name: "kubeforge".into(),
            command: manager_command(bin, &args.manager_arg),
            kind: kind.clone(),
            crd: crd.clone(),
            spec: json!({}),
        },
        _ => fresh_project(&args.manager_arg)?,
    };
    subjects.push(ours);
    for (i, command) in args.pair.iter().enumerate() {
        let spec = args.pair_spec.get(i).map_or("{}", String::as_str);
        subjects.push(Subject {
            name: args
                .pair_name
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("pair {}", i + 1)),
            command: vec!["sh".into(), "-c".into(), format!("exec {command}")],
            kind: args.pair_kind[i].clone(),
            crd: args.pair_crd[i].clone(),
            spec: serde_json::from_str(spec).with_context(|| format!("--pair-spec {spec}"))?,
        });
    }
    let mut names: Vec<&str> = subjects.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    if let Some(twice) = names.windows(2).find(|w| w[0] == w[1]) {
        bail!(
            "--pair-name {} is given twice: each manager needs a name of its own",
            twice[0]
        );
    }
    for subject in &subjects {
        let apply = [
            "apply",
            "--server-side",
            "--force-conflicts",
            "--validate=false",
            "-f",
        ];
        crate::bench::run_ok(
            Command::new("kubectl")
                .env("KUBECONFIG", &kubeconfig)
                .args(apply)
                .arg(&subject.crd),
        )
        .context("kubectl (needed to apply the CRDs)")?;
    }
    let mut resources = Vec::new();
    for subject in &subjects {
        let resource = resolve(&client, &subject.kind).await?;
        let all: Api<DynamicObject> = Api::all_with(client.clone(), &resource);
        let existing = all.list_metadata(&ListParams::default().limit(1)).await?;
        if !existing.items.is_empty() {
            bail!(
                "{} objects exist already in this cluster; the benchmark needs a kind of its own (delete them first)",
                subject.kind
            );
        }
        resources.push(resource);
    }
    // Left by a run whose cluster has no namespace controller to finish deleting it.
    kubeforge_runtime::testing::delete_namespace(&client, NAMESPACE).await?;
    let namespaces: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client.clone());
    let ns = serde_json::from_value(json!({"metadata": {"name": NAMESPACE}}))?;
    namespaces
        .create(&PostParams::default(), &ns)
        .await
        .context("creating the namespace")?;

    let work = async {
        let mut results: BTreeMap<String, Vec<Figures>> = BTreeMap::new();
        for round in 1..=args.rounds {
            for (subject, resource) in subjects.iter().zip(&resources) {
                let figures =
                    round_of(&client, &kubeconfig, subject, resource, args.objects).await?;
                println!("round {round}, {}: {}", subject.name, describe(&figures));
                results
                    .entry(subject.name.clone())
                    .or_default()
                    .push(figures);
            }
        }
        anyhow::Ok(results)
    };
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let outcome = tokio::select! {
        result = work => result,
        _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
        _ = terminate.recv() => Err(anyhow::anyhow!("terminated")),
    };
    // Whatever happened: the objects go (finalizers cleared, no manager may be running), then
    // the namespace.
    for resource in &resources {
        let _ = release_all(&client, resource).await;
    }
    let _ = kubeforge_runtime::testing::delete_namespace(&client, NAMESPACE).await;
    let results = outcome?;
    println!(
        "\nN = {} objects, {} round(s), median:",
        args.objects, args.rounds
    );
    println!(
        "| manager | time to all reconciled | peak RSS | settled RSS | requests/object | writes on restart | time to all released |"
    );
    println!("|---|---|---|---|---|---|---|");
    for subject in &subjects {
        let figures = &results[&subject.name];
        let med = |f: fn(&Figures) -> f64| {
            let mut v: Vec<f64> = figures.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            let mid = v.len() / 2;
            if v.len().is_multiple_of(2) {
                (v[mid - 1] + v[mid]) / 2.0
            } else {
                v[mid]
            }
        };
        println!(
            "| {} ({}) | {:.2} s | {:.1} MB | {:.1} MB | {:.2} | {:.0} | {:.2} s |",
            subject.name,
            subject.kind,
            med(|f| f.reconciled.as_secs_f64()),
            med(|f| f.peak_rss_kb as f64 / 1024.0),
            med(|f| f.settled_rss_kb as f64 / 1024.0),
            med(|f| f.requests_per_object),
            med(|f| f.restart_writes as f64),
            med(|f| f.released.as_secs_f64()),
        );
    }
    Ok(())
}

fn describe(f: &Figures) -> String {
    format!(
        "reconciled in {:.2} s, peak RSS {:.1} MB, settled {:.1} MB, {:.2} requests/object, {} writes on restart, released in {:.2} s",
        f.reconciled.as_secs_f64(),
        f.peak_rss_kb as f64 / 1024.0,
        f.settled_rss_kb as f64 / 1024.0,
        f.requests_per_object,
        f.restart_writes,
        f.released.as_secs_f64()
    )
}

async fn client(kubeconfig: &Path) -> anyhow::Result<Client> {
    let config = kube::config::Kubeconfig::read_from(kubeconfig)
        .with_context(|| format!("reading {}", kubeconfig.display()))?;
    let config = Config::from_custom_kubeconfig(config, &Default::default()).await?;
    let client = Client::try_from(config)?;
    match tokio::time::timeout(Duration::from_secs(5), client.apiserver_version()).await {
        Ok(Ok(_)) => Ok(client),
        Ok(Err(e)) => bail!(
            "the cluster of {} does not answer: {e}",
            kubeconfig.display()
        ),
        Err(_) => bail!(
            "the cluster of {} does not answer within 5 s",
            kubeconfig.display()
        ),
    }
}

/// The served, storage version of `kind` (plural.group).
async fn resolve(client: &Client, kind: &str) -> anyhow::Result<ApiResource> {
    let (plural, group) = kind
        .split_once('.')
        .with_context(|| format!("{kind}: a kind is given as plural.group"))?;
    for _ in 0..50 {
        let discovery = Discovery::new(client.clone())
            .filter(&[group])
            .run()
            .await?;
        for api_group in discovery.groups() {
            for (resource, _) in api_group.recommended_resources() {
                if resource.plural == plural {
                    return Ok(resource);
                }
            }
        }
        // A CRD just applied takes a moment to be served.
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("{kind} is not served by the cluster (is its CRD installed?)")
}

fn manager_command(bin: &Path, extra: &[String]) -> Vec<String> {
    let mut command = vec![
        bin.display().to_string(),
        "--metrics-bind-address=0".into(),
        "--health-probe-bind-address=0".into(),
    ];
    command.extend(extra.iter().cloned());
    command
}

/// Scaffolds a one-kind project in target/bench-reconcile and builds its manager in release.
fn fresh_project(extra: &[String]) -> anyhow::Result<Subject> {
    let root = crate::repo_root();
    crate::bench::cargo(&root, &["build", "--release", "--quiet", "-p", "scaffold"])?;
    let scaffold = root.join("target/release/scaffold");
    let work = root.join("target/bench-reconcile");
    let project = work.join("bench");
    let _ = std::fs::remove_dir_all(&project);
    std::fs::create_dir_all(&work)?;
    let kubeforge = root.join("crates/kubeforge");
    let run = |args: &[&str]| -> anyhow::Result<()> {
        crate::bench::run_ok(Command::new(&scaffold).args(args).arg("-o").arg(&project))
    };
    run(&[
        "init",
        "--domain",
        "example.com",
        "--project-name",
        "bench",
        "--kubeforge-path",
        &kubeforge.display().to_string(),
    ])?;
    run(&crate::bench::CREATE_API)?;
    let target = work.join("target");
    for args in [
        &["build", "--release", "--quiet"][..],
        &["xtask", "generate", "crds"],
    ] {
        crate::bench::run_ok(
            Command::new(env!("CARGO"))
                .current_dir(&project)
                .env("CARGO_TARGET_DIR", &target)
                .args(args),
        )?;
    }
    Ok(Subject {
        name: "kubeforge".into(),
        command: manager_command(&target.join("release/bench"), extra),
        kind: "memcacheds.cache.example.com".into(),
        crd: project.join("config/crd/bases"),
        spec: json!({}),
    })
}

/// A manager process, stopped when dropped: on every error path and on Ctrl-C too, so that no
/// manager outlives its round and reconciles the next one's objects.
struct Manager(Child);

impl Manager {
    fn id(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Manager {
    fn drop(&mut self) {
        // SIGTERM, as a kubelet stops a manager; SIGKILL if it does not stop in 10 s.
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        for _ in 0..100 {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(subject: &Subject, kubeconfig: &Path) -> anyhow::Result<Manager> {
    let child = Command::new(&subject.command[0])
        .args(&subject.command[1..])
        .env("KUBECONFIG", kubeconfig)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", subject.command.join(" ")))?;
    Ok(Manager(child))
}

/// VmHWM and VmRSS of `pid`, in kB.
fn memory(pid: u32) -> anyhow::Result<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .context("reading the manager's /proc status (the benchmark runs on Linux)")?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            .unwrap_or(0)
    };
    Ok((field("VmHWM:"), field("VmRSS:")))
}

/// The API server's request counters (`apiserver_request_total`) for `resource` and for
/// events: (all requests, writes).
async fn requests(client: &Client, resource: &ApiResource) -> anyhow::Result<(u64, u64)> {
    let request = http::Request::get("/metrics").body(Vec::new())?;
    let text = client.request_text(request).await?;
    let (mut all, mut writes) = (0u64, 0u64);
    for line in text
        .lines()
        .filter(|l| l.starts_with("apiserver_request_total{"))
    {
        let label = |key: &str| {
            let start = line.find(&format!("{key}=\""))? + key.len() + 2;
            let end = line[start..].find('"')? + start;
            Some(&line[start..end])
        };
        let ours = label("resource") == Some(resource.plural.as_str())
            && label("group") == Some(resource.group.as_str());
        let events = label("resource") == Some("events");
        if !(ours || events) {
            continue;
        }
        let count = line
            .rsplit(' ')
            .next()
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0) as u64;
        all += count;
        if ours && matches!(label("verb"), Some("POST" | "PATCH" | "PUT" | "APPLY")) {
            writes += count;
        }
    }
    Ok((all, writes))
}

async fn round_of(
    client: &Client,
    kubeconfig: &Path,
    subject: &Subject,
    resource: &ApiResource,
    n: usize,
) -> anyhow::Result<Figures> {
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), NAMESPACE, resource);
    // Created with the manager stopped, a few at a time.
    let names: Vec<String> = (0..n).map(|i| format!("bench-{i:05}")).collect();
    futures::stream::iter(names.iter())
        .map(|name| {
            let mut obj = DynamicObject::new(name, resource).within(NAMESPACE);
            obj.data = json!({"spec": subject.spec});
            let api = api.clone();
            async move { api.create(&PostParams::default(), &obj).await }
        })
        .buffer_unordered(16)
        .try_collect::<Vec<_>>()
        .await
        .context("creating the objects")?;

    let reconciled = |obj: &DynamicObject| {
        !obj.finalizers().is_empty() && obj.data.get("status").is_some_and(|s| !s.is_null())
    };
    let (before, _) = requests(client, resource).await?;
    let manager = start(subject, kubeconfig)?;
    let started = Instant::now();
    let pid = manager.id();
    let waited = wait_until(&api, n, |objects| {
        objects.values().filter(|o| reconciled(o)).count() == n
    })
    .await;
    let reconciled_in = started.elapsed();
    let (peak, _) = memory(pid)?;
    let (after, _) = requests(client, resource).await?;
    if let Err(e) = waited {
        drop(manager);
        return Err(e.context(format!("{}: not every object was reconciled", subject.name)));
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    let (_, settled) = memory(pid)?;
    drop(manager);

    // A restart reconciles every object again; none changed, so none is written.
    let (_, writes_before) = requests(client, resource).await?;
    let manager = start(subject, kubeconfig)?;
    tokio::time::sleep(Duration::from_secs(5 + (n / 1000) as u64)).await;
    let (_, writes_after) = requests(client, resource).await?;

    let deleting = Instant::now();
    delete_each(&api, &names).await?;
    let released = wait_until(&api, n, |objects| objects.is_empty()).await;
    let released_in = deleting.elapsed();
    drop(manager);
    released.with_context(|| format!("{}: not every object was released", subject.name))?;
    Ok(Figures {
        reconciled: reconciled_in,
        peak_rss_kb: peak,
        settled_rss_kb: settled,
        requests_per_object: after.saturating_sub(before) as f64 / n as f64,
        restart_writes: writes_after.saturating_sub(writes_before),
        released: released_in,
    })
}

/// Watches the namespace's objects until `done` holds (at most 10 minutes).
async fn wait_until(
    api: &Api<DynamicObject>,
    n: usize,
    done: impl Fn(&BTreeMap<String, DynamicObject>) -> bool,
) -> anyhow::Result<()> {
    let mut objects = BTreeMap::new();
    let mut initial = BTreeMap::new();
    let mut listing = false;
    let mut events = std::pin::pin!(watcher::watcher(api.clone(), watcher::Config::default()));
    let deadline = Duration::from_secs(600.max(n as u64 / 10));
    let watch = async {
        while let Some(event) = events.try_next().await? {
            match event {
                Event::Init => {
                    listing = true;
                    initial.clear();
                }
                Event::InitApply(obj) => {
                    initial.insert(obj.name_any(), obj);
                }
                Event::InitDone => {
                    listing = false;
                    objects = std::mem::take(&mut initial);
                }
                Event::Apply(obj) => {
                    objects.insert(obj.name_any(), obj);
                }
                Event::Delete(obj) => {
                    objects.remove(&obj.name_any());
                }
            }
            // Not in the middle of a (re)list: `objects` is the whole namespace.
            if !listing && done(&objects) {
                return anyhow::Ok(());
            }
        }
        bail!("the watch ended")
    };
    tokio::time::timeout(deadline, watch)
        .await
        .map_err(|_| anyhow::anyhow!("timed out after {} s", deadline.as_secs()))?
}

/// Deletes every object of `resource` in the namespace, clearing finalizers no manager will
/// release any more.
async fn release_all(client: &Client, resource: &ApiResource) -> anyhow::Result<()> {
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), NAMESPACE, resource);
    let names: Vec<String> = api
        .list_metadata(&ListParams::default())
        .await?
        .items
        .iter()
        .map(|o| o.name_any())
        .collect();
    let _ = delete_each(&api, &names).await;
    for obj in api.list_metadata(&ListParams::default()).await?.items {
        let patch = json!({"metadata": {"finalizers": null}});
        let _ = api
            .patch(
                &obj.name_any(),
                &Default::default(),
                &kube::api::Patch::Merge(&patch),
            )
            .await;
    }
    Ok(())
}

/// Deletes `names`, a few at a time: one delete-collection request for thousands of objects
/// outlives the API server's request timeout.
async fn delete_each(api: &Api<DynamicObject>, names: &[String]) -> anyhow::Result<()> {
    futures::stream::iter(names)
        .map(|name| async move {
            match api.delete(name, &DeleteParams::default()).await {
                Ok(_) => Ok(()),
                Err(kube::Error::Api(status)) if status.is_not_found() => Ok(()),
                Err(e) => Err(anyhow::Error::new(e).context(format!("deleting {name}"))),
            }
        })
        .buffer_unordered(16)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(())
}
