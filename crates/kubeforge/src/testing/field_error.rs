//! Field errors in apimachinery's shape (`k8s.io/apimachinery/pkg/util/validation/field`), so an
//! offline rejection reads exactly like the apiserver's.

use std::fmt;

use serde_json::Value;

/// What kind of problem a [`FieldError`] reports; each prints as apimachinery's `ErrorType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// `Invalid value`: the value breaks a bound, a pattern, a format or a CEL rule.
    Invalid,
    /// `Invalid value` from a type mismatch; it stops CEL rules, like the apiserver.
    TypeInvalid,
    /// `Required value`: a required field is missing.
    Required,
    /// `Unsupported value`: the value is not in the enum.
    NotSupported,
    /// `Duplicate value`: a repeated item in a `set` or `map` list.
    Duplicate,
    /// `Forbidden`: a CEL rule with `reason: FieldValueForbidden`.
    Forbidden,
    /// `Too long`: a string over `maxLength`.
    TooLong,
    /// `Too many`: more items or properties than `maxItems` / `maxProperties`.
    TooMany,
    /// `Internal error`: something offline validation cannot check (never a silent pass).
    Internal,
}

impl ErrorKind {
    fn label(self) -> &'static str {
        match self {
            ErrorKind::Invalid | ErrorKind::TypeInvalid => "Invalid value",
            ErrorKind::Required => "Required value",
            ErrorKind::NotSupported => "Unsupported value",
            ErrorKind::Duplicate => "Duplicate value",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::TooLong => "Too long",
            ErrorKind::TooMany => "Too many",
            ErrorKind::Internal => "Internal error",
        }
    }

    /// The apiserver skips CEL rules when the schema check found one of these.
    pub(crate) fn blocks_rules(self) -> bool {
        matches!(
            self,
            ErrorKind::NotSupported
                | ErrorKind::Required
                | ErrorKind::TooLong
                | ErrorKind::TooMany
                | ErrorKind::TypeInvalid
        )
    }
}

/// One problem with one field, printed as `<field>: <kind>[: <value>][: <detail>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's path as the apiserver prints it (`spec.ports[0].name`, `<nil>` for none).
    pub field: String,
    /// What went wrong.
    pub kind: ErrorKind,
    /// The offending value, already printed the way Go's `ErrorBody` prints it.
    pub value: Option<String>,
    /// The explanation after the value.
    pub detail: String,
}

impl FieldError {
    pub(crate) fn new(field: &str, kind: ErrorKind, value: Option<String>, detail: String) -> Self {
        FieldError {
            field: if field.is_empty() {
                "<nil>".to_owned()
            } else {
                field.to_owned()
            },
            kind,
            value,
            detail,
        }
    }

    pub(crate) fn invalid(field: &str, value: &Value, detail: String) -> Self {
        FieldError::new(field, ErrorKind::Invalid, Some(go_value(value)), detail)
    }

    pub(crate) fn required(field: &str, detail: &str) -> Self {
        FieldError::new(field, ErrorKind::Required, None, detail.to_owned())
    }

