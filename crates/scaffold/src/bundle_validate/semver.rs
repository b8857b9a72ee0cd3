//! Semantic Versioning 2.0.0 (semver.org), the version syntax of OLM's `spec.version` and of OSC
//! packages. Checked by hand: the grammar is small and a crate would add nothing else we use.

/// What is wrong with a version, as a rule a message can quote.
pub fn check(version: &str) -> Result<SemVer, &'static str> {
    const RULE: &str = "must be a semantic version MAJOR.MINOR.PATCH (numbers without leading zeros), optionally followed by -prerelease and +build";
    let (rest, build) = match version.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (version, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let numbers: Vec<&str> = core.split('.').collect();
    let numeric = |s: &str| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
    };
    let identifier =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let ok = numbers.len() == 3
        && numbers.iter().all(|n| numeric(n))
        && pre.is_none_or(|p| {
            p.split('.').all(|id| {
                identifier(id) && (!id.bytes().all(|b| b.is_ascii_digit()) || numeric(id))
            })
        })
        && build.is_none_or(|b| b.split('.').all(identifier));
    if ok {
        Ok(SemVer {
            has_build: build.is_some(),
        })
    } else {
        Err(RULE)
    }
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
