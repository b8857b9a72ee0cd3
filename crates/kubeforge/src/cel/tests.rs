use serde_json::{Value, json};

use super::check_rules;

const SPEC: &str = "spec.versions[v1].schema.openAPIV3Schema.properties.spec";
const ROOT: &str = "spec.versions[v1].schema.openAPIV3Schema";

fn spec_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "replicas": {"type": "integer"},
            "name": {"type": "string"},
            "ratio": {"type": "number"},
            "enabled": {"type": "boolean"},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "items": {"type": "array", "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "port": {"type": "integer"}}
            }},
            "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
            "port": {"x-kubernetes-int-or-string": true},
            "created": {"type": "string", "format": "date-time"},
            "foo-bar": {"type": "string"},
            "namespace": {"type": "string"},
            "nested": {"type": "object", "properties": {"inner": {"type": "string"}}}
        }
    })
}

/// A CRD whose `spec` carries `rules` (and whose root carries `root_rules`).
fn crd(rules: Value, root_rules: Value) -> Value {
    let mut spec = spec_schema();
    spec["x-kubernetes-validations"] = rules;
    json!({
        "spec": {"versions": [{"name": "v1", "schema": {"openAPIV3Schema": {
            "type": "object",
            "x-kubernetes-validations": root_rules,
            "properties": {
                "apiVersion": {"type": "string"},
                "kind": {"type": "string"},
                "metadata": {"type": "object"},
                "spec": spec
            }
        }}}]}
    })
}

/// The violations of one rule on `spec`, as `path: message`.
fn on_spec(rule: Value) -> Vec<String> {
    check_rules(&crd(json!([rule]), json!([])))
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn rule(text: &str) -> Vec<String> {
    on_spec(json!({"rule": text}))
}

fn assert_one(found: Vec<String>, expected: &str) {
    assert_eq!(found, [format!("{SPEC}: {expected}")]);
}

#[test]
fn a_syntax_error_names_rule_and_column() {
    let found = rule("self.replicas >");
    assert_eq!(found.len(), 1, "{found:?}");
    let prefix = format!("{SPEC}: rule \"self.replicas >\": syntax error: ");
    assert!(found[0].starts_with(&prefix), "{found:?}");
    assert!(found[0].ends_with(" at column 16"), "{found:?}");
}

#[test]
fn an_unknown_field_is_named_at_its_column() {
    assert_one(
        rule("self.replicas > 0 && self.replica < 5"),
        r#"rule "self.replicas > 0 && self.replica < 5": no such field "replica" at column 27"#,
    );
}

#[test]
fn an_unknown_nested_field_is_found_through_the_known_one() {
    assert_one(
        rule("self.nested.innr == 'a'"),
        r#"rule "self.nested.innr == 'a'": no such field "innr" at column 13"#,
    );
}

#[test]
fn old_self_has_the_type_of_self() {
    assert_one(
        rule("self.replicas >= oldSelf.replicaz"),
        r#"rule "self.replicas >= oldSelf.replicaz": no such field "replicaz" at column 26"#,
    );
}

#[test]
fn has_checks_the_field_it_tests() {
    assert_one(
        rule("has(self.nested.innr)"),
        r#"rule "has(self.nested.innr)": no such field "innr" at column 17"#,
    );
}

#[test]
fn macro_variables_have_the_element_type() {
    assert_one(
        rule("self.items.all(i, i.nmae != '')"),
        r#"rule "self.items.all(i, i.nmae != '')": no such field "nmae" at column 21"#,
    );
    assert_one(
        rule("self.items.exists(i, i.port == 'http')"),
        r#"rule "self.items.exists(i, i.port == 'http')": cannot compare int with string at column 29"#,
    );
}

#[test]
fn comparisons_of_different_kinds_are_refused() {
    assert_one(
        rule("self.replicas == 'a'"),
        r#"rule "self.replicas == 'a'": cannot compare int with string at column 15"#,
    );
    assert_one(
        rule("self.name > 3"),
        r#"rule "self.name > 3": cannot compare string with int at column 11"#,
    );
}

#[test]
fn a_message_expression_must_be_a_string() {
    assert_one(
        on_spec(json!({"rule": "self.replicas > 0", "messageExpression": "self.replicas"})),
        r#"messageExpression "self.replicas": a messageExpression must evaluate to a string, not int at column 1"#,
    );
    assert_one(
        on_spec(
            json!({"rule": "self.replicas > 0", "messageExpression": "'got ' + self.replicas"}),
        ),
        r#"messageExpression "'got ' + self.replicas": no operator "+" for string and int at column 8"#,
    );
}

#[test]
fn a_rule_must_be_a_bool() {
    assert_one(
        rule("self.replicas + 1"),
        r#"rule "self.replicas + 1": a rule must evaluate to a bool, not int at column 1"#,
    );
}

#[test]
fn a_cel_bind_variable_has_the_type_of_its_initialiser() {
    assert_one(
        rule("cel.bind(r, self.replicas, r == 'a')"),
        r#"rule "cel.bind(r, self.replicas, r == 'a')": cannot compare int with string at column 30"#,
    );
}

#[test]
fn a_string_index_on_an_object_must_name_a_property() {
    assert_one(
        rule("self['replicaz'] > 0"),
        r#"rule "self['replicaz'] > 0": no such field "replicaz" at column 6"#,
    );
}

#[test]
fn an_undeclared_variable_is_refused() {
    assert_one(
        rule("selff.replicas > 0"),
        r#"rule "selff.replicas > 0": undeclared reference to "selff" at column 1"#,
    );
}

#[test]
fn scalars_have_no_fields() {
    assert_one(
        rule("self.name.length > 0"),
        r#"rule "self.name.length > 0": cannot select "length" from a string, which has no fields at column 11"#,
    );
}

#[test]
fn reserved_and_dashed_property_names_are_escaped() {
    assert_eq!(
        rule("self.foo__dash__bar != '' && self.__namespace__ != ''"),
        Vec::<String>::new()
    );
    assert_one(
        rule("self.namespace != ''"),
        r#"rule "self.namespace != ''": no such field "namespace" (the property `namespace` is spelled `__namespace__` in CEL) at column 6"#,
    );
}

#[test]
fn the_resource_root_sees_only_name_and_generate_name_of_metadata() {
    let found: Vec<String> = check_rules(&crd(
        json!([]),
        json!([{"rule": "self.metadata.name.size() < 64 && self.kind == 'X' && self.metadata.labels.size() > 0"}]),
    ))
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        found,
        [format!(
            r#"{ROOT}: rule "self.metadata.name.size() < 64 && self.kind == 'X' && self.metadata.labels.size() > 0": no such field "labels" at column 69"#
        )]
    );
}

