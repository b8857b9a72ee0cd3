//! The string formats kube-openapi checks (go-openapi's `strfmt` registry). Unknown formats
//! (`int32`, `int64`, `double`, ...) are not checked, as in the apiserver; the few registered
//! formats this does not implement are reported, never passed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

use regex::Regex;

/// `None` when `s` has the format (or the format is not checked); otherwise the rest of the
/// apiserver's message after `<field> in body `.
pub(crate) fn check(format: &str, s: &str) -> Option<String> {
    let valid = match format {
        "date-time" | "datetime" => is_date_time(s),
        "date" => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && s.len() == 10,
        "byte" => is_base64(s),
        "uuid" => UUID.is_match(s),
        "uuid3" | "uuid4" | "uuid5" => is_uuid_version(s, &format[4..]),
        "ipv4" => s.parse::<Ipv4Addr>().is_ok(),
        "ipv6" => s.contains(':') && s.parse::<IpAddr>().is_ok(),
        "cidr" => is_cidr(s),
        "mac" => is_mac(s),
        "hostname" => is_hostname(s),
        "email" => is_email(s),
        "uri" => is_uri(s),
        "duration" => is_duration(s),
        "hexcolor" => HEX_COLOR.is_match(s),
        "rgbcolor" => RGB_COLOR.is_match(s),
        "isbn" | "isbn10" | "isbn13" | "creditcard" | "ssn" | "bsonobjectid" => {
            return Some(format!(
                "has format {format}, which offline validation does not check (the apiserver does)"
            ));
        }
        _ => true,
    };
    (!valid).then(|| format!("must be of type {format}: {s:?}"))
}

static UUID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$",
    )
    .expect("static regex")
});
static HEX_COLOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$").expect("static regex"));
static RGB_COLOR: LazyLock<Regex> = LazyLock::new(|| {
    let c = r"\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*";
    Regex::new(&format!(r"^rgb\({c},{c},{c}\)$")).expect("static regex")
});

fn is_date_time(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
        || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
}

fn is_uuid_version(s: &str, version: &str) -> bool {
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    UUID.is_match(s) && s.len() == 36 && hex.get(12..13) == Some(version)
}

fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    s.len().is_multiple_of(4)
        && s.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

fn is_cidr(s: &str) -> bool {
    let Some((ip, prefix)) = s.split_once('/') else {
        return false;
    };
    let Ok(prefix) = prefix.parse::<u8>() else {
        return false;
    };
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => prefix <= 32,
        Ok(IpAddr::V6(_)) => ip.parse::<Ipv6Addr>().is_ok() && prefix <= 128,
        Err(_) => false,
    }
}

/// Go's `net.ParseMAC`: 6, 8 or 20 octets as `xx:xx`, `xx-xx` or `xxxx.xxxx`.
fn is_mac(s: &str) -> bool {
    let octets = |sep: char, width: usize| {
        let groups: Vec<&str> = s.split(sep).collect();
        groups
            .iter()
            .all(|g| g.len() == width && g.bytes().all(|b| b.is_ascii_hexdigit()))
            && [6, 8, 20].contains(&(groups.len() * width / 2))
    };
    octets(':', 2) || octets('-', 2) || octets('.', 4)
}

fn is_hostname(s: &str) -> bool {
    let s = s.strip_suffix('.').unwrap_or(s);
    !s.is_empty()
        && s.len() <= 255
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// An approximation of Go's `mail.ParseAddress`: `local@domain` or `Name <local@domain>`.
fn is_email(s: &str) -> bool {
    let address = match (s.find('<'), s.strip_suffix('>')) {
        (Some(open), Some(rest)) => &rest[open + 1..],
        _ => s,
    };
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

/// Go's `url.Parse` accepts almost anything: it refuses control characters and broken `%`
/// escapes.
fn is_uri(s: &str) -> bool {
    let bytes = s.as_bytes();
    !s.chars().any(char::is_control)
        && bytes.iter().enumerate().all(|(i, b)| {
            *b != b'%'
                || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        })
        && !s.starts_with(':')
}

/// go-openapi's duration: numbers with units (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`, `d`,
/// `w`), optionally separated by spaces.
fn is_duration(s: &str) -> bool {
    static DURATION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[-+]?(?:\s*\d+(?:\.\d+)?\s*(?:ns|us|µs|ms|s|m|h|d|w|(?:nano|micro|milli)?seconds?|minutes?|hours?|days?|weeks?))+$")
            .expect("static regex")
    });
    DURATION.is_match(s.trim())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn checked_formats_accept_good_and_name_bad_values() {
        for (format, good, bad) in [
            ("date-time", "2024-01-02T03:04:05Z", "yesterday"),
            ("date", "2024-02-29", "2023-02-29"),
            ("byte", "aGVsbG8=", "aGVsbG8"),
            ("uuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567"),
            ("ipv4", "10.0.0.1", "10.0.0.256"),
            ("ipv6", "fe80::1", "10.0.0.1"),
            ("cidr", "10.0.0.0/8", "10.0.0.0/33"),
            ("mac", "00:1a:2b:3c:4d:5e", "00:1a:2b"),
            ("hostname", "a.example", "-a.example"),
            ("email", "a@b.example", "notanemail"),
            ("duration", "1h30m", "soon"),
        ] {
            assert_eq!(check(format, good), None, "{format} {good}");
            assert_eq!(
                check(format, bad),
                Some(format!("must be of type {format}: {bad:?}")),
                "{format} {bad}"
            );
        }
        assert_eq!(check("int32", "anything"), None);
        assert!(check("isbn", "x").unwrap().contains("does not check"));
    }
}
