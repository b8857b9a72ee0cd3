//! The OSC marketplace's naming and size rules (OSC developer guide, "service package" section).

use super::OscError;
use crate::bundle_validate::semver;

/// Upload limit of one package (the zip, or the files when not zipped): "4 MB", read as MiB.
pub const MAX_PACKAGE_BYTES: u64 = 4 * 1024 * 1024;
/// Longest service name the marketplace accepts.
pub const MAX_SERVICE_NAME: usize = 64;

fn rule(flag: &str, value: &str, rule: impl Into<String>) -> OscError {
    OscError::Rule {
        flag: flag.to_owned(),
        value: value.to_owned(),
        rule: rule.into(),
    }
}

/// Package and file names: letters, digits, `_`, `-`, `.`, not ending in `_`, `-` or `.`.
pub fn file_name(flag: &str, value: &str) -> Result<(), OscError> {
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        && !value.ends_with(['_', '-', '.']);
    if ok {
        Ok(())
    } else {
        Err(rule(
            flag,
            value,
            "must be an OSC file name: letters, digits, '_', '-' or '.', not ending in '_', '-' or '.'",
        ))
    }
}

/// Service names: letters, digits and `-`, at most 64 characters (and, being a file name too,
/// not ending in `-`).
pub fn service_name(flag: &str, value: &str) -> Result<(), OscError> {
    let ok = !value.is_empty()
        && value.len() <= MAX_SERVICE_NAME
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !value.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(rule(
            flag,
            value,
            format!(
                "must be an OSC service name: letters, digits or '-', at most {MAX_SERVICE_NAME} characters, not ending in '-'"
            ),
        ))
    }
}

/// Versions: SemVer 2.0.0 without `+build` metadata.
pub fn version(flag: &str, value: &str) -> Result<(), OscError> {
    match semver::check(value) {
        Ok(v) if v.has_build => Err(rule(
            flag,
            value,
            "must be a semantic version without +build metadata (OSC refuses it)",
        )),
        Ok(_) => Ok(()),
        Err(why) => Err(rule(flag, value, why)),
    }
}

/// The package size against the upload limit.
pub fn size(flag: &str, what: &str, bytes: u64) -> Result<(), OscError> {
    if bytes <= MAX_PACKAGE_BYTES {
        Ok(())
    } else {
        Err(rule(
            flag,
            what,
            format!(
                "would be {bytes} bytes; OSC accepts packages of at most {MAX_PACKAGE_BYTES} bytes (4 MiB)"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(file_name("f", "memcached_crd.yaml").is_ok());
        assert!(file_name("f", "a.").is_err());
        assert!(file_name("f", "a b").is_err());
        assert!(service_name("f", "memcached-operator").is_ok());
        assert!(service_name("f", "a_b").is_err());
        assert!(service_name("f", &"a".repeat(65)).is_err());
        assert!(version("f", "1.0.0-rc.1").is_ok());
        assert!(version("f", "1.0.0+b").is_err());
    }
}
