use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(list_type = "unique")]
    value: Vec<String>,
}

fn main() {}
