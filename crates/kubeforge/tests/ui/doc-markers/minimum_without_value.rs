use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    /// +kubebuilder:validation:Minimum
    value: i32,
}

fn main() {}
