use kubeforge::webhook;

// Every missing key is named at once.
#[webhook(name = "mmemcached-v1.kb.io", mutating = true)]
pub struct MemcachedDefaulter;

fn main() {}
