use kubeforge::webhook;

// controller-gen's spelling of a key.
#[webhook(
    path = "/mutate-cache-example-com-v1-memcached",
    mutating = true,
    side_effects = "None",
    groups = "cache.example.com",
    resources = "memcacheds",
    verbs = "create;update",
    versions = "v1",
    name = "mmemcached-v1.kb.io",
    admission_review_versions = "v1",
    failurePolicy = "fail"
)]
pub struct MemcachedDefaulter;

fn main() {}
