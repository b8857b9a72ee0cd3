use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(at_most_one_of = ["a", "b"])]
    value: Option<String>,
}

fn main() {}
