use kubeforge::rbac;

#[rbac(urls = "/metrics", verbs = "get", namespace = "system")]
fn reconcile() {}

fn main() {}
