use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(enum_values = "a")]
    value: String,
}

fn main() {}
