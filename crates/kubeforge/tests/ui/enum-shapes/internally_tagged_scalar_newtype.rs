use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
#[serde(tag = "kind")]
enum Source {
    Url(String),
}

fn main() {}
