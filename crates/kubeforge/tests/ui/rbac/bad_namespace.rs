use kubeforge::rbac;

#[rbac(
    groups = "apps",
    resources = "deployments",
    verbs = "get",
    namespace = "My_NS"
)]
fn reconcile() {}

fn main() {}
