use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
#[crd(exactly_one_of = ["a", "b"])]
struct Spec {
    a: Option<String>,
    b: String,
}

fn main() {}
