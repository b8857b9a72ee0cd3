//! basic-check-spec against a cluster: operator-sdk runs it in a pod of the cluster; here each
//! custom resource of alm-examples is created with a server-side dry run (`kubectl create
//! --dry-run=server`), so the API server validates and defaults it against the CRDs installed
//! there, and the object it returns must have a spec.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::checks::{BASIC_CHECK_SPEC, Loaded, TestResult};

/// Where and how kubectl reaches the cluster.
pub struct Cluster<'a> {
    pub kubectl: String,
    /// `--kubeconfig`; without it kubectl's own rules apply (KUBECONFIG, then ~/.kube/config).
    pub kubeconfig: Option<&'a Path>,
    pub namespace: Option<&'a str>,
}

impl Cluster<'_> {
    fn dry_run_create(&self, cr: &Value) -> Result<Value, String> {
        let mut cmd = Command::new(&self.kubectl);
        if let Some(k) = self.kubeconfig {
            cmd.arg("--kubeconfig").arg(k);
        }
        if let Some(ns) = self.namespace {
            cmd.args(["--namespace", ns]);
        }
        cmd.args(["create", "--dry-run=server", "-o", "json", "-f", "-"]);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not run {}: {e}", self.kubectl))?;
        if let Some(mut stdin) = child.stdin.take() {
            // A write error shows as kubectl's own failure below.
            let _ = stdin.write_all(cr.to_string().as_bytes());
        }
        let out = child
            .wait_with_output()
            .map_err(|e| format!("could not run {}: {e}", self.kubectl))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
        }
        serde_json::from_slice(&out.stdout).map_err(|e| format!("kubectl printed no object: {e}"))
    }
}

pub fn basic_check_spec(loaded: &Loaded, cluster: &Cluster) -> TestResult {
    let mut r = TestResult::new(BASIC_CHECK_SPEC);
    let crs = match loaded.crs() {
        Ok(crs) => crs,
        Err(e) => {
            r.fail(format!("error getting custom resources: {e}"));
            return r;
        }
    };
    for cr in &crs {
        let name = cr["metadata"]["name"].as_str().unwrap_or_default();
        let kind = cr["kind"].as_str().unwrap_or_default();
        match cluster.dry_run_create(cr) {
            Err(e) => r.fail(format!("the cluster refused {kind} {name}: {e}")),
            Ok(created) if created.get("spec").is_none_or(Value::is_null) => {
                r.suggestions.push(format!("spec missing from [{name}]"));
            }
            Ok(_) => {
                r.log += &format!("{kind} {name}: accepted by the cluster (dry run), has a spec\n")
            }
        }
    }
    r
}
