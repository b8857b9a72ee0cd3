//! RBAC rules from `#[rbac(...)]` attributes, merged into the Roles controller-gen writes.
//!
//! `kubeforge::rbac` names two things: this module (the runtime: registrations, the merge,
//! [`Rule`]) and the attribute `#[rbac(...)]` (a macro, which lives in the macro
//! namespace). `use kubeforge::rbac;` brings in both.
//!
//! # The attribute
//!
//! The counterpart of controller-gen's `// +kubebuilder:rbac:...` marker:
//!
//! ```
//! use kubeforge::rbac;
//!
//! #[rbac(groups = "apps", resources = "deployments;deployments/status", verbs = "get;list;watch")]
//! #[rbac(groups = "core", resources = "events", verbs = "create;patch")]
//! #[rbac(groups = "coordination.k8s.io", resources = "leases", verbs = "*", namespace = "system")]
//! #[rbac(urls = "/metrics", verbs = "get")]
//! async fn reconcile() {}
//! # fn main() {
//! # let yaml = kubeforge::rbac_yaml(kubeforge::rbac::DEFAULT_ROLE_NAME).unwrap();
//! # assert!(yaml.starts_with("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"));
//! # }
//! ```
//!
//! | key | controller-gen | value |
//! |---|---|---|
//! | `groups` | `groups` | API groups; `core` or `""` is the core group (written `""`) |
//! | `resources` | `resources` | resources, `resource/subresource` for subresources |
//! | `resource_names` | `resourceNames` | names of single objects |
//! | `verbs` | `verbs` | required; lower-case words (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`, ...) or `*` |
//! | `urls` | `urls` | non-resource URLs (`/metrics`, `/healthz/*`) |
//! | `namespace` | `namespace` | puts the rule in a Role in that namespace instead of the ClusterRole |
//! | `role_name` | `roleName` | the Role/ClusterRole's name instead of the default |
//!
//! Every list is a string of `;`-separated items (as in controller-gen) or an array of such
//! strings: `groups = ["apps", ""]`. An empty item is an error, except a lone `""` in
//! `groups`, which is the core group.
//!
//! The attribute is repeatable and goes on a function or method (typically `reconcile`), or
//! on a struct, enum, impl, const, static, trait, type alias or mod; the item is left as
//! written. Rules are collected at link time (like CRD versions): any binary that links
//! the crate sees them.
//!
//! Compile errors, at the key or value concerned: unknown or repeated key; no `verbs`;
//! neither `resources` nor `urls`; `urls` together with `groups`, `resources`,
//! `resource_names` or `namespace` (Kubernetes only allows non-resource URLs in a
//! ClusterRole); `resources` without `groups` (Kubernetes rejects such a rule); a verb that
//! is not `*` or a lower-case word; an empty or whitespace-containing list item; a URL not
//! starting with `/`; an invalid namespace or role name.
//!
//! # The merge
//!
//! [`rbac_roles`] does what controller-gen's `pkg/rbac/parser.go` does:
//!
//! 1. Rules are grouped by (namespace, role name); the role name is `role_name` or the
//!    default given to [`rbac_roles`] (controller-gen's `rbac:roleName=manager-role`).
//! 2. Each rule is split into one rule per resource (a rule without resources stays whole).
//! 3. The `core` group becomes `""`; every list is deduplicated and sorted.
//! 4. Rules with the same groups, resources, resource names and URLs are merged: their verbs
//!    are united.
//! 5. Rules that differ only in resources are merged (same groups, resource names, URLs and
//!    verbs); then rules that differ only in groups; then rules that differ only in URLs. Each
//!    step runs once, in that order (no repetition until nothing changes).
//! 6. Rules are sorted by the string `groups + resources + resourceNames + urls` (items
//!    joined with `&`); then a rule whose verbs include `*` gets the verbs `["*"]`.
//! 7. One ClusterRole for the rules without namespace, one Role per (namespace, name), in
//!    the order: namespace, then name (so ClusterRoles first). A role without rules is not
//!    written.
//!
//! One deviation: when a merge step makes two rules identical in groups, resources, resource
//! names and URLs (possible in step 5, e.g. `groups = "a"` + `groups = "b"` with verbs `get`
//! next to `groups = "a;b"` with verb `list`), controller-gen keeps one of them, chosen by
//! Go's random map order, and drops the other's verbs; here their verbs are united, so the
//! output is deterministic and no permission is lost.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::error::Error;

/// The role name controller-gen is given by kubebuilder's Makefile (`rbac:roleName=manager-role`).
pub const DEFAULT_ROLE_NAME: &str = "manager-role";

