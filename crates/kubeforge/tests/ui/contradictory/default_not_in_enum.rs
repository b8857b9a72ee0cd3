use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(enum_values = ["a", "b"], default = "c")]
    value: String,
}

fn main() {}
