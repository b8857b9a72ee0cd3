use kubeforge::prelude::*;

#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[kube(group = "example.com", version = "v1", kind = "Foo", namespaced)]
/// +kubebuilder:webhookconfiguration:mutating=true,name=foo-mutating
/// +kubebuilder:webhook:path=/mutate-example-com-v1-foo,mutating=true,failurePolicy=fail,sideEffects=None,groups=example.com,resources=foos,verbs=create;update,versions=v1,name=mfoo-v1.kb.io,admissionReviewVersions=v1
struct FooSpec {
    replicas: i32,
}

fn main() {}
