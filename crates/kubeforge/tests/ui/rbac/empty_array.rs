use kubeforge::rbac;

#[rbac(groups = "apps", resources = "deployments", verbs = [])]
fn reconcile() {}

fn main() {}
