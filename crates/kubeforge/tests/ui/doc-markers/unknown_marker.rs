use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    /// +kubebuilder:validation:Minimun=1
    value: i32,
}

fn main() {}
