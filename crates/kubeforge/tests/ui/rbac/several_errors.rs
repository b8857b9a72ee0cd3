use kubeforge::rbac;

// Every problem is reported, not only the first.
#[rbac(
    groups = "apps",
    resources = "deployments",
    verbs = "Get",
    namespace = "-x",
    rolename = "r"
)]
fn reconcile() {}

fn main() {}
