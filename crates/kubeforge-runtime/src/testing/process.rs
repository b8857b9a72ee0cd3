//! The project's manager binary run as a process against a test cluster.

use std::path::Path;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// How long the manager may take to stop after SIGTERM.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// A running manager; killed when dropped (also when the test fails).
pub struct ManagerProcess {
    child: Child,
    // The webhook server's self-signed certificate, removed with the manager.
    _certs: tempfile::TempDir,
}

impl ManagerProcess {
    /// Starts `binary` (`env!("CARGO_BIN_EXE_<name>")`) with `kubeconfig` (the ambient one when
    /// `None`), its metrics and health servers off, and a self-signed certificate for its
    /// webhook server on a free port (the API server does not call it: no webhook
    /// configurations are installed, but a manager with webhooks needs a certificate to start).
    pub fn start(binary: &str, kubeconfig: Option<&Path>, args: &[&str]) -> std::io::Result<Self> {
        let certs = tempfile::tempdir()?;
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
            .map_err(std::io::Error::other)?;
        std::fs::write(certs.path().join("tls.crt"), cert.cert.pem())?;
        std::fs::write(
            certs.path().join("tls.key"),
            cert.signing_key.serialize_pem(),
        )?;
        let port = super::free_port()?;
        let mut command = Command::new(binary);
        command
            .arg("--metrics-bind-address=0")
            .arg("--health-probe-bind-address=0")
            .arg(format!("--webhook-cert-dir={}", certs.path().display()))
            .arg(format!("--webhook-port={port}"))
            .args(args);
        if let Some(kubeconfig) = kubeconfig {
            command.env("KUBECONFIG", kubeconfig);
        }
        let child = command.spawn()?;
        Ok(ManagerProcess {
            child,
            _certs: certs,
        })
    }

    /// Sends SIGTERM and waits for the manager to exit; its exit status.
    pub fn stop(mut self) -> std::io::Result<ExitStatus> {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status()?;
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if start.elapsed() > STOP_TIMEOUT {
                return Err(std::io::Error::other(format!(
                    "the manager did not stop within {STOP_TIMEOUT:?} of SIGTERM"
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for ManagerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
