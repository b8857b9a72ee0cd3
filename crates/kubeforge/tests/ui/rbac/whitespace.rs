use kubeforge::rbac;

#[rbac(groups = "apps", resources = "deployments", verbs = "get; list")]
fn reconcile() {}

fn main() {}