/// One `#[rbac(...)]` attribute, as the macro registers it. Not meant to be written by hand,
/// but plain data: [`roles_from`] accepts hand-made ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleRegistration {
    /// `module::item` the attribute is on, for ordering and messages.
    pub source: &'static str,
    pub groups: &'static [&'static str],
    pub resources: &'static [&'static str],
    pub resource_names: &'static [&'static str],
    pub verbs: &'static [&'static str],
    pub urls: &'static [&'static str],
    /// `None`: the rule goes into the ClusterRole.
    pub namespace: Option<&'static str>,
    /// `None`: the default role name.
    pub role_name: Option<&'static str>,
}

inventory::collect!(RuleRegistration);

/// Every registered rule, in a fixed order (link order is not).
pub fn registrations() -> Vec<&'static RuleRegistration> {
    let mut all: Vec<_> = inventory::iter::<RuleRegistration>.into_iter().collect();
    all.sort_by(|a, b| {
        (a.source, a.namespace, a.role_name, a.groups, a.resources)
            .cmp(&(b.source, b.namespace, b.role_name, b.groups, b.resources))
            .then_with(|| {
                (a.resource_names, a.urls, a.verbs).cmp(&(b.resource_names, b.urls, b.verbs))
            })
    });
    all
}

/// One policy rule (`rbac.authorization.k8s.io/v1` `PolicyRule`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rule {
    pub groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub urls: Vec<String>,
    pub verbs: Vec<String>,
}

impl Rule {
    /// The rule as Kubernetes JSON: `apiGroups`, `nonResourceURLs`, `resourceNames`,
    /// `resources` (each left out when empty) and `verbs`.
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        let mut put = |key: &str, list: &[String]| {
            if !list.is_empty() {
                map.insert(key.to_owned(), json!(list));
            }
        };
        put("apiGroups", &self.groups);
        put("nonResourceURLs", &self.urls);
        put("resourceNames", &self.resource_names);
        put("resources", &self.resources);
        map.insert("verbs".to_owned(), json!(self.verbs));
        Value::Object(map)
    }

    fn normalize(&mut self) {
        for list in [
            &mut self.groups,
            &mut self.resources,
            &mut self.resource_names,
            &mut self.urls,
            &mut self.verbs,
        ] {
            list.sort();
            list.dedup();
        }
    }

    /// controller-gen's `ruleKey`: the lists joined with `&`.
    fn key(&self) -> Key {
        Key([
            self.groups.join("&"),
            self.resources.join("&"),
            self.resource_names.join("&"),
            self.urls.join("&"),
        ])
    }
}

