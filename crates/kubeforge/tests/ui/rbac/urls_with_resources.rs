use kubeforge::rbac;

#[rbac(
    groups = "apps",
    resources = "deployments",
    urls = "/metrics",
    verbs = "get"
)]
fn reconcile() {}

fn main() {}
