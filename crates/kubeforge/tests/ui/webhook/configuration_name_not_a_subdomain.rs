use kubeforge::webhook;

#[webhook(mutating = false, configuration_name = "Memcached_Validating")]
mod names {}

fn main() {}
