use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(multiple_of = 0)]
    value: i32,
}

fn main() {}
