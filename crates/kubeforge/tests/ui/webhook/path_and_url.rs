use kubeforge::webhook;

#[webhook(
    path = "/mutate-cache-example-com-v1-memcached",
    mutating = true,
    failure_policy = "fail",
    side_effects = "None",
    groups = "cache.example.com",
    resources = "memcacheds",
    verbs = "create;update",
    versions = "v1",
    name = "mmemcached-v1.kb.io",
    admission_review_versions = "v1",
    url = "https://example.com/mutate"
)]
pub struct MemcachedDefaulter;

fn main() {}
