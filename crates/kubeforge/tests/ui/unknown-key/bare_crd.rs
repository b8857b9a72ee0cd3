use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd]
    value: i32,
}

fn main() {}
