use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(nullable = 3)]
    value: Option<String>,
}

fn main() {}
