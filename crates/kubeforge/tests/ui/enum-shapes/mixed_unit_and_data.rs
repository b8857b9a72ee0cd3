use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
enum Source {
    None,
    Url(String),
}

fn main() {}
