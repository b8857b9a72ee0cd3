use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    /// +kubebuilder:validation:Pattern=`^(a|b$`
    value: String,
}

fn main() {}
