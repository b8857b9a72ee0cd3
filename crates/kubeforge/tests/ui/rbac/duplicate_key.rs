use kubeforge::rbac;

#[rbac(
    groups = "apps",
    resources = "deployments",
    verbs = "get",
    verbs = "list"
)]
fn reconcile() {}

fn main() {}
