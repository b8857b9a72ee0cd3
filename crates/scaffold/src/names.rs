//! Name rules, checked before anything is written, with kubebuilder's rules and messages that
//! name the flag and the rule; and the names derived from them.

use crate::error::CliError;

/// RFC 1123 label: lower-case alphanumerics and `-`, starting and ending alphanumeric, ≤ 63.
pub fn dns1123_label(flag: &str, value: &str) -> Result<(), CliError> {
    const RULE: &str = "must be a DNS-1123 label: at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit";
    let ok = !value.is_empty()
        && value.len() <= 63
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(CliError::invalid(flag, value, RULE))
    }
}

/// RFC 1123 subdomain: dot-separated labels, ≤ 253.
pub fn dns1123_subdomain(flag: &str, value: &str) -> Result<(), CliError> {
    const RULE: &str = "must be a DNS-1123 subdomain: dot-separated labels of lower-case letters, digits or '-', at most 253 characters";
    let ok = !value.is_empty()
        && value.len() <= 253
        && value.split('.').all(|l| dns1123_label(flag, l).is_ok());
    if ok {
        Ok(())
    } else {
        Err(CliError::invalid(flag, value, RULE))
    }
}

/// A group as given on the command line: one DNS-1123 label-ish piece (kubebuilder allows dots,
/// as in `foo.policy`), or `core` for the core API.
pub fn group(value: &str) -> Result<(), CliError> {
    if value.is_empty() {
        return Err(CliError::invalid("--group", value, "must not be empty"));
    }
    dns1123_subdomain("--group", value)
}

/// `v1`, `v1alpha1`, `v2beta3`.
pub fn version(value: &str) -> Result<(), CliError> {
    const RULE: &str = "must look like v1, v1alpha1 or v2beta3 (a 'v', a number not starting with 0, optionally alpha/beta and a number)";
    let rest = value.strip_prefix('v').unwrap_or("");
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (major, tail) = rest.split_at(digits);
    let ok_major = !major.is_empty() && !major.starts_with('0');
    let ok_tail = tail.is_empty()
        || ["alpha", "beta"].iter().any(|stage| {
            tail.strip_prefix(stage).is_some_and(|n| {
                !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0')
            })
        });
    if ok_major && ok_tail {
        Ok(())
    } else {
        Err(CliError::invalid("--version", value, RULE))
    }
}

const RUST_KEYWORDS: &[&str] = &[
    "Self", "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
    "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while",
];

/// UpperCamelCase and a valid Rust identifier that does not collide with generated names.
pub fn kind(value: &str) -> Result<(), CliError> {
    const RULE: &str = "must be UpperCamelCase: start with an upper-case letter, then letters and digits only (e.g. Memcached)";
    let mut chars = value.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && value.len() <= 63
        && !RUST_KEYWORDS.contains(&value);
    if !ok {
        return Err(CliError::invalid("--kind", value, RULE));
    }
    if value.ends_with("List") || value.ends_with("Spec") || value.ends_with("Status") {
        return Err(CliError::invalid(
            "--kind",
            value,
            "must not end in List, Spec or Status: those names are generated for every kind",
        ));
    }
    Ok(())
}

/// A plural given with --plural: lower-case DNS-1123 label.
pub fn plural(value: &str) -> Result<(), CliError> {
    dns1123_label("--plural", value)
}

/// `FooBar` → `foo_bar`.
pub fn snake(kind: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = kind.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let boundary = i > 0
            && c.is_ascii_uppercase()
            && (chars[i - 1].is_ascii_lowercase()
                || chars[i - 1].is_ascii_digit()
                || chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()));
        if boundary {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// English plural of a lower-case kind, with the rules kubebuilder's pluraliser applies to
/// regular nouns. The scaffolded `#[kube(plural = ...)]` states it, so kube and the scaffold
/// always agree; `--plural` overrides it.
pub fn pluralize(lower: &str) -> String {
    const SAME: &[&str] = &[
        "sheep", "fish", "series", "species", "deer", "news", "data", "metadata",
    ];
    if SAME.contains(&lower) {
        return lower.to_owned();
    }
    let consonant_y = lower.len() > 1
        && lower.ends_with('y')
        && !matches!(
            lower.as_bytes()[lower.len() - 2],
            b'a' | b'e' | b'i' | b'o' | b'u'
        );
    if consonant_y {
        return format!("{}ies", &lower[..lower.len() - 1]);
    }
    if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|s| lower.ends_with(s))
    {
        return format!("{lower}es");
    }
    format!("{lower}s")
}

/// The project name kubebuilder derives from a directory name: lower-cased, with anything that
/// is not a letter or digit turned into '-'.
pub fn project_name_from_dir(dir: &str) -> String {
    let mut name: String = dir
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while name.contains("--") {
        name = name.replace("--", "-");
    }
    name.trim_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        for ok in ["v1", "v1alpha1", "v2beta3", "v10", "v1beta10"] {
            assert!(version(ok).is_ok(), "{ok}");
        }
        for bad in [
            "1",
            "v",
            "v0",
            "v01",
            "V1",
            "v1alpha",
            "v1gamma1",
            "v1alpha01",
            "v1-alpha1",
            "",
        ] {
            assert!(version(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds() {
        for ok in ["Memcached", "FooBar", "VM2"] {
            assert!(kind(ok).is_ok(), "{ok}");
        }
        for bad in [
            "memcached",
            "Foo-Bar",
            "Foo_Bar",
            "",
            "FooList",
            "Self",
            "Émile",
        ] {
            assert!(kind(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn snake_case() {
        assert_eq!(snake("Memcached"), "memcached");
        assert_eq!(snake("FooBar"), "foo_bar");
        assert_eq!(snake("VMInstance"), "vm_instance");
        assert_eq!(snake("Hwfka"), "hwfka");
    }

    #[test]
    fn plurals() {
        for (one, many) in [
            ("memcached", "memcacheds"),
            ("policy", "policies"),
            ("box", "boxes"),
            ("day", "days"),
            ("bus", "buses"),
            ("match", "matches"),
            ("busybox", "busyboxes"),
            ("virtualmachine", "virtualmachines"),
        ] {
            assert_eq!(pluralize(one), many);
        }
    }

    #[test]
    fn project_names() {
        assert_eq!(project_name_from_dir("My_Operator"), "my-operator");
        assert_eq!(project_name_from_dir("demo"), "demo");
    }
}
