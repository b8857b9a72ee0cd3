use kubeforge::rbac;

#[rbac(
    groups = "apps",
    resources = "deployments",
    resourceNames = "a",
    verbs = "get"
)]
fn reconcile() {}

fn main() {}
