use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(validation = "self > 0")]
    value: i32,
}

fn main() {}
