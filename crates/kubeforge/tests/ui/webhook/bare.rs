use kubeforge::webhook;

#[webhook]
pub struct MemcachedDefaulter;

fn main() {}
