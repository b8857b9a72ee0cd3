use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
#[crd(storage_version)]
struct Spec {
    replicas: i32,
}

fn main() {}
