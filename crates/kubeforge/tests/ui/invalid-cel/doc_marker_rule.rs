use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    /// +kubebuilder:validation:XValidation:rule="self.all(x, x > 0",message="positive"
    value: Vec<i32>,
}

fn main() {}
