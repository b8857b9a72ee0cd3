//! Every sample in config/samples passes its CRD, checked offline the way the API server checks
//! a create (`kubeforge::testing`: schema, defaults, list keys and CEL rules): a sample the
//! cluster would refuse fails here with the API server's message.

use std::path::Path;

use kubeforge_runtime::testing::samples;
// Linking the API crate registers its CRDs.
use memcached_operator_api as _;

#[test]
fn samples_pass_their_crds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/samples");
    if !dir.join("kustomization.yaml").is_file() {
        eprintln!("no config/samples yet: `scaffold create api` adds them");
        return;
    }
    let crds = kubeforge::crds().expect("the CRDs generate");
    let samples = samples::load(&dir).expect("config/samples loads");
    for sample in &samples {
        if let Err(error) = kubeforge::testing::validate_object(&crds, sample) {
            panic!("{error}");
        }
    }
}
