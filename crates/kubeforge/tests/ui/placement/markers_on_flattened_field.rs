use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[crd(min_properties = 1)]
    #[serde(flatten)]
    extra: std::collections::BTreeMap<String, String>,
}

fn main() {}