#[test]
fn a_problem_on_a_later_line_gives_line_and_column() {
    assert_one(
        rule("self.replicas > 0 &&\n  self.nme == ''"),
        r#"rule "self.replicas > 0 &&\n  self.nme == ''": no such field "nme" at line 2, column 8"#,
    );
}

#[test]
fn rules_the_apiserver_compiles_are_accepted() {
    for text in [
        "self.replicas >= 0 && self.name.startsWith('a')",
        "self.labels.app == 'x' && self.labels.all(k, self.labels[k] != '')",
        "self.labels.all(k, v, v != '')",
        "self.extra.anything.deep == 1",
        "type(self.port) == int ? self.port > 0 : self.port.endsWith('%')",
        "self.?nested.inner.orValue('') != ''",
        "has(self.nested) && has(self.nested.inner)",
        "self.items.map(i, i.name).size() == self.items.size()",
        "self.items.exists_one(i, i.port == 80)",
        "self.items.filter(i, i.port > 0).all(i, i.name != '')",
        "self.items.all(i, self.items.exists_one(j, j.name == i.name))",
        "self.replicas == 1.0 && self.ratio > 1",
        "self.name != null",
        "isURL(self.name) && quantity('1').isGreaterThan(quantity('0'))",
        "optional.of(1).hasValue()",
        "format.dns1123Label().validate(self.name).hasValue() == false",
        "self.created > timestamp('2000-01-01T00:00:00Z')",
        "self == oldSelf",
        "!self.enabled || self.replicas > 0",
        "size(self.items) > 0 && self.items[0].port > 0",
        "[1, 2].all(x, x > 0) && {'a': 1}.a == 1",
        r"self.name.matches(r'^\d+$') && self.name.matches('''^[a-z]+$''')",
        "self.replicas < 0x10 && uint(self.replicas) < 16u && self.ratio < 1e3 && -self.replicas < 1",
        "[?self.?nested.inner].size() >= 0 && {?'k': self.?nested}.size() >= 0",
        "self.items.map(i, i.port * 2).all(p, p > 0)",
        "url('x').getHost() != '' && ip('10.0.0.1').family() == 4",
        "b'abc'.size() == 3 && self.name.lowerAscii() == self.name",
        "self.items.all(i, i.name in self.labels)",
        "self.labels.exists(k, k.startsWith('app') && self.labels[k].size() > 0)",
        "cel.bind(r, self.replicas, r > 0 && r < 10)",
        "self.?nested.optMap(n, n.inner).orValue('') != ''",
        "self.items.sortBy(i, i.port).size() >= 0",
    ] {
        assert_eq!(rule(text), Vec::<String>::new(), "{text}");
    }
    assert_eq!(
        on_spec(json!({
            "rule": "self.replicas > 0",
            "messageExpression": "'replicas must be positive, got ' + string(self.replicas)"
        })),
        Vec::<String>::new()
    );
}

#[test]
fn optional_old_self_is_not_typed() {
    assert_eq!(
        on_spec(json!({"rule": "oldSelf.hasValue()", "optionalOldSelf": true})),
        Vec::<String>::new()
    );
}

#[test]
fn rules_in_list_items_and_map_values_bind_self_to_the_element() {
    let mut crd = crd(json!([]), json!([]));
    let spec = &mut crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"];
    spec["properties"]["items"]["items"]["x-kubernetes-validations"] =
        json!([{"rule": "self.port > 0 && self.nam != ''"}]);
    spec["properties"]["labels"]["additionalProperties"]["x-kubernetes-validations"] =
        json!([{"rule": "self.size() > 0 && self > 1"}]);
    let found: Vec<String> = check_rules(&crd).iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            format!(
                r#"{SPEC}.properties.items.items: rule "self.port > 0 && self.nam != ''": no such field "nam" at column 23"#
            ),
            format!(
                r#"{SPEC}.properties.labels.additionalProperties: rule "self.size() > 0 && self > 1": cannot compare string with int at column 25"#
            ),
        ]
    );
}