impl From<&RuleRegistration> for Rule {
    fn from(r: &RuleRegistration) -> Self {
        let owned = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
        Rule {
            groups: owned(r.groups),
            resources: owned(r.resources),
            resource_names: owned(r.resource_names),
            urls: owned(r.urls),
            verbs: owned(r.verbs),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key([String; 4]);

impl Key {
    /// controller-gen's `ruleKey.String()`, the sort key of the output.
    fn sort_string(&self) -> String {
        self.0.join(" + ")
    }
}

/// controller-gen's `NormalizeRules`, preceded by its split into one rule per resource:
/// the rules of one role, merged and sorted (steps 2 to 6 of the [module docs](self)).
pub fn normalize_rules(rules: impl IntoIterator<Item = Rule>) -> Vec<Rule> {
    // Split per resource; `core` is the core group.
    let split = rules.into_iter().flat_map(|rule| {
        if rule.resources.is_empty() {
            return vec![rule];
        }
        rule.resources
            .iter()
            .map(|resource| Rule {
                resources: vec![resource.clone()],
                ..rule.clone()
            })
            .collect()
    });

    // Same groups + resources + resource names + URLs: unite the verbs.
    let mut rules: BTreeMap<Key, Rule> = BTreeMap::new();
    for mut rule in split {
        for group in &mut rule.groups {
            if group == "core" {
                group.clear();
            }
        }
        rule.normalize();
        insert_uniting_verbs(&mut rules, rule);
    }

    // Differing only in resources, then only in groups, then only in URLs.
    let rules = merge_by(
        rules,
        |r| [&r.groups, &r.resource_names, &r.urls, &r.verbs],
        |r| &mut r.resources,
    );
    let rules = merge_by(
        rules,
        |r| [&r.resources, &r.resource_names, &r.urls, &r.verbs],
        |r| &mut r.groups,
    );
    let rules = merge_by(
        rules,
        |r| [&r.groups, &r.resources, &r.resource_names, &r.verbs],
        |r| &mut r.urls,
    );

    let mut sorted: Vec<(String, Key, Rule)> = rules
        .into_iter()
        .map(|(key, rule)| (key.sort_string(), key, rule))
        .collect();
    sorted.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    sorted
        .into_iter()
        .map(|(_, _, mut rule)| {
            if rule.verbs.iter().any(|v| v == "*") {
                rule.verbs = vec!["*".to_owned()];
            }
            rule
        })
        .collect()
}

fn insert_uniting_verbs(rules: &mut BTreeMap<Key, Rule>, rule: Rule) {
    match rules.entry(rule.key()) {
        Entry::Vacant(slot) => {
            slot.insert(rule);
        }
        Entry::Occupied(mut slot) => {
            let existing = slot.get_mut();
            existing.verbs.extend(rule.verbs);
            existing.normalize();
        }
    }
}

/// One merge step: rules with the same `class` get their `field` lists united.
fn merge_by(
    rules: BTreeMap<Key, Rule>,
    class: impl Fn(&Rule) -> [&Vec<String>; 4],
    field: impl Fn(&mut Rule) -> &mut Vec<String>,
) -> BTreeMap<Key, Rule> {
    let mut classes: BTreeMap<[Vec<String>; 4], Vec<Rule>> = BTreeMap::new();
    for rule in rules.into_values() {
        let class = class(&rule).map(Clone::clone);
        classes.entry(class).or_default().push(rule);
    }
    let mut out = BTreeMap::new();
    for members in classes.into_values() {
        let mut members = members.into_iter();
        let Some(mut merged) = members.next() else {
            continue;
        };
        for mut other in members {
            let items = std::mem::take(field(&mut other));
            field(&mut merged).extend(items);
        }
        merged.normalize();
        // controller-gen overwrites here (the survivor depends on Go's map order); uniting
        // the verbs keeps every permission and the output deterministic.
        insert_uniting_verbs(&mut out, merged);
    }
    out
}

/// The ClusterRole and Roles for the given rules (steps 1 to 7 of the
/// [module docs](self)), as JSON objects in output order.
pub fn roles_from<'a>(
    registrations: impl IntoIterator<Item = &'a RuleRegistration>,
    role_name_default: &str,
) -> Vec<Value> {
    let mut by_role: BTreeMap<(&str, &str), Vec<Rule>> = BTreeMap::new();
    for registration in registrations {
        let namespace = registration.namespace.unwrap_or("");
        let name = registration
            .role_name
            .filter(|n| !n.is_empty())
            .unwrap_or(role_name_default);
        by_role
            .entry((namespace, name))
            .or_default()
            .push(Rule::from(registration));
    }
    by_role
        .into_iter()
        .filter_map(|((namespace, name), rules)| {
            let rules = normalize_rules(rules);
            if rules.is_empty() {
                return None;
            }
            let rules: Vec<Value> = rules.iter().map(Rule::to_value).collect();
            Some(if namespace.is_empty() {
                json!({
                    "apiVersion": "rbac.authorization.k8s.io/v1",
                    "kind": "ClusterRole",
                    "metadata": { "name": name },
                    "rules": rules,
                })
            } else {
                json!({
                    "apiVersion": "rbac.authorization.k8s.io/v1",
                    "kind": "Role",
                    "metadata": { "name": name, "namespace": namespace },
                    "rules": rules,
                })
            })
        })
        .collect()
}

/// The ClusterRole (rules without `namespace`) and Roles (one per namespace and role name)
/// for every registered `#[rbac(...)]`, merged as controller-gen does, in controller-gen's
/// order. `role_name_default` names the roles whose rules have no `role_name`
/// ([`DEFAULT_ROLE_NAME`] in a kubebuilder layout).
pub fn rbac_roles(role_name_default: &str) -> Vec<Value> {
    roles_from(registrations(), role_name_default)
}

/// [`rbac_roles`] as controller-gen writes `config/rbac/role.yaml`: one YAML document per
/// role, each led by `---`. Empty when no rule is registered.
pub fn rbac_yaml(role_name_default: &str) -> Result<String, Error> {
    Ok(crate::yaml::to_documents(&rbac_roles(role_name_default))?)
}

/// Writes [`rbac_yaml`]`(`[`DEFAULT_ROLE_NAME`]`)` to `path` (usually
/// `config/rbac/role.yaml`) atomically, creating the directory. Like controller-gen, writes
/// nothing when no rule is registered; returns whether the file was written.
pub fn write_rbac(path: impl AsRef<Path>) -> Result<bool, Error> {
    write_rbac_with(path, DEFAULT_ROLE_NAME)
}

/// [`write_rbac`] with another default role name.
pub fn write_rbac_with(path: impl AsRef<Path>, role_name_default: &str) -> Result<bool, Error> {
    let path = path.as_ref();
    let yaml = rbac_yaml(role_name_default)?;
    if yaml.is_empty() {
        return Ok(false);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_owned(),
            source,
        })?;
    }
    crate::fs::write_atomic(path, yaml.as_bytes())?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(groups: &str, resources: &str, verbs: &str) -> Rule {
        let list = |s: &str| {
            if s.is_empty() {
                Vec::new()
            } else {
                s.split(';').map(str::to_owned).collect()
            }
        };
        Rule {
            groups: if groups == "\"\"" {
                vec![String::new()]
            } else {
                list(groups)
            },
            resources: list(resources),
            verbs: list(verbs),
            ..Rule::default()
        }
    }

