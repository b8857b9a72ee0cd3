use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(exclusive_minimum)]
    value: i32,
}

fn main() {}
