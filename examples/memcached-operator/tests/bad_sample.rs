//! A sample the API server refuses is refused offline too, with the API server's message
//! (kube-apiserver v1.33 gives these answers word for word).

use std::path::Path;

use kubeforge_runtime::testing::samples;
use memcached_operator_api as _;
use serde_json::{Value, json};

fn sample_with(spec: Value) -> Result<Value, kubeforge::testing::Error> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/samples");
    let mut sample = samples::load(&dir).expect("config/samples loads").remove(0);
    sample["spec"] = spec;
    kubeforge::testing::validate_object(&kubeforge::crds().expect("the CRDs generate"), &sample)
}

fn refusal(spec: Value) -> String {
    sample_with(spec).expect_err("refused").to_string()
}

#[test]
fn bad_samples_are_refused_like_the_api_server_does() {
    assert_eq!(
        refusal(json!({"size": 11, "containerPort": 11211})),
        r#"The Memcached "memcached-sample" is invalid: spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10"#
    );
    assert_eq!(
        refusal(json!({"size": 3})),
        r#"The Memcached "memcached-sample" is invalid: spec.containerPort: Required value"#
    );
    assert_eq!(
        refusal(json!({"size": 3, "containerPort": 0})),
        r#"The Memcached "memcached-sample" is invalid: spec.containerPort: Invalid value: 0: spec.containerPort in body should be greater than or equal to 1"#
    );
    assert_eq!(
        refusal(json!({"size": "three", "containerPort": 80})),
        "The Memcached \"memcached-sample\" is invalid: \n\
         * spec.size: Invalid value: \"string\": spec.size in body must be of type integer: \"string\"\n\
         * .spec.size: Invalid value: 0: .spec.size accessor error: three is of the type string, expected int64"
    );
}

#[test]
fn a_sample_without_size_gets_the_default() {
    let stored = sample_with(json!({"containerPort": 11211})).expect("valid");
    assert_eq!(stored["spec"], json!({"size": 1, "containerPort": 11211}));
}
