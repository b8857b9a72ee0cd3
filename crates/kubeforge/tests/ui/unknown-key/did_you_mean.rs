use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(minimun = 1)]
    value: i32,
}

fn main() {}
