use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(validation(rule = "size(self.name > 0"))]
    value: Vec<String>,
}

fn main() {}
