use kubeforge::rbac;

#[rbac(
    groups = "apps",
    resources = "deployments",
    verbs = "get",
    role_name = "a/b"
)]
struct Reconciler;

fn main() {}
