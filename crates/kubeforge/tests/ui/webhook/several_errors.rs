use kubeforge::webhook;

// Every problem is reported, not only the first.
#[webhook(
    path = "/mutate-cache-example-com-v1-memcached",
    mutating = true,
    failure_policy = "abort",
    side_effects = "None",
    groups = "cache.example.com",
    resources = "memcacheds",
    verbs = "get",
    versions = "v1",
    name = "m.io",
    admission_review_versions = "v1",
    timeout_seconds = 0
)]
pub struct MemcachedDefaulter;

fn main() {}
