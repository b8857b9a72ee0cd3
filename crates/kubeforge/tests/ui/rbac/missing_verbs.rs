use kubeforge::rbac;

#[rbac(groups = "apps", resources = "deployments")]
fn reconcile() {}

fn main() {}
