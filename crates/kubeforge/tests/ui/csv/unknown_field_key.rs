use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
struct Spec {
    #[csv(display_name = "Size", x_descriptor = ["urn:alm:descriptor:com.tectonic.ui:podCount"])]
    size: i32,
}

fn main() {}
