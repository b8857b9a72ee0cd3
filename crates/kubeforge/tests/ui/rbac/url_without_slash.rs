use kubeforge::rbac;

#[rbac(urls = "metrics", verbs = "get")]
fn reconcile() {}

fn main() {}
