use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(frobnicate = 1)]
    value: i32,
}

fn main() {}
