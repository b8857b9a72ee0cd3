use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(items(pattern = "a{2,1}"))]
    value: Vec<String>,
}

fn main() {}
