use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(items(pattern = "^[0-9]+$"))]
    value: Vec<i32>,
}

fn main() {}
