use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(default = i32::MAX)]
    value: i32,
}

fn main() {}
