use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
#[crd(at_least_one_of = ["a"])]
struct Spec {
    a: Option<String>,
    b: Option<String>,
}

fn main() {}
