use kubeforge::rbac;

trait Reconcile {
    #[rbac(groups = "apps", resources = "deployments", verbs = "get")]
    fn reconcile(&self);
}

fn main() {}
