use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
#[serde(tag = "kind")]
enum Source {
    Pair(String, String),
}

fn main() {}
