use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    /// +kubebuilder:validation:MinLength=-1
    value: String,
}

fn main() {}
