use kubeforge::webhook;

// A configuration name is an attribute of its own, as +kubebuilder:webhookconfiguration is.
#[webhook(
    mutating = true,
    configuration_name = "memcached-mutating",
    path = "/mutate-cache-example-com-v1-memcached"
)]
pub struct MemcachedDefaulter;

fn main() {}
