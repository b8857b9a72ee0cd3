use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(map_type = "atomic")]
    value: Vec<String>,
}

fn main() {}
