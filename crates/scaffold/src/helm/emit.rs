//! Writes one Kubernetes object as a Helm template.
//!
//! Why not handlebars: Helm templates are Go templates and use `{{ }}` like handlebars, so a
//! static `.hbs` per chart file would be mostly `{{{{raw}}}}` blocks, and the chart's files are
//! not static anyway: there is one per object of the rendered install, whatever the user put in
//! config/. So each object is taken from the `kubectl kustomize` output as a `serde_json::Value`,
//! the places that become Helm expressions are replaced by unique marker strings ([`Subs`]), the
//! value is written as YAML by serde-saphyr (so quoting stays right), and the markers are then
//! swapped for the Go-template text. Braces that were in the object itself are escaped first, so
//! Helm prints them back verbatim.

use serde_json::Value;

/// Prefix of every marker. Marker keys sort after ordinary keys (serde_json's maps are sorted),
/// so a marker key is never the first key of a list item (`- key:`), where whole lines could not
/// be put.
const MARKER: &str = "zzz_kubeforge_helm_";
/// Marker for the release namespace inside any string.
pub const NAMESPACE: &str = "zzz_kubeforge_namespace";
/// Marker for the metrics port (`metrics.port`) where the install has the port number.
pub const METRICS_PORT: &str = "zzz_kubeforge_metrics_port";

/// The Go-template text of the shared markers.
fn shared(line: &str) -> String {
    line.replace(NAMESPACE, "{{ .Release.Namespace }}")
        .replace(METRICS_PORT, "{{ .Values.metrics.port }}")
}

/// What a marker stands for.
pub enum Sub {
    /// A value marker replaced by Go-template text on the same line: `replicas: {{ ... }}`.
    Inline(String),
    /// A value marker whose key gets these lines as its value, indented under the key
    /// (lists with conditional items, for instance).
    Raw(Vec<String>),
    /// A key marker replaced by these lines at the key's indentation; `{col}` in a line is the
    /// indentation column and `{col2}` two more (for `nindent`).
    Lines(Vec<String>),
}

#[derive(Default)]
pub struct Subs {
    list: Vec<Sub>,
}

impl Subs {
    fn marker(&mut self, sub: Sub) -> String {
        self.list.push(sub);
        // Zero-padded, so markers of one map sort in the order they were made.
        format!("{MARKER}{:04}", self.list.len() - 1)
    }

    /// A string value to put where `{{ expr }}`-like text goes.
    pub fn inline(&mut self, text: impl Into<String>) -> Value {
        Value::String(self.marker(Sub::Inline(text.into())))
    }

    /// A string value to put where the key's value is `lines`.
    pub fn raw(&mut self, lines: Vec<String>) -> Value {
        Value::String(self.marker(Sub::Raw(lines)))
    }

    /// Inserts into `map` a key that is replaced by `lines`.
    pub fn lines(&mut self, map: &mut serde_json::Map<String, Value>, lines: Vec<String>) {
        let key = self.marker(Sub::Lines(lines));
        map.insert(key, Value::Null);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    #[error("cannot write {what} as YAML: {source}")]
    Yaml {
        what: String,
        source: serde_saphyr::SerializeError,
    },
    #[error("{what}: a Helm expression landed where it cannot be written: {line:?}")]
    Misplaced { what: String, line: String },
}

/// Plain YAML of `value` (values.yaml sections, list items of [`Sub::Raw`]).
pub fn yaml(value: &Value, what: &str) -> Result<String, EmitError> {
    serde_saphyr::to_string_with_options(value, crate::yaml::manifest_options()).map_err(|source| {
        EmitError::Yaml {
            what: what.to_owned(),
            source,
        }
    })
}

/// Go-template escape of literal text: `{{` would start an action.
fn escape(text: &str) -> String {
    text.replace("{{", "{{ \"{{\" }}")
}

/// Writes `value` with its markers replaced.
pub fn emit(value: &Value, subs: &Subs, what: &str) -> Result<String, EmitError> {
    let text = escape(&yaml(value, what)?);
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = shared(line);
        let Some(at) = line.find(MARKER) else {
            out.push_str(&line);
            out.push('\n');
            continue;
        };
        let digits: String = line[at + MARKER.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let end = at + MARKER.len() + digits.len();
        let misplaced = || EmitError::Misplaced {
            what: what.to_owned(),
            line: line.clone(),
        };
        let sub = digits
            .parse::<usize>()
            .ok()
            .and_then(|i| subs.list.get(i))
            .ok_or_else(misplaced)?;
        // The column where this line's key starts (after a list item's `- `).
        let body = line.trim_start();
        let indent = line.len() - body.len();
        let col = if body.starts_with("- ") {
            indent + 2
        } else {
            indent
        };
        match sub {
            Sub::Inline(text) => {
                out.push_str(&line[..at]);
                out.push_str(text);
                out.push_str(&line[end..]);
                out.push('\n');
            }
            Sub::Raw(lines) => {
                if !line[end..].trim().is_empty() {
                    return Err(misplaced());
                }
                out.push_str(line[..at].trim_end());
                out.push('\n');
                for l in lines {
                    push_line(&mut out, col + 2, l);
                }
            }
            Sub::Lines(lines) => {
                if at != indent {
                    return Err(misplaced());
                }
                for l in lines {
                    push_line(&mut out, col, l);
                }
            }
        }
    }
    Ok(out)
}

fn push_line(out: &mut String, col: usize, line: &str) {
    let line = line
        .replace("{col2}", &(col + 2).to_string())
        .replace("{col}", &col.to_string());
    if !line.is_empty() {
        out.push_str(&" ".repeat(col));
    }
    out.push_str(&line);
    out.push('\n');
}

/// The lines of `value` as a YAML list item: `- ` before the first line, two spaces before the
/// others.
pub fn list_item(value: &Value, what: &str) -> Result<Vec<String>, EmitError> {
    let text = escape(&yaml(value, what)?);
    Ok(text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let l = shared(l);
            if i == 0 {
                format!("- {l}")
            } else {
                format!("  {l}")
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn markers_become_go_template_text() {
        let mut subs = Subs::default();
        let mut labels = serde_json::Map::new();
        labels.insert("app".into(), json!("x"));
        subs.lines(
            &mut labels,
            vec!["{{- include \"chart.labels\" . | nindent {col} }}".into()],
        );
        let value = json!({
            "metadata": {"labels": labels, "namespace": NAMESPACE, "note": "a {{ b }}"},
            "spec": {"replicas": subs.inline("{{ .Values.r }}"),
                     "list": subs.raw(vec!["{{- if .Values.x }}".into(), "- 1".into(), "{{- end }}".into()])},
        });
        let text = emit(&value, &subs, "test").unwrap();
        assert_eq!(
            text,
            "metadata:\n  labels:\n    app: x\n    {{- include \"chart.labels\" . | nindent 4 }}\n  namespace: {{ .Release.Namespace }}\n  note: a {{ \"{{\" }} b }}\nspec:\n  list:\n    {{- if .Values.x }}\n    - 1\n    {{- end }}\n  replicas: {{ .Values.r }}\n"
        );
    }
}
