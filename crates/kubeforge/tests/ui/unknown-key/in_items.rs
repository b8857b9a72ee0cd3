use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(items(min_lenght = 1))]
    value: Vec<String>,
}

fn main() {}
