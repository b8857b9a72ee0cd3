use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
enum Mode {
    /// +kubebuilder:validation:MinLength=1
    Fast,
    Slow,
}

fn main() {}
