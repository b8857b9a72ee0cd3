use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(required, optional)]
    value: Option<String>,
}

fn main() {}
