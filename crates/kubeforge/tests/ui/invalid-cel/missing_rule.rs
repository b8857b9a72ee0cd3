use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(validation(message = "must be positive"))]
    value: i32,
}

fn main() {}
