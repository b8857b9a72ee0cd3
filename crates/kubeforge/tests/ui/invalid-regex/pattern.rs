use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(pattern = "^[a-z+$")]
    value: String,
}

fn main() {}
