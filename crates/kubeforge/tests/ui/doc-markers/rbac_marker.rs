use kubeforge::prelude::*;

// A Go RBAC marker pasted above the type would give no rule; it is an error naming the attribute.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[kube(group = "example.com", version = "v1", kind = "Foo", namespaced)]
/// +kubebuilder:rbac:groups=example.com,resources=foos,verbs=get;list;watch
struct FooSpec {
    replicas: i32,
}

fn main() {}
