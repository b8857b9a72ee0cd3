use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(validation(rule = "self > 0", mesage = "must be positive"))]
    value: i32,
}

fn main() {}
