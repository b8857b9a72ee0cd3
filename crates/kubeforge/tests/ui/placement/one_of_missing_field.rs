use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
#[crd(at_most_one_of = ["a", "c"])]
struct Spec {
    a: Option<String>,
    b: Option<String>,
}

fn main() {}
