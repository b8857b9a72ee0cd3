use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(validation(rule = "self.startsWith('a)"))]
    value: String,
}

fn main() {}
