use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(max_properties = 3)]
    value: Vec<String>,
}

fn main() {}
