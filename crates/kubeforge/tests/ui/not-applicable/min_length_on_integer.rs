use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(min_length = 1)]
    value: i32,
}

fn main() {}
