use kubeforge::rbac;

#[rbac(groups = "apps", resources = "deployments", verbs = "get", namespace = ["a", "b"])]
fn reconcile() {}

fn main() {}
