use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(validation(rule = "self > 0", field_path = "spec.replicas"))]
    value: i32,
}

fn main() {}
