//! `Oneof` (testdata.kubebuilder.io/v1beta1), from controller-tools
//! `pkg/crd/testdata/oneof/types.go` (`AtMostOneOf` / `ExactlyOneOf` / `AtLeastOneOf`).
//!
//! Go's `omitzero` pointer fields are `Option<T>` like the `omitempty` ones. Go's
//! `type CustomTypeAlias *int32` (a named pointer type carrying its own `XValidation`) becomes a
//! newtype around `i32`, used as `Option<CustomTypeAlias>`. Upstream puts the kind markers
//! (`+kubebuilder:subresource:status`, `+kubebuilder:resource:singular=oneof`) on `OneofSpec`,
//! where controller-gen ignores them; they are left out here.

use kubeforge::prelude::*;

/// OneofSpec is the spec for the oneofs API.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "testdata.kubebuilder.io",
    version = "v1beta1",
    kind = "Oneof",
    namespaced,
    doc = "Oneof is the Schema for the Oneof API"
)]
#[serde(rename_all = "camelCase")]
pub struct OneofSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_type_with_oneof: Option<TypeWithOneofs>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_type_with_oneof: Option<TypeWithMultipleOneofs>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_type_with_exact_oneof: Option<TypeWithExactOneofs>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_type_with_exact_oneof: Option<TypeWithMultipleExactOneofs>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_with_multiple_at_least_one_of: Option<TypeWithMultipleAtLeastOneofs>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_with_all_one_of: Option<TypeWithAllOneofs>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_with_omit_zero: Option<TypeWithOmitZero>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_with_omit_zero_exact: Option<TypeWithOmitZeroExact>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_with_omit_zero_at_least_one_of: Option<TypeWithOmitZeroAtLeastOneOf>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_custom_type_alias: Option<CustomTypeAlias>,

    /// This verifies if the custom type alias XValidation is not duplicated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_custom_type_alias: Option<CustomTypeAlias>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[crd(
    validation(
        message = "only one of foo|bar may be set",
        rule = "!(has(self.foo) && has(self.bar))"
    ),
    at_most_one_of = ["foo", "bar"]
)]
pub struct TypeWithOneofs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bar: Option<String>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[crd(at_most_one_of = ["a", "b"], at_most_one_of = ["c", "d"])]
pub struct TypeWithMultipleOneofs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<String>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[crd(exactly_one_of = ["foo", "bar"])]
pub struct TypeWithExactOneofs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bar: Option<String>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[crd(exactly_one_of = ["a", "b"], exactly_one_of = ["c", "d"])]
pub struct TypeWithMultipleExactOneofs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<String>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
}

// Written with verbatim controller-gen markers: the doc comment holds nothing but markers.
/// +kubebuilder:validation:AtLeastOneOf=a;b
/// +kubebuilder:validation:AtLeastOneOf=c;d
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
pub struct TypeWithMultipleAtLeastOneofs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<String>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[crd(
    at_most_one_of = ["a", "b"],
    exactly_one_of = ["c", "d"],
    at_least_one_of = ["e", "f"]
)]
pub struct TypeWithAllOneofs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<String>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub f: Option<String>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[crd(at_most_one_of = ["foo", "bar"])]
pub struct TypeWithOmitZero {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bar: Option<String>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[crd(exactly_one_of = ["a", "b"])]
pub struct TypeWithOmitZeroExact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<String>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[crd(at_least_one_of = ["c", "d"])]
pub struct TypeWithOmitZeroAtLeastOneOf {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
}

/// CustomTypeAlias is a custom alias
/// +kubebuilder:validation:XValidation:rule="self >= 100 && self <= 1000",message="invalid CustomTypeAlias value"
#[derive(CrdSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct CustomTypeAlias(pub i32);
