use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(enum_values = [])]
    value: String,
}

fn main() {}
