use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[csv(display_name = 3)]
    size: i32,
}

fn main() {}
