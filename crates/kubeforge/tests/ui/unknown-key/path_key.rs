use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(kube::minimum = 1)]
    value: i32,
}

fn main() {}
