//! `scaffold edit --plugins grafana`: the dashboards (snapshots), that every metric they query
//! is one the Kubeforge manager serves, the custom-metrics dashboard, and --dry-run, --force and
//! bad input.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::Value;

mod common;

use common::{files, scaffold, scaffold_ok as ok};

fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    ok(
        tmp.path(),
        &[
            "init",
            "--domain",
            "example.com",
            "--project-name",
            "memcached-operator",
            "--kubeforge-version",
            "0.1.0",
        ],
    );
    tmp
}

const DASHBOARDS: &[&str] = &[
    "grafana/controller-runtime-metrics.json",
    "grafana/controller-resources-metrics.json",
];

#[test]
fn grafana_snapshots() {
    let tmp = project();
    let before = files(tmp.path());
    ok(tmp.path(), &["edit", "--plugins", "grafana"]);
    let after = files(tmp.path());
    let changed: Vec<&String> = after
        .iter()
        .filter(|(path, text)| before.get(*path) != Some(text))
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        changed,
        [
            "PROJECT",
            "grafana/controller-resources-metrics.json",
            "grafana/controller-runtime-metrics.json",
            "grafana/custom-metrics/config.yaml",
        ]
    );
    assert!(after["PROJECT"].contains("\n  grafana.kubebuilder.io/v1-alpha: {}\n"));
    std::fs::write(
        tmp.path().join("grafana/custom-metrics/config.yaml"),
        "customMetrics:\n- metric: memcached_resizes_total\n  type: counter\n- metric: memcached_fill_seconds\n  type: histogram\n- metric: memcached_items\n  type: gauge\n  unit: short\n",
    )
    .unwrap();
    ok(tmp.path(), &["edit", "--plugins", "grafana/v1-alpha"]);
    let after = files(tmp.path());
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        for path in DASHBOARDS.iter().chain(&["grafana/custom-metrics/config.yaml", "grafana/custom-metrics/custom-metrics-dashboard.json"]) {
            let text = &after[*path];
            if path.ends_with(".json") {
                let _: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            }
            insta::assert_snapshot!(format!("grafana__{}", path.replace('/', "__")), text);
        }
    });
}

/// The metric names a PromQL expression reads: identifiers outside label matchers, ranges and
/// strings that are not functions, aggregation modifiers or keywords.
fn promql_metrics(expr: &str) -> BTreeSet<String> {
    const KEYWORDS: &[&str] = &[
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
        "and",
        "or",
        "unless",
        "offset",
        "bool",
    ];
    let mut cleaned = String::new();
    let mut depth_braces = 0;
    let mut depth_brackets = 0;
    let mut in_string = false;
    for c in expr.chars() {
        match c {
            '"' => in_string = !in_string,
            _ if in_string => {}
            '{' => depth_braces += 1,
            '}' => depth_braces -= 1,
            '[' => depth_brackets += 1,
            ']' => depth_brackets -= 1,
            _ if depth_braces == 0 && depth_brackets == 0 => cleaned.push(c),
            _ => {}
        }
        if c == '{' || c == '[' {
            cleaned.push(' ');
        }
    }
    let mut names = BTreeSet::new();
    let chars: Vec<char> = cleaned.chars().collect();
    let mut i = 0;
    let mut after_modifier = false;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphabetic() || c == '_' || c == ':' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || "_:".contains(chars[i])) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let rest = cleaned[cleaned
                .char_indices()
                .nth(i)
                .map_or(cleaned.len(), |(b, _)| b)..]
                .trim_start();
            if KEYWORDS.contains(&word.as_str()) {
                // `by (a, b)`, `on (pod)`: a list of labels follows.
                after_modifier = rest.starts_with('(');
            } else if rest.starts_with('(') {
                after_modifier = false;
            } else if !after_modifier {
                names.insert(word);
            }
        } else {
            if c == ')' {
                after_modifier = false;
            }
            if c.is_ascii_digit() || c == '.' {
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                    i += 1;
                }
                continue;
            }
            i += 1;
        }
    }
    names
}

#[test]
fn promql_metric_names_are_found() {
    let names = promql_metrics(
        "histogram_quantile(0.99, sum(rate(a_seconds_bucket{job=\"$job\", x=~\"b|c\"}[5m])) by (controller, le)) / b_total + on(pod) group_left c",
    );
    assert_eq!(
        names,
        BTreeSet::from(["a_seconds_bucket".into(), "b_total".into(), "c".into()])
    );
    let names = promql_metrics("label_values(up{job=\"$job\"}, namespace)");
    assert!(names.contains("up"), "{names:?}");
}

/// Every query of a dashboard: panel targets and template variables.
fn queries(dashboard: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().into_iter().flatten() {
            out.push(target["expr"].as_str().unwrap().to_owned());
        }
    }
    for var in dashboard["templating"]["list"].as_array().unwrap() {
        let query = var["query"]["query"].as_str().unwrap();
        // label_values(<selector>, <label>): the label is not a metric.
        let selector = query
            .strip_prefix("label_values(")
            .and_then(|q| q.rsplit_once(','))
            .map_or(query, |(selector, _)| selector);
        out.push(selector.to_owned());
    }
    out
}

