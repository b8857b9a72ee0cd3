use kubeforge::webhook;

#[webhook(configuration_name = "memcached-mutating")]
const _: () = ();

fn main() {}
