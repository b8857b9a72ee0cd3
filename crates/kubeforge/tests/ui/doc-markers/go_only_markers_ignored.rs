use kubeforge::prelude::*;

// Go-only generator markers are ignored; the error below proves the type was still read.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[kube(group = "example.com", version = "v1", kind = "Foo", namespaced)]
/// +k8s:deepcopy-gen=package
/// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
/// +k8s:openapi-gen=true
/// +kubebuilder:ac:output:package=applyconfiguration
struct FooSpec {
    /// +kubebuilder:validation:Minimum=ten
    replicas: i32,
}

fn main() {}
