//! envtest for Rust: a real etcd and kube-apiserver on loopback, without Go.
//!
//! The binaries come from `KUBEBUILDER_ASSETS`, a directory holding `etcd` and
//! `kube-apiserver` (setup-envtest's layout: `setup-envtest use -p path` prints it). Without
//! it, [`Environment::start`] prints why and returns `None`, so a test skips:
//!
//! ```no_run
//! # async fn test() {
//! use kubeforge_runtime::testing::envtest::Environment;
//! let Some(env) = Environment::start().await.expect("envtest") else { return };
//! env.install_crds(&kubeforge::crds().unwrap()).await.expect("CRDs");
//! let client = env.client();
//! # }
//! ```
//!
//! Everything runs under a temporary directory and stops when the environment is dropped. The
//! client authenticates with a static token of a `system:masters` user, as envtest's admin.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::config::{AuthInfo, Cluster, Context as KubeContext, Kubeconfig, NamedAuthInfo};
use kube::config::{NamedCluster, NamedContext};
use kube::{Client, Config};

/// The environment variable naming the directory of the binaries.
pub const ASSETS_ENV: &str = "KUBEBUILDER_ASSETS";

/// How long etcd and kube-apiserver may take to become ready, and a CRD to be established.
const START_TIMEOUT: Duration = Duration::from_secs(90);

