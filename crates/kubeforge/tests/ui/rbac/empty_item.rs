use kubeforge::rbac;

#[rbac(groups = "apps", resources = "deployments;;pods", verbs = "get")]
fn reconcile() {}

fn main() {}
