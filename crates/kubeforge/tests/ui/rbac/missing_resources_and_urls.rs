use kubeforge::rbac;

#[rbac(groups = "apps", verbs = "get")]
fn reconcile() {}

fn main() {}