/// Why the environment could not start.
#[derive(Debug, thiserror::Error)]
pub enum EnvtestError {
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("{0} exited before it was ready; its log:\n{1}")]
    Exited(&'static str, String),
    #[error("{0} was not ready within {1:?}; its log:\n{2}")]
    Timeout(&'static str, Duration, String),
    #[error("cannot make a client for the API server: {0}")]
    Client(String),
    #[error("{0}")]
    Crd(String),
    #[error("cannot generate the service account key: {0}")]
    Key(String),
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> EnvtestError {
    let what = what.into();
    move |source| EnvtestError::Io { what, source }
}

/// A running etcd and kube-apiserver.
pub struct Environment {
    client: Client,
    kubeconfig: PathBuf,
    url: String,
    // Dropped after the processes are killed.
    processes: Vec<Process>,
    dir: tempfile::TempDir,
}

struct Process {
    name: &'static str,
    child: Child,
    log: PathBuf,
}

impl Process {
    fn spawn(
        name: &'static str,
        binary: &Path,
        args: &[String],
        dir: &Path,
    ) -> Result<Self, EnvtestError> {
        let log = dir.join(format!("{name}.log"));
        let out = File::create(&log).map_err(io(format!("creating {}", log.display())))?;
        let err = out.try_clone().map_err(io("duplicating a log file"))?;
        let child = Command::new(binary)
            .args(args)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(io(format!("starting {}", binary.display())))?;
        Ok(Process { name, child, log })
    }

    /// The last lines of the log, for an error message.
    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    fn check_running(&mut self) -> Result<(), EnvtestError> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            _ => Err(EnvtestError::Exited(self.name, self.log_tail())),
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("url", &self.url)
            .field("dir", &self.dir.path())
            .finish_non_exhaustive()
    }
}

/// The directory of `KUBEBUILDER_ASSETS`, when it holds both binaries; else why not.
pub fn assets() -> Result<PathBuf, String> {
    assets_in(std::env::var_os(ASSETS_ENV))
}

fn assets_in(dir: Option<std::ffi::OsString>) -> Result<PathBuf, String> {
    let Some(dir) = dir.filter(|d| !d.is_empty()) else {
        return Err(format!(
            "{ASSETS_ENV} is not set (a directory with etcd and kube-apiserver, as setup-envtest installs them)"
        ));
    };
    let dir = PathBuf::from(dir);
    for binary in ["etcd", "kube-apiserver"] {
        if !dir.join(binary).is_file() {
            return Err(format!("{ASSETS_ENV}={} has no {binary}", dir.display()));
        }
    }
    Ok(dir)
}

/// [`super::free_port`], failing as envtest does.
fn free_port() -> Result<u16, EnvtestError> {
    super::free_port().map_err(io("finding a free port"))
}

impl Environment {
    /// Starts etcd and kube-apiserver from `KUBEBUILDER_ASSETS`; `Ok(None)`, after printing why,
    /// when the binaries are not there (tests skip).
    pub async fn start() -> Result<Option<Environment>, EnvtestError> {
        match assets() {
            Ok(dir) => Self::start_with(&dir).await.map(Some),
            Err(why) => {
                eprintln!("skipping envtest: {why}");
                Ok(None)
            }
        }
    }

    /// Starts etcd and kube-apiserver from `assets`.
    pub async fn start_with(assets: &Path) -> Result<Environment, EnvtestError> {
        let dir = tempfile::Builder::new()
            .prefix("kubeforge-envtest-")
            .tempdir()
            .map_err(io("creating a temporary directory"))?;
        let root = dir.path();
        let (etcd_port, peer_port, api_port) = (free_port()?, free_port()?, free_port()?);
        let etcd_url = format!("http://127.0.0.1:{etcd_port}");
        let peer_url = format!("http://127.0.0.1:{peer_port}");
        let etcd_args = [
            format!("--data-dir={}", root.join("etcd").display()),
            format!("--listen-client-urls={etcd_url}"),
            format!("--advertise-client-urls={etcd_url}"),
            format!("--listen-peer-urls={peer_url}"),
            format!("--initial-advertise-peer-urls={peer_url}"),
            format!("--initial-cluster=default={peer_url}"),
        ];
        let mut processes = vec![Process::spawn(
            "etcd",
            &assets.join("etcd"),
            &etcd_args,
            root,
        )?];

        let token = format!("kubeforge-envtest-{}", std::process::id());
        let tokens = root.join("tokens.csv");
        let line = format!("{token},envtest-admin,envtest-admin,\"system:masters\"\n");
        std::fs::write(&tokens, line).map_err(io("writing the token file"))?;
        let (key, public) = (root.join("sa.key"), root.join("sa.pub"));
        let pair = rcgen::KeyPair::generate().map_err(|e| EnvtestError::Key(e.to_string()))?;
        std::fs::write(&key, pair.serialize_pem())
            .map_err(io("writing the service account key"))?;
        std::fs::write(&public, pair.public_key_pem())
            .map_err(io("writing the service account key"))?;
        let url = format!("https://127.0.0.1:{api_port}");
        // controller-runtime's envtest flags, with a static token in place of client certificates.
        let apiserver_args = [
            format!("--etcd-servers={etcd_url}"),
            format!("--cert-dir={}", root.join("certs").display()),
            format!("--secure-port={api_port}"),
            "--bind-address=127.0.0.1".to_owned(),
            "--advertise-address=127.0.0.1".to_owned(),
            "--service-cluster-ip-range=10.0.0.0/24".to_owned(),
            "--allow-privileged=true".to_owned(),
            "--authorization-mode=RBAC".to_owned(),
            "--disable-admission-plugins=ServiceAccount".to_owned(),
            format!("--token-auth-file={}", tokens.display()),
            "--service-account-issuer=https://127.0.0.1".to_owned(),
            format!("--service-account-key-file={}", public.display()),
            format!("--service-account-signing-key-file={}", key.display()),
        ];
        let apiserver = Process::spawn(
            "kube-apiserver",
            &assets.join("kube-apiserver"),
            &apiserver_args,
            root,
        )?;
        processes.push(apiserver);

        let kubeconfig = kubeconfig(&url, &token);
        let kubeconfig_path = root.join("kubeconfig");
        let yaml =
            serde_json::to_value(&kubeconfig).map_err(|e| EnvtestError::Client(e.to_string()))?;
        let yaml =
            kubeforge::yaml::to_yaml(&yaml).map_err(|e| EnvtestError::Client(e.to_string()))?;
        std::fs::write(&kubeconfig_path, yaml).map_err(io("writing the kubeconfig"))?;
        let options = kube::config::KubeConfigOptions::default();
        let config = Config::from_custom_kubeconfig(kubeconfig, &options)
            .await
            .map_err(|e| EnvtestError::Client(e.to_string()))?;
        let client = Client::try_from(config).map_err(|e| EnvtestError::Client(e.to_string()))?;

        let mut env = Environment {
            client,
            kubeconfig: kubeconfig_path,
            url,
            processes,
            dir,
        };
        env.wait_ready().await?;
        Ok(env)
    }

    /// Polls `/readyz` until the API server (and so etcd) is ready.
    async fn wait_ready(&mut self) -> Result<(), EnvtestError> {
        let start = Instant::now();
        loop {
            for process in &mut self.processes {
                process.check_running()?;
            }
            let request = http::Request::get("/readyz").body(Vec::new());
            let request = request.map_err(|e| EnvtestError::Client(e.to_string()))?;
            if let Ok(text) = self.client.request_text(request).await
                && text.trim() == "ok"
            {
                return Ok(());
            }
            if start.elapsed() > START_TIMEOUT {
                let log = self
                    .processes
                    .last()
                    .map(Process::log_tail)
                    .unwrap_or_default();
                return Err(EnvtestError::Timeout("kube-apiserver", START_TIMEOUT, log));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// A client of the cluster admin.
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// A kubeconfig file for the cluster admin (for a manager or kubectl run as a process).
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// The API server's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Creates or updates `crds` (server-side apply) and waits until each is established.
    pub async fn install_crds(
        &self,
        crds: &[CustomResourceDefinition],
    ) -> Result<(), EnvtestError> {
        super::install_crds(&self.client, crds)
            .await
            .map_err(|e| EnvtestError::Crd(e.to_string()))
    }
}

/// A kubeconfig for `url` with `token`; the API server's certificate is its own self-signed one.
fn kubeconfig(url: &str, token: &str) -> Kubeconfig {
    let cluster = Cluster {
        server: Some(url.to_owned()),
        insecure_skip_tls_verify: Some(true),
        ..Cluster::default()
    };
    let user = AuthInfo {
        token: Some(token.to_owned().into()),
        ..AuthInfo::default()
    };
    let context = KubeContext {
        cluster: "envtest".to_owned(),
        user: Some("envtest".to_owned()),
        namespace: Some("default".to_owned()),
        ..KubeContext::default()
    };
    Kubeconfig {
        clusters: vec![NamedCluster {
            name: "envtest".to_owned(),
            cluster: Some(cluster),
            other: Default::default(),
        }],
        auth_infos: vec![NamedAuthInfo {
            name: "envtest".to_owned(),
            auth_info: Some(user),
            other: Default::default(),
        }],
        contexts: vec![NamedContext {
            name: "envtest".to_owned(),
            context: Some(context),
            other: Default::default(),
        }],
        current_context: Some("envtest".to_owned()),
        ..Kubeconfig::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_name_what_is_missing() {
        let why = assets_in(None).unwrap_err();
        assert!(why.contains("KUBEBUILDER_ASSETS is not set"), "{why}");
        let dir = tempfile::tempdir().unwrap();
        let why = assets_in(Some(dir.path().into())).unwrap_err();
        assert!(why.contains("has no etcd"), "{why}");
        std::fs::write(dir.path().join("etcd"), "").unwrap();
        let why = assets_in(Some(dir.path().into())).unwrap_err();
        assert!(why.contains("has no kube-apiserver"), "{why}");
        std::fs::write(dir.path().join("kube-apiserver"), "").unwrap();
        assert_eq!(
            assets_in(Some(dir.path().into())),
            Ok(dir.path().to_owned())
        );
    }
}
