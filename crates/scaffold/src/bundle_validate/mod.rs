//! Operator Lifecycle Manager bundles (operator-sdk's `registry+v1` format): reading one from disk
//! and checking it the way `operator-sdk bundle validate` does, as a library that `scaffold bundle
//! validate`, bundle generation and OSC packaging all call.

pub mod bundle;
pub mod semver;
pub mod validate;
