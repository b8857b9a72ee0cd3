use kubeforge::rbac;

#[rbac(
    groups = "apps",
    resources = "deployments",
    verbs = "get",
    scope = "cluster"
)]
fn reconcile() {}

fn main() {}
