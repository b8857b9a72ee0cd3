use kubeforge::rbac;

#[rbac]
fn reconcile() {}

fn main() {}