    pub(crate) fn internal(field: &str, detail: String) -> Self {
        FieldError::new(field, ErrorKind::Internal, None, detail)
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.kind.label())?;
        if let Some(value) = &self.value {
            write!(f, ": {value}")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// A value printed as Go's `field.Error.ErrorBody` does: numbers and booleans bare, strings
/// quoted, null as `"null"`, anything else as `%#v`.
pub(crate) fn go_value(value: &Value) -> String {
    match value {
        Value::Null => "\"null\"".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_number(n),
        Value::String(s) => go_quote(s),
        other => go_sharp_v(other),
    }
}

/// Go's `strconv.Quote`, close enough for field values: Rust's `Debug` escapes the same
/// characters in the common cases.
pub(crate) fn go_quote(s: &str) -> String {
    format!("{s:?}")
}

/// A JSON number as Go's `%v` prints the int64 or float64 the apiserver decoded it to.
pub(crate) fn go_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    go_float(n.as_f64().unwrap_or(f64::NAN))
}

/// Go's `%v` for a float64: the shortest digits, in exponent form below 1e-4 and from 1e21 up.
pub(crate) fn go_float(f: f64) -> String {
    if !f.is_finite() {
        return if f.is_nan() {
            "NaN".to_owned()
        } else if f > 0.0 {
            "+Inf".to_owned()
        } else {
            "-Inf".to_owned()
        };
    }
    if f == 0.0 {
        return "0".to_owned();
    }
    let exp = f.abs().log10().floor() as i32;
    if (-4..21).contains(&exp) {
        return format!("{f}");
    }
    // `{:e}` gives the shortest digits as `1.5e21`; Go writes `1.5e+21`, two exponent digits.
    let formatted = format!("{f:e}");
    let (mantissa, exponent) = formatted.split_once('e').unwrap_or((&formatted, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

/// Go's `%#v` of the `map[string]interface{}` / `[]interface{}` a JSON value decodes to.
pub(crate) fn go_sharp_v(value: &Value) -> String {
    match value {
        Value::Null => "interface {}(nil)".to_owned(),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let entries: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", go_quote(k), go_sharp_v(&map[k])))
                .collect();
            format!("map[string]interface {{}}{{{}}}", entries.join(", "))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(go_sharp_v).collect();
            format!("[]interface {{}}{{{}}}", items.join(", "))
        }
        scalar => go_value(scalar),
    }
}

/// The errors an object was refused with, printed as `kubectl create` prints them:
/// `The Memcached "name" is invalid: spec.size: ...`, one `* ` line per error when several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The object's kind.
    pub kind: String,
    /// The object's `metadata.name` (empty when it has none).
    pub name: String,
    /// Every error, in the order the apiserver reports them.
    pub errors: Vec<FieldError>,
}

impl Invalid {
    /// Each error as one line (`spec.size: Invalid value: 11: ...`), duplicates removed like
    /// apimachinery's `ToAggregate`.
    pub fn messages(&self) -> Vec<String> {
        let mut seen = std::collections::BTreeSet::new();
        self.errors
            .iter()
            .map(ToString::to_string)
            .filter(|m| seen.insert(m.clone()))
            .collect()
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "The {} {} is invalid: ", self.kind, go_quote(&self.name))?;
        match self.messages().as_slice() {
            [one] => write!(f, "{one}"),
            many => {
                for message in many {
                    write!(f, "\n* {message}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Invalid {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_print_like_go_error_body() {
        assert_eq!(go_value(&json!(11)), "11");
        assert_eq!(go_value(&json!(1.5)), "1.5");
        assert_eq!(go_value(&json!(1.5e22)), "1.5e+22");
        assert_eq!(go_value(&json!(0.00001)), "1e-05");
        assert_eq!(go_value(&json!("a\"b")), r#""a\"b""#);
        assert_eq!(go_value(&json!(null)), r#""null""#);
        assert_eq!(
            go_value(&json!({"name": "a", "port": 80})),
            r#"map[string]interface {}{"name":"a", "port":80}"#
        );
    }

    #[test]
    fn one_error_inline_several_as_bullets() {
        let error = |field: &str| FieldError::required(field, "");
        let mut invalid = Invalid {
            kind: "Memcached".into(),
            name: "m".into(),
            errors: vec![error("spec.a")],
        };
        assert_eq!(
            invalid.to_string(),
            r#"The Memcached "m" is invalid: spec.a: Required value"#
        );
        invalid.errors.push(error("spec.b"));
        invalid.errors.push(error("spec.a"));
        assert_eq!(
            invalid.to_string(),
            "The Memcached \"m\" is invalid: \n* spec.a: Required value\n* spec.b: Required value"
        );
    }
}
