use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
enum Mode {
    #[crd(description = "fast")]
    Fast,
    Slow,
}

fn main() {}
