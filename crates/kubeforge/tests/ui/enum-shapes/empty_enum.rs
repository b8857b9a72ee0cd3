use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
enum Never {}

fn main() {}
