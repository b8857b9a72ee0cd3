use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Marker;

fn main() {}
