use kubeforge::prelude::*;

#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[kube(group = "example.com", version = "v1", kind = "Foo", namespaced)]

struct FooSpec {
    #[crd(storage_version)]
    replicas: i32,
}

fn main() {}
