use kubeforge::prelude::*;

#[derive(CrdSchema)]
union Bits {
    a: u32,
    b: f32,
}

fn main() {}
