//! Semantic Versioning 2.0.0 (semver.org), the version syntax of OLM's `spec.version` and of OSC
//! packages, checked by the `semver` crate (which `scaffold generate bundle --version` uses too).

/// What is wrong with a version, as a rule a message can quote.
pub fn check(version: &str) -> Result<SemVer, &'static str> {
    const RULE: &str = "must be a semantic version MAJOR.MINOR.PATCH (numbers without leading zeros), optionally followed by -prerelease and +build";
    let parsed = ::semver::Version::parse(version).map_err(|_| RULE)?;
    Ok(SemVer {
        has_build: !parsed.build.is_empty(),
    })
}

/// The parts of a version the callers care about.
pub struct SemVer {
    /// Whether it carries `+build` metadata, which OSC refuses.
    pub has_build: bool,
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn accepts_and_refuses() {
        for good in ["0.0.1", "1.2.3-alpha.1", "1.0.0+build.5", "10.20.30-rc-1"] {
            assert!(check(good).is_ok(), "{good}");
        }
        for bad in [
            "1.2", "v1.2.3", "01.2.3", "1.2.3-", "1.2.3-01", "1.2.3+", "", "1.2.x",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
        assert!(check("1.0.0+b").unwrap().has_build);
    }
}