    fn urls(urls: &str, verbs: &str) -> Rule {
        Rule {
            urls: urls.split(';').map(str::to_owned).collect(),
            verbs: verbs.split(';').map(str::to_owned).collect(),
            ..Rule::default()
        }
    }

    #[test]
    fn same_key_unites_verbs_deduplicated_and_sorted() {
        let out = normalize_rules([
            rule("apps", "deployments", "watch;get"),
            rule("apps;apps", "deployments", "list;get"),
        ]);
        assert_eq!(out, [rule("apps", "deployments", "get;list;watch")]);
    }

    #[test]
    fn splits_per_resource_then_merges_resources_with_equal_verbs() {
        let out = normalize_rules([
            rule("apps", "deployments;statefulsets", "get"),
            rule("apps", "deployments", "list"),
        ]);
        // deployments now has get+list, statefulsets only get: they stay apart.
        assert_eq!(
            out,
            [
                rule("apps", "deployments", "get;list"),
                rule("apps", "statefulsets", "get"),
            ]
        );
        let out = normalize_rules([
            rule("apps", "statefulsets", "get"),
            rule("apps", "deployments", "get"),
        ]);
        assert_eq!(out, [rule("apps", "deployments;statefulsets", "get")]);
    }

    #[test]
    fn merges_groups_when_all_else_is_equal() {
        let out = normalize_rules([rule("b", "foo", "patch"), rule("a", "foo", "patch")]);
        assert_eq!(out, [rule("a;b", "foo", "patch")]);
        // A different verb keeps them apart.
        let out = normalize_rules([rule("b", "foo", "patch"), rule("a", "foo", "get")]);
        assert_eq!(out, [rule("a", "foo", "get"), rule("b", "foo", "patch")]);
    }

    #[test]
    fn merges_urls_with_equal_verbs() {
        let out = normalize_rules([
            urls("/metrics", "get"),
            urls("/healthz", "get"),
            urls("/debug", "post"),
        ]);
        // Sorted by key, whose last part is the URLs: "/debug" < "/healthz&/metrics".
        assert_eq!(
            out,
            [urls("/debug", "post"), urls("/healthz;/metrics", "get")]
        );
    }

    #[test]
    fn core_is_the_empty_group_and_sorts_first() {
        let out = normalize_rules([
            rule("apps", "deployments", "get"),
            rule("core", "pods", "list"),
            rule("\"\"", "pods", "list"),
            urls("/metrics", "get"),
        ]);
        // Keys: " +  +  + /metrics", " + pods +  + ", "apps + deployments +  + ".
        assert_eq!(
            out,
            [
                urls("/metrics", "get"),
                rule("\"\"", "pods", "list"),
                rule("apps", "deployments", "get"),
            ]
        );
    }

    #[test]
    fn star_collapses_after_the_merges() {
        // Both end as `*`, but they are merged with their verbs as written: controller-gen
        // does not merge `[*, get]` with `[*]`.
        let out = normalize_rules([
            rule("g", "a", "get;*"),
            rule("g", "b", "*"),
            rule("g", "c", "*"),
        ]);
        assert_eq!(out, [rule("g", "a", "*"), rule("g", "b;c", "*")]);
    }

    #[test]
    fn each_merge_step_runs_once() {
        // Step "groups" makes {g1,g2}/r1 next to {g1,g2}/r2 with the same verbs; the
        // "resources" step has already run, so they stay two rules (as in controller-gen).
        let out = normalize_rules([
            rule("g1", "r1", "get"),
            rule("g2", "r1", "get"),
            rule("g1;g2", "r2", "get"),
        ]);
        assert_eq!(
            out,
            [rule("g1;g2", "r1", "get"), rule("g1;g2", "r2", "get")]
        );
    }

