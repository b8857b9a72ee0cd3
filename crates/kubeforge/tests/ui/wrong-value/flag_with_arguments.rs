use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(nullable(true))]
    value: Option<String>,
}

fn main() {}
