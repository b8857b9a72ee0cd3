use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(items(items(min_length = 1)))]
    value: Vec<Vec<String>>,
}

fn main() {}
