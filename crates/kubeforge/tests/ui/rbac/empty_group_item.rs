use kubeforge::rbac;

#[rbac(groups = "apps;", resources = "deployments", verbs = "get")]
fn reconcile() {}

fn main() {}
