//! [`Manager`]: runs a project's controllers and servers, as controller-runtime's manager does.

use std::future::Future;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use futures::future::BoxFuture;
use k8s_openapi::api::core::v1::Namespace;
use kube::{Api, Client};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::health::{self, Readiness};
use crate::leader::{self, Lease};
use crate::{Context, ManagerArgs, ManagerError, Metrics, Result, WatchOptions};

type StartController<S> = Box<dyn FnOnce(Arc<Context<S>>) -> BoxFuture<'static, Result<()>> + Send>;
type ServerTask = Result<(), String>;

/// The manager of an operator: parses nothing itself (its flags are [`ManagerArgs`]), and on
/// [`Manager::run`]:
///
/// 1. prints the RBAC role or webhook configurations and exits, for `--print-rbac` and
///    `--print-webhooks` (`cargo xtask generate rbac|webhooks`);
/// 2. sets up logging, connects to the API server and checks `--namespace`;
/// 3. serves `/metrics`, `/healthz` and `/readyz`, and the webhooks on every replica;
/// 4. with `--leader-elect`, waits for the Lease; losing it later stops the manager;
/// 5. runs every controller on a task of its own until SIGTERM or SIGINT (a second signal
///    exits at once), a failed controller or lost leadership, then lets the controllers
///    finish their reconciliations and gives the Lease up.
///
/// `/readyz` answers 200 once the servers run and, on the leader, every controller's watch
/// has synced; a replica waiting for leadership is ready, so that a rolling update can replace
/// the leader.
pub struct Manager<S = ()> {
    name: String,
    lease_name: String,
    args: ManagerArgs,
    state: S,
    metrics: Metrics,
    client: Option<Client>,
    shutdown: CancellationToken,
    controllers: Vec<StartController<S>>,
    #[cfg(feature = "webhook")]
    webhooks: Option<
        Box<
            dyn FnOnce(kubeforge::webhook::WebhookServer) -> kubeforge::webhook::WebhookServer
                + Send,
        >,
    >,
}

impl Manager<()> {
    /// A manager named `name` (the field manager of its patches, the reporter of its events and,
    /// until [`Manager::leader_election_id`] says otherwise, its Lease).
    pub fn new(name: &str, args: ManagerArgs) -> Self {
        Manager::with_state(name, args, ())
    }
}

