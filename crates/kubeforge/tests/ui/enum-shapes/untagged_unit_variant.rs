use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
#[serde(untagged)]
enum Source {
    Url(String),
    Nothing,
}

fn main() {}
