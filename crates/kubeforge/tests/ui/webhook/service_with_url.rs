use kubeforge::webhook;

#[webhook(
    mutating = true,
    failure_policy = "fail",
    side_effects = "None",
    groups = "cache.example.com",
    resources = "memcacheds",
    verbs = "create;update",
    versions = "v1",
    name = "mmemcached-v1.kb.io",
    admission_review_versions = "v1",
    url = "https://example.com/mutate",
    service_name = "svc",
    service_port = 8443
)]
pub struct MemcachedDefaulter;

fn main() {}
