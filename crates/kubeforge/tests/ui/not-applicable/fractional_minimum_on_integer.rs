use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(minimum = 0.5)]
    value: i32,
}

fn main() {}
