use kubeforge::rbac;

#[rbac(groups = "apps", resources = "deployments", verbs = "get;List")]
fn reconcile() {}

fn main() {}
