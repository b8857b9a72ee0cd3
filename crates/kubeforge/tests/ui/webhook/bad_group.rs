use kubeforge::webhook;

#[webhook(
    path = "/mutate-cache-example-com-v1-memcached",
    mutating = true,
    failure_policy = "fail",
    side_effects = "None",
    groups = "Cache_Example",
    resources = "memcacheds",
    verbs = "create;update",
    versions = "v1",
    name = "mmemcached-v1.kb.io",
    admission_review_versions = "v1"
)]
pub struct MemcachedDefaulter;

fn main() {}
