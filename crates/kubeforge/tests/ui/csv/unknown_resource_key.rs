use kubeforge::prelude::*;

#[derive(CrdSchema, Serialize, Deserialize)]
#[csv(display_name = "Memcached App", resources(kind = "Deployment", versoin = "v1", name = "memcached-deployment"))]
struct Spec {
    size: i32,
}

fn main() {}