impl<S: Send + Sync + 'static> Manager<S> {
    /// A manager whose controllers share `state` ([`Context::state`]).
    pub fn with_state(name: &str, args: ManagerArgs, state: S) -> Self {
        Manager {
            name: name.to_owned(),
            lease_name: name.to_owned(),
            args,
            state,
            metrics: Metrics::default(),
            client: None,
            shutdown: CancellationToken::new(),
            controllers: Vec::new(),
            #[cfg(feature = "webhook")]
            webhooks: None,
        }
    }

    /// The name of the Lease replicas compete for with `--leader-elect` (kubebuilder's
    /// `LeaderElectionID`, `<project>.<domain>` in a scaffolded project).
    #[must_use]
    pub fn leader_election_id(mut self, id: &str) -> Self {
        self.lease_name = id.to_owned();
        self
    }

    /// Runs `run` (a controller module's `run` function) while the manager leads.
    #[must_use]
    pub fn controller<F, Fut>(mut self, run: F) -> Self
    where
        F: FnOnce(Arc<Context<S>>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<()>> + Send + 'static,
    {
        self.controllers
            .push(Box::new(move |ctx| Box::pin(run(ctx))));
        self
    }

    /// Serves the webhooks `register` adds to the server (the project's
    /// `webhook::register`) on `--webhook-port`, on every replica.
    #[cfg(feature = "webhook")]
    #[must_use]
    pub fn webhooks(
        mut self,
        register: impl FnOnce(kubeforge::webhook::WebhookServer) -> kubeforge::webhook::WebhookServer
        + Send
        + 'static,
    ) -> Self {
        self.webhooks = Some(Box::new(register));
        self
    }

    /// Talks to the API server through `client` instead of the kubeconfig (tests, envtest).
    #[must_use]
    pub fn client(mut self, client: Client) -> Self {
        self.client = Some(client);
        self
    }

    /// The metrics, to register metrics of your own before the manager starts.
    pub fn metrics_mut(&mut self) -> &mut Metrics {
        &mut self.metrics
    }

    /// Cancelling this token stops the manager as a signal does.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Runs the manager; on failure prints one line naming what to fix and exits non-zero.
    pub async fn run(self) -> ExitCode {
        match self.try_run().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    }

    /// [`Manager::run`], returning what failed.
    pub async fn try_run(self) -> Result<(), ManagerError> {
        if self.args.print_rbac {
            print!(
                "{}",
                kubeforge::rbac_yaml(kubeforge::rbac::DEFAULT_ROLE_NAME)?
            );
            return Ok(());
        }
        if self.args.print_webhooks {
            #[cfg(feature = "webhook")]
            print!("{}", kubeforge::webhook_yaml()?);
            return Ok(());
        }
        crate::logging::init(self.args.log_format);
        tokio::spawn(crate::signals::cancel_on_signal(self.shutdown.clone()));
        let result = self.start().await;
        if let Err(e) = &result {
            tracing::error!(error = %e, "manager failed");
        }
        result
    }

    async fn start(mut self) -> Result<(), ManagerError> {
        let shutdown = self.shutdown.clone();
        let (client, url) = match self.client.take() {
            Some(client) => (client, "the given client".to_owned()),
            None => {
                let config = kube::Config::infer()
                    .await
                    .map_err(|e| ManagerError::Config(first_line(&e)))?;
                let url = config.cluster_url.to_string();
                let client =
                    Client::try_from(config).map_err(|e| ManagerError::Config(first_line(&e)))?;
                (client, url)
            }
        };
        check_api_server(&client, url).await?;
        let namespace = self.args.namespace.clone().filter(|ns| !ns.is_empty());
        if let Some(namespace) = &namespace {
            check_namespace(&client, namespace).await?;
        }
        let metrics = Arc::new(std::mem::take(&mut self.metrics));
        let readiness = Readiness::default();
        let mut servers = self.start_servers(&metrics, &readiness).await?;
        readiness.set_started(true);

        let lease = Lease {
            name: self.lease_name.clone(),
            namespace: match &self.args.leader_election_namespace {
                Some(namespace) => namespace.clone(),
                None => client.default_namespace().to_owned(),
            },
        };
        let leadership = if self.args.leader_elect {
            metrics.set_leader(&lease.name, false);
            let acquired = tokio::select! {
                acquired = leader::acquire(client.clone(), &lease, &shutdown) => acquired,
                Some(server) = servers.join_next() => {
                    if !shutdown.is_cancelled() {
                        shutdown.cancel();
                        return Err(server_failed(server));
                    }
                    Ok(None)
                }
            };
            let leadership = acquired?;
            if leadership.is_some() {
                metrics.set_leader(&lease.name, true);
            }
            leadership
        } else {
            None
        };
        let lost = leadership
            .as_ref()
            .map(|leadership| leadership.cancel_on_loss(shutdown.clone()));

        let watch = WatchOptions {
            max_concurrent_reconciles: self.args.max_concurrent_reconciles,
            lean_cache: !self.args.cache_managed_fields,
            ..WatchOptions::default()
        };
        let ctx = Context::new(client, &self.name, self.state)
            .with_namespace(namespace)
            .with_watch_options(watch)
            .with_manager_parts(metrics.clone(), shutdown.clone(), readiness.clone());
        let ctx = Arc::new(ctx);
        let mut controllers = JoinSet::new();
        if !shutdown.is_cancelled() {
            for start in self.controllers {
                controllers.spawn(start(ctx.clone()));
            }
            let namespace = ctx.namespace.as_deref().unwrap_or("all namespaces");
            tracing::info!(controllers = controllers.len(), namespace, "running");
        }

        // Run until a signal, lost leadership, a failed controller or a failed server.
        let mut failure = None;
        tokio::select! {
            () = shutdown.cancelled() => {}
            Some(result) = controllers.join_next() => failure = controller_failed(result),
            Some(server) = servers.join_next() => {
                // Servers stop by themselves once shutdown starts; before, that is a failure.
                if !shutdown.is_cancelled() {
                    failure = Some(server_failed(server));
                }
            }
        }
        shutdown.cancel();
        readiness.set_started(false);
        while let Some(result) = controllers.join_next().await {
            failure = failure.or(controller_failed(result));
        }
        while let Some(result) = servers.join_next().await {
            if let Ok(Err(e)) = result {
                tracing::error!(error = %e, "server failed");
            }
        }
        if let Some(leadership) = leadership {
            metrics.set_leader(&lease.name, false);
            leadership.release().await;
        }
        let lost = match lost {
            Some(task) => task.await.unwrap_or(false),
            None => false,
        };
        tracing::info!("manager stopped");
        match failure {
            Some(failure) => Err(failure),
            None if lost => Err(ManagerError::LostLeadership(format!(
                "{}/{}",
                lease.namespace, lease.name
            ))),
            None => Ok(()),
        }
    }

    /// Binds every server before any is served, so that a busy port or a missing certificate
    /// fails the start with the flag to change.
    async fn start_servers(
        &mut self,
        metrics: &Arc<Metrics>,
        readiness: &Readiness,
    ) -> Result<JoinSet<ServerTask>, ManagerError> {
        let shutdown = &self.shutdown;
        let mut servers = JoinSet::new();
        if let Some(address) = self.args.metrics_bind_address.0 {
            let listener = bind(address, "metrics", "--metrics-bind-address").await?;
            let router = health::metrics_router(metrics.clone());
            let serve = health::serve(listener, router, shutdown.clone());
            servers.spawn(async move { serve.await.map_err(|e| e.to_string()) });
        }
        if let Some(address) = self.args.health_probe_bind_address.0 {
            let listener = bind(address, "health probe", "--health-probe-bind-address").await?;
            let router = health::health_router(readiness.clone());
            let serve = health::serve(listener, router, shutdown.clone());
            servers.spawn(async move { serve.await.map_err(|e| e.to_string()) });
        }
        #[cfg(feature = "webhook")]
        if self.webhooks.is_some() && !self.args.enable_webhooks {
            tracing::info!("webhooks disabled (--enable-webhooks=false / ENABLE_WEBHOOKS=false)");
        }
        #[cfg(feature = "webhook")]
        if let Some(register) = self.webhooks.take().filter(|_| self.args.enable_webhooks) {
            let cert_dir = &self.args.webhook_cert_dir;
            let missing = ["tls.crt", "tls.key"]
                .iter()
                .map(|name| cert_dir.join(name))
                .find(|path| !path.is_file());
            if let Some(path) = missing {
                return Err(ManagerError::NoWebhookCertificate(path));
            }
            let address = SocketAddr::from(([0, 0, 0, 0], self.args.webhook_port));
            let listener = bind(address, "webhook", "--webhook-port").await?;
            let server = register(kubeforge::webhook::WebhookServer::new(cert_dir));
            let stop = shutdown.clone().cancelled_owned();
            servers.spawn(async move {
                server
                    .serve_on(listener, stop)
                    .await
                    .map_err(|e| e.to_string())
            });
        }
        Ok(servers)
    }
}

