use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(validation(rule = "self > 0", reason = "Invalid"))]
    value: i32,
}

fn main() {}
