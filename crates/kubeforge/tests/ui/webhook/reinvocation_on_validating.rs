use kubeforge::webhook;

#[webhook(
    path = "/validate-cache-example-com-v1-memcached",
    mutating = false,
    failure_policy = "fail",
    side_effects = "None",
    groups = "cache.example.com",
    resources = "memcacheds",
    verbs = "create;update",
    versions = "v1",
    name = "vmemcached-v1.kb.io",
    admission_review_versions = "v1",
    reinvocation_policy = "IfNeeded"
)]
pub struct MemcachedValidator;

fn main() {}
