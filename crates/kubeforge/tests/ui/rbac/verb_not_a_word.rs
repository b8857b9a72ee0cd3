use kubeforge::rbac;

#[rbac(groups = "apps", resources = "deployments", verbs = "get-all")]
fn reconcile() {}

fn main() {}
