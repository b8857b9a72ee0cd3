//! scorecard's output formats: `text` (operator-sdk's `Test.MarshalText`, byte for byte) and
//! `json` (its `TestList`).

use serde_json::{Value, json};

use super::checks::TestResult;
use super::config::{API_VERSION, TestConfiguration};

/// One configured test and, unless listed only, its results.
pub struct Test {
    pub spec: TestConfiguration,
    pub results: Vec<TestResult>,
}

fn quoted(s: &str) -> String {
    // Go's %q for the label keys and values scorecard configs hold (printable text).
    serde_json::to_string(s).unwrap_or_default()
}

pub fn text(test: &Test) -> String {
    let mut out = format!("{}\n", "-".repeat(80));
    out += &format!("Image:      {}\n", test.spec.image);
    if !test.spec.entrypoint.is_empty() {
        out += &format!("Entrypoint: [{}]\n", test.spec.entrypoint.join(" "));
    }
    if !test.spec.labels.is_empty() {
        out += "Labels:\n";
        for (k, v) in &test.spec.labels {
            out += &format!("\t{}:{}\n", quoted(k), quoted(v));
        }
    }
    if !test.results.is_empty() {
        out += "Results:\n";
        for r in &test.results {
            if !r.name.is_empty() {
                out += &format!("\tName: {}\n", r.name);
            }
            // operator-sdk writes an empty line after the state.
            out += &format!("\tState: {}\n\n", r.state.as_str());
            if !r.suggestions.is_empty() {
                out += "\tSuggestions:\n";
                for s in &r.suggestions {
                    out += &format!("\t\t{s}\n");
                }
            }
            if !r.errors.is_empty() {
                out += "\tErrors:\n";
                for e in &r.errors {
                    out += &format!("\t\t{e}\n");
                }
            }
            if !r.log.is_empty() {
                out += "\tLog:\n";
                for line in r.log.lines() {
                    out += &format!("\t\t{line}\n");
                }
            }
            out += "\n";
        }
    }
    out
}

pub fn json(tests: &[Test]) -> Value {
    let items: Vec<Value> = tests
        .iter()
        .map(|t| {
            let mut spec = json!({ "image": t.spec.image });
            if !t.spec.entrypoint.is_empty() {
                spec["entrypoint"] = json!(t.spec.entrypoint);
            }
            if !t.spec.labels.is_empty() {
                spec["labels"] = json!(t.spec.labels);
            }
            let mut item =
                json!({ "kind": "Test", "apiVersion": API_VERSION, "spec": spec, "status": {} });
            if !t.results.is_empty() {
                item["status"]["results"] = json!(t.results);
            }
            item
        })
        .collect();
    json!({ "kind": "TestList", "apiVersion": API_VERSION, "items": items })
}
