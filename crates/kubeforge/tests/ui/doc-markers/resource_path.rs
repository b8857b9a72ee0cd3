use kubeforge::prelude::*;

#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[kube(group = "example.com", version = "v1", kind = "Foo", namespaced)]
/// +kubebuilder:resource:path=foos
struct FooSpec {
    replicas: i32,
}

fn main() {}
