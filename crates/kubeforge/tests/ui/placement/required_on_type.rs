use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
#[crd(required)]
struct Spec {
    a: Option<String>,
}

fn main() {}
