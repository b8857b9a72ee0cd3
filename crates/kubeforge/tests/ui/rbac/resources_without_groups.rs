use kubeforge::rbac;

#[rbac(resources = "deployments", verbs = "get")]
fn reconcile() {}

fn main() {}
