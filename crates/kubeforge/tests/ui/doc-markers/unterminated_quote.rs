use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    /// +kubebuilder:validation:Pattern="^[a-z]+$
    value: String,
}

fn main() {}
