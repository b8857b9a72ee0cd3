use kubeforge::rbac;

#[rbac(grups = "apps", resources = "deployments", verbs = "get")]
fn reconcile() {}

fn main() {}