    #[test]
    fn a_merge_that_collides_unites_verbs() {
        // g1/r1 get + g2/r1 get merge into g1;g2/r1 get, which has the key of the third
        // rule: controller-gen keeps one of the two at random; we unite the verbs.
        let out = normalize_rules([
            rule("g1", "r1", "get"),
            rule("g2", "r1", "get"),
            rule("g1;g2", "r1", "list"),
        ]);
        assert_eq!(out, [rule("g1;g2", "r1", "get;list")]);
    }

    #[test]
    fn rule_json_leaves_out_empty_lists() {
        assert_eq!(
            rule("\"\"", "pods", "get").to_value(),
            json!({"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]})
        );
        assert_eq!(
            urls("/metrics", "get").to_value(),
            json!({"nonResourceURLs": ["/metrics"], "verbs": ["get"]})
        );
    }

    #[test]
    fn roles_by_namespace_then_name() {
        const fn reg(
            groups: &'static [&'static str],
            namespace: Option<&'static str>,
            role_name: Option<&'static str>,
        ) -> RuleRegistration {
            RuleRegistration {
                source: "test",
                groups,
                resources: &["things"],
                resource_names: &[],
                verbs: &["get"],
                urls: &[],
                namespace,
                role_name,
            }
        }
        let regs = [
            reg(&["z"], Some("b"), None),
            reg(&["y"], Some("a"), Some("zeta")),
            reg(&["x"], Some("a"), None),
            reg(&["w"], None, Some("custom")),
            reg(&["v"], None, None),
            reg(&["u"], Some("a"), Some("zeta")),
        ];
        let roles = roles_from(&regs, "manager-role");
        let ids: Vec<(String, String, String, usize)> = roles
            .iter()
            .map(|r| {
                (
                    r["kind"].as_str().unwrap().to_owned(),
                    r["metadata"]["namespace"].as_str().unwrap_or("").to_owned(),
                    r["metadata"]["name"].as_str().unwrap().to_owned(),
                    r["rules"].as_array().unwrap().len(),
                )
            })
            .collect();
        let id = |k: &str, ns: &str, n: &str, rules| (k.into(), ns.into(), n.into(), rules);
        assert_eq!(
            ids,
            [
                id("ClusterRole", "", "custom", 1),
                id("ClusterRole", "", "manager-role", 1),
                id("Role", "a", "manager-role", 1),
                id("Role", "a", "zeta", 1),
                id("Role", "b", "manager-role", 1),
            ]
        );
        // u and y merged (same resources and verbs).
        assert_eq!(roles[3]["rules"][0]["apiGroups"], json!(["u", "y"]));
        assert!(roles[0]["metadata"].get("namespace").is_none());
    }

    #[test]
    fn namespaced_rules_make_a_role_in_their_namespace_and_no_cluster_role() {
        // The rules of a controller `scaffold init --namespaced` writes.
        const fn reg(
            groups: &'static [&'static str],
            resources: &'static [&'static str],
            verbs: &'static [&'static str],
        ) -> RuleRegistration {
            RuleRegistration {
                source: "demo::controller::memcached_controller::reconcile",
                groups,
                resources,
                resource_names: &[],
                verbs,
                urls: &[],
                namespace: Some("demo-system"),
                role_name: None,
            }
        }
        let regs = [
            reg(
                &["cache.example.com"],
                &["memcacheds"],
                &["get", "list", "watch", "update"],
            ),
            reg(
                &["cache.example.com"],
                &["memcacheds/status"],
                &["get", "update", "patch"],
            ),
            reg(&["events.k8s.io"], &["events"], &["create", "patch"]),
        ];
        let yaml = crate::yaml::to_documents(&roles_from(&regs, DEFAULT_ROLE_NAME)).unwrap();
        assert_eq!(
            yaml,
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: manager-role\n  namespace: demo-system\nrules:\n\
             - apiGroups:\n  - cache.example.com\n  resources:\n  - memcacheds\n  verbs:\n  - get\n  - list\n  - update\n  - watch\n\
             - apiGroups:\n  - cache.example.com\n  resources:\n  - memcacheds/status\n  verbs:\n  - get\n  - patch\n  - update\n\
             - apiGroups:\n  - events.k8s.io\n  resources:\n  - events\n  verbs:\n  - create\n  - patch\n"
        );
    }

    #[test]
    fn nothing_registered_in_the_library_itself() {
        assert!(roles_from([], DEFAULT_ROLE_NAME).is_empty());
        assert_eq!(crate::yaml::to_documents(&[]).unwrap(), "");
    }
}