/// The sample names a Kubeforge manager serves on /metrics, from the runtime's own registry
/// with one sample of each of its metrics recorded.
fn served() -> BTreeSet<String> {
    let metrics = kubeforge_runtime::Metrics::default();
    let outcome = kubeforge_runtime::metrics::Outcome::success;
    metrics.reconciled("memcached", outcome, Duration::from_millis(3));
    metrics.reconcile_failed("memcached");
    metrics.set_leader("memcached-operator", true);
    let _worker = metrics.worker_started("memcached");
    metrics
        .encode()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split(['{', ' ']).next().unwrap().to_owned())
        .collect()
}

#[test]
fn dashboards_query_only_metrics_the_manager_serves() {
    let tmp = project();
    ok(tmp.path(), &["edit", "--plugins", "grafana"]);
    let served = served();
    let mut used = BTreeSet::new();
    for path in DASHBOARDS {
        let dashboard: Value =
            serde_json::from_str(&std::fs::read_to_string(tmp.path().join(path)).unwrap()).unwrap();
        for query in queries(&dashboard) {
            let names = promql_metrics(&query);
            assert!(!names.is_empty(), "{path}: no metric in {query}");
            for name in names {
                assert!(
                    served.contains(&name),
                    "{path} queries {name}, which the manager does not serve; it serves {served:?}"
                );
                used.insert(name);
            }
        }
    }
    // Reconcile rate, errors and duration, workers, leader, CPU and memory all have a panel.
    for needed in [
        "controller_runtime_reconcile_total",
        "controller_runtime_reconcile_errors_total",
        "controller_runtime_reconcile_time_seconds_bucket",
        "controller_runtime_active_workers",
        "leader_election_master_status",
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
    ] {
        assert!(used.contains(needed), "no dashboard charts {needed}");
    }
}

#[test]
fn dry_run_force_and_bad_input() {
    let tmp = project();
    let dir = tmp.path();
    let before = files(dir);
    let out = ok(dir, &["edit", "--plugins", "grafana", "--dry-run"]);
    assert!(out.contains("would write 4 files"), "{out}");
    assert_eq!(files(dir), before);

    let out = scaffold(dir, &["edit", "--plugins", "grafana,prometheus"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--plugins \"prometheus\"") && err.contains("grafana/v1-alpha"),
        "{err}"
    );
    assert_eq!(files(dir), before);

    ok(dir, &["edit", "--plugins", "grafana"]);
    let written = files(dir);
    assert_eq!(
        ok(dir, &["edit", "--plugins", "grafana"])
            .lines()
            .next()
            .unwrap()
            .split(' ')
            .nth(2),
        Some("0")
    );
    assert_eq!(files(dir), written, "a second run changes nothing");

    // A dashboard the user changed is refused without --force, and nothing else is written.
    let runtime = dir.join(DASHBOARDS[0]);
    std::fs::write(&runtime, "{}\n").unwrap();
    let config = dir.join("grafana/custom-metrics/config.yaml");
    std::fs::write(
        &config,
        "customMetrics:\n- metric: foo_total\n  type: counter\n",
    )
    .unwrap();
    let edited = files(dir);
    let out = scaffold(dir, &["edit", "--plugins", "grafana"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(DASHBOARDS[0]) && err.contains("--force"),
        "{err}"
    );
    assert_eq!(files(dir), edited);
    ok(dir, &["edit", "--plugins", "grafana", "--force"]);
    let forced = files(dir);
    assert_eq!(forced[DASHBOARDS[0]], written[DASHBOARDS[0]]);
    assert_eq!(
        forced["grafana/custom-metrics/config.yaml"], edited["grafana/custom-metrics/config.yaml"],
        "the user's metrics list survives --force"
    );
    assert!(forced.contains_key("grafana/custom-metrics/custom-metrics-dashboard.json"));

    // A bad metrics list is named, and nothing is written.
    std::fs::write(&config, "customMetrics:\n- metric: foo\n  type: summary\n").unwrap();
    let bad = files(dir);
    let out = scaffold(dir, &["edit", "--plugins", "grafana", "--force"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("customMetrics[0].type") && err.contains("summary"),
        "{err}"
    );
    assert_eq!(files(dir), bad);

    // An emptied list removes its dashboard.
    std::fs::write(&config, "customMetrics: []\n").unwrap();
    ok(dir, &["edit", "--plugins", "grafana"]);
    assert!(
        !dir.join("grafana/custom-metrics/custom-metrics-dashboard.json")
            .exists()
    );

    let empty = tempfile::tempdir().unwrap();
    let out = scaffold(empty.path(), &["edit", "--plugins", "grafana"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PROJECT"));
    assert!(files(empty.path()).is_empty());
}