async fn check_api_server(client: &Client, url: String) -> Result<(), ManagerError> {
    match client.apiserver_version().await {
        Ok(version) => {
            tracing::info!(version = %version.git_version, "connected to the API server");
            Ok(())
        }
        Err(e) => Err(ManagerError::Unreachable {
            url,
            message: e.to_string(),
        }),
    }
}

/// A namespace that does not exist is a typo; one the manager may not read is fine (a manager
/// with namespaced RBAC cannot get Namespaces).
async fn check_namespace(client: &Client, namespace: &str) -> Result<(), ManagerError> {
    let namespaces: Api<Namespace> = Api::all(client.clone());
    match namespaces.get_opt(namespace).await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(ManagerError::NoNamespace(namespace.to_owned())),
        Err(kube::Error::Api(status)) if status.code == 403 => Ok(()),
        Err(source) => Err(ManagerError::Namespace {
            namespace: namespace.to_owned(),
            source,
        }),
    }
}

async fn bind(
    address: SocketAddr,
    what: &'static str,
    flag: &'static str,
) -> Result<TcpListener, ManagerError> {
    let listener = TcpListener::bind(address)
        .await
        .map_err(|source| ManagerError::Bind {
            what,
            flag,
            address,
            source,
        })?;
    let local = listener.local_addr().unwrap_or(address);
    tracing::info!(address = %local, "serving {what}");
    Ok(listener)
}

fn controller_failed(result: Result<Result<()>, tokio::task::JoinError>) -> Option<ManagerError> {
    match result {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(ManagerError::Controller(e.to_string())),
        Err(e) => Some(ManagerError::Controller(format!("panicked: {e}"))),
    }
}

fn server_failed(result: Result<ServerTask, tokio::task::JoinError>) -> ManagerError {
    match result {
        Ok(Ok(())) => ManagerError::Server("a server stopped".to_owned()),
        Ok(Err(e)) => ManagerError::Server(e),
        Err(e) => ManagerError::Server(format!("panicked: {e}")),
    }
}

/// kube's configuration errors quote the offending YAML over several lines: the first says what.
fn first_line(error: &dyn std::fmt::Display) -> String {
    let text = error.to_string();
    text.lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches([':', ' '])
        .to_owned()
}
