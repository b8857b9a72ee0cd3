//! Code generation: a `JsonSchema` impl that builds the schema through `kubeforge`'s runtime
//! helpers, and for CRD version roots an `inventory` registration.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

use serde_json::Value;

use crate::attr::Markers;
use crate::check;
use crate::markers::Effect;
use crate::model::{Container, Data, Field, Style, Variant};
use crate::shape::{self, Shape};
use crate::symbol::*;

fn kf() -> TokenStream {
    quote!(::kubeforge)
}

pub(crate) fn emit(c: &Container) -> TokenStream {
    let kf = kf();
    let body = match &c.data {
        Data::Struct(style, fields) => struct_body(c, *style, fields),
        Data::Enum(variants) => enum_body(c, variants),
    };
    let registration = c.kube.as_ref().map(|_| registration(c));
    let schema_impl = schema_impl(
        c.input,
        quote! {
            let generator = __generator;
            #body
        },
    );
    let _ = &kf;
    quote! {
        #schema_impl
        #registration
    }
}

/// A `JsonSchema` impl with the given body; also used, with an empty schema, as the dummy that
/// keeps one attribute error from cascading into "JsonSchema is not implemented" errors.
pub(crate) fn schema_impl(input: &syn::DeriveInput, body: TokenStream) -> TokenStream {
    let kf = kf();
    let ident = &input.ident;
    let name = ident.to_string();
    let mut generics = input.generics.clone();
    for param in generics.type_params_mut() {
        param
            .bounds
            .push(syn::parse_quote!(#kf::__private::schemars::JsonSchema));
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #kf::__private::schemars::JsonSchema for #ident #ty_generics #where_clause {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#name)
            }
            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Owned(::std::any::type_name::<Self>().to_owned())
            }
            fn json_schema(__generator: &mut #kf::__private::schemars::SchemaGenerator) -> #kf::__private::schemars::Schema {
                #body
            }
        }
    }
}

pub(crate) fn dummy(input: &syn::DeriveInput) -> TokenStream {
    let kf = kf();
    schema_impl(
        input,
        quote! {
            let _ = __generator;
            #kf::__private::schemars::Schema::default()
        },
    )
}

/// The schema expression for a field's type: containers are peeled so every element goes through
/// `field_schema`, which gives k8s-openapi types controller-gen's schemas.
fn schema_expr(ty: &syn::Type) -> TokenStream {
    let kf = kf();
    match shape::shape(ty) {
        Shape::Option(t) | Shape::Transparent(t) => schema_expr(t),
        Shape::Array(t) => {
            let inner = element_expr(t);
            quote!(#kf::__private::array(#inner))
        }
        Shape::Set(t) => {
            let inner = element_expr(t);
            quote!(#kf::__private::set(#inner))
        }
        Shape::Map(t) => {
            let inner = element_expr(t);
            quote!(#kf::__private::map(#inner))
        }
        _ => quote!(#kf::__private::field_schema::<#ty>(generator)),
    }
}

/// A list item or map value: `None` there is written as `null`, which the schema must allow
/// (unlike a field, where `None` is an absent key).
fn element_expr(ty: &syn::Type) -> TokenStream {
    let kf = kf();
    let inner = schema_expr(ty);
    if shape::is_option(ty) {
        quote!(#kf::__private::nullable(#inner))
    } else {
        inner
    }
}

fn opt(t: Option<TokenStream>) -> TokenStream {
    match t {
        Some(t) => quote!(::core::option::Option::Some(#t)),
        None => quote!(::core::option::Option::None),
    }
}

fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

fn literal(v: &Value) -> TokenStream {
    let lit = quote!(::kubeforge::registry::Literal);
    match v {
        Value::Null => quote!(#lit::Null),
        Value::Bool(b) => quote!(#lit::Bool(#b)),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => quote!(#lit::Uint(#u)),
            (None, Some(i)) => quote!(#lit::Int(#i)),
            (None, None) => {
                let f = n.as_f64().unwrap_or_default();
                quote!(#lit::Float(#f))
            }
        },
        Value::String(s) => quote!(#lit::Str(#s)),
        Value::Array(items) => {
            let items = items.iter().map(literal);
            quote!(#lit::List(&[#(#items),*]))
        }
        Value::Object(entries) => {
            let keys = entries.keys();
            let values = entries.values().map(literal);
            quote!(#lit::Map(&[#((#keys, #values)),*]))
        }
    }
}

fn opt_str_of(v: &Value, key: &str) -> TokenStream {
    opt_str(v.get(key).and_then(Value::as_str))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn rule(v: &Value) -> TokenStream {
    let kf = kf();
    let text = str_of(v, "rule");
    let message = opt_str_of(v, "message");
    let message_expression = opt_str_of(v, "messageExpression");
    let reason = opt_str_of(v, "reason");
    let field_path = opt_str_of(v, "fieldPath");
    let optional_old_self = match v.get("optionalOldSelf").and_then(Value::as_bool) {
        Some(b) => quote!(::core::option::Option::Some(#b)),
        None => quote!(::core::option::Option::None),
    };
    quote!(#kf::registry::Rule {
        rule: #text,
        message: #message,
        message_expression: #message_expression,
        reason: #reason,
        field_path: #field_path,
        optional_old_self: #optional_old_self,
    })
}

fn class(c: shape::Class) -> TokenStream {
    let kf = kf();
    let variant = match c {
        shape::Class::Numeric => quote!(Numeric),
        shape::Class::String => quote!(String),
        shape::Class::Array => quote!(Array),
        shape::Class::Object => quote!(Object),
    };
    quote!(#kf::registry::TypeClass::#variant)
}

/// Whether the derive checked a schema's markers against its type (and its items' markers
/// against the item type).
#[derive(Clone, Copy)]
pub(crate) struct Checked {
    pub own: bool,
    pub items: bool,
}

impl Checked {
    fn field(f: &Field) -> Checked {
        Checked {
            own: check::field_classes(f).is_some(),
            items: check::item_classes(f).is_some(),
        }
    }

    fn container(c: &Container) -> Checked {
        Checked {
            own: check::type_classes(c).is_some(),
            items: false,
        }
    }
}

/// The markers of one field or type as a `kubeforge::registry::Patch` expression of type
/// `&'static Patch`. Markers the derive could not check against the type carry the class they
/// need, for the check on the generated schema.
pub(crate) fn patch(
    m: &Markers,
    description: Option<&str>,
    checked: Checked,
) -> Option<TokenStream> {
    let kf = kf();
    let mut set: BTreeMap<&str, TokenStream> = m
        .keywords
        .iter()
        .map(|(keyword, s)| {
            let value = literal(&s.value);
            let unchecked = match s.marker.applies_to.filter(|_| !checked.own) {
                Some(c) => {
                    let c = class(c);
                    quote!(::core::option::Option::Some(#c))
                }
                None => quote!(::core::option::Option::None),
            };
            let entry = quote!(#kf::registry::Keyword { name: #keyword, value: #value, unchecked: #unchecked });
            (*keyword, entry)
        })
        .collect();
    if let Some(d) = description
        && !set.contains_key("description")
    {
        set.insert(
            "description",
            quote!(#kf::registry::Keyword {
                name: "description",
                value: #kf::registry::Literal::Str(#d),
                unchecked: ::core::option::Option::None,
            }),
        );
    }
    let items = m.items.as_ref().and_then(|(items, _)| {
        let checked = Checked {
            own: checked.items,
            items: false,
        };
        patch(items, None, checked)
    });
    let int_or_string = m.flag(INT_OR_STRING).is_some();
    let schemaless = m.flag(SCHEMALESS).is_some();
    let immutable = m.flag(IMMUTABLE).is_some();
    if set.is_empty()
        && m.validations.is_empty()
        && items.is_none()
        && !int_or_string
        && !schemaless
        && !immutable
        && m.one_of.is_empty()
    {
        return None;
    }
    let set = set.values();
    let validations = m.validations.iter().map(|(v, _)| rule(v));
    let items = match items {
        Some(items) => quote!(::core::option::Option::Some(#items)),
        None => quote!(::core::option::Option::None),
    };
    let one_of = m.one_of.iter().map(|(marker, fields, _)| {
        let kind = match marker.effect {
            Effect::OneOf(variant) => format_ident!("{}", variant),
            _ => unreachable!("one_of holds one-of markers only"),
        };
        quote!(#kf::registry::OneOf { kind: #kf::registry::OneOfKind::#kind, fields: &[#(#fields),*] })
    });
    Some(quote!(&#kf::registry::Patch {
        set: &[#(#set),*],
        validations: &[#(#validations),*],
        items: #items,
        int_or_string: #int_or_string,
        schemaless: #schemaless,
        immutable: #immutable,
        one_of: &[#(#one_of),*],
    }))
}

fn object_body(
    fields: &[Field],
    container_default: bool,
    description: Option<&str>,
    type_patch: Option<TokenStream>,
) -> TokenStream {
    let kf = kf();
    let calls = fields.iter().filter(|f| !f.serde.skip).map(|f| {
        let expr = schema_expr(f.ty);
        if f.serde.flatten {
            let optional = shape::is_option(f.ty) || f.serde.default;
            quote!(object.flatten(#expr, #optional);)
        } else {
            let name = &f.name;
            let required = f.required(container_default);
            let p = opt(patch(
                &f.markers,
                f.description.as_deref(),
                Checked::field(f),
            ));
            quote!(object.property(#name, #required, #expr, #p);)
        }
    });
    let description = opt_str(description);
    let type_patch = opt(type_patch);
    quote! {{
        let mut object = #kf::__private::ObjectBuilder::new();
        #(#calls)*
        object.finish(#description, #type_patch)
    }}
}

fn struct_body(c: &Container, style: Style, fields: &[Field]) -> TokenStream {
    let kf = kf();
    let type_patch = patch(&c.markers, None, Checked::container(c));
    let description = c.description.as_deref();
    let live: Vec<&Field> = fields.iter().filter(|f| !f.serde.skip).collect();
    match style {
        Style::Named if !c.serde.transparent => {
            let body = object_body(fields, c.serde.default, description, type_patch);
            quote!(#kf::__private::to_schema(#body))
        }
        // Newtypes and `#[serde(transparent)]` structs are written as their one field.
        _ if live.len() == 1 => {
            let expr = schema_expr(live[0].ty);
            let field_patch = opt(patch(&live[0].markers, None, Checked::field(live[0])));
            let description = opt_str(description);
            let type_patch = opt(type_patch);
            quote! {{
                let mut schema = #expr;
                #kf::__private::apply_patch(&mut schema, #field_patch);
                #kf::__private::describe(&mut schema, #description);
                #kf::__private::apply_patch(&mut schema, #type_patch);
                #kf::__private::to_schema(schema)
            }}
        }
        _ => {
            let exprs = live.iter().map(|f| schema_expr(f.ty));
            let description = opt_str(description);
            let type_patch = opt(type_patch);
            quote! {{
                let mut schema = #kf::__private::tuple(::std::vec![#(#exprs),*]);
                #kf::__private::describe(&mut schema, #description);
                #kf::__private::apply_patch(&mut schema, #type_patch);
                #kf::__private::to_schema(schema)
            }}
        }
    }
}

/// The schema of what a variant carries, `None` for a unit variant.
fn variant_content(v: &Variant) -> TokenStream {
    let kf = kf();
    let live: Vec<&Field> = v.fields.iter().filter(|f| !f.serde.skip).collect();
    match v.style {
        Style::Unit => quote!(::core::option::Option::None),
        Style::Named => {
            let body = object_body(&v.fields, false, v.description.as_deref(), None);
            quote!(::core::option::Option::Some(#body))
        }
        Style::Tuple if live.len() == 1 => {
            let expr = schema_expr(live[0].ty);
            let p = opt(patch(
                &live[0].markers,
                v.description.as_deref(),
                Checked::field(live[0]),
            ));
            quote!(::core::option::Option::Some({
                let mut schema = #expr;
                #kf::__private::apply_patch(&mut schema, #p);
                schema
            }))
        }
        Style::Tuple => {
            let exprs = live.iter().map(|f| schema_expr(f.ty));
            quote!(::core::option::Option::Some(#kf::__private::tuple(::std::vec![#(#exprs),*])))
        }
    }
}

fn enum_body(c: &Container, variants: &[Variant]) -> TokenStream {
    let kf = kf();
    let live: Vec<&Variant> = variants.iter().filter(|v| !v.serde.skip).collect();
    let names: Vec<&str> = live.iter().map(|v| v.name.as_str()).collect();
    let contents: Vec<TokenStream> = live.iter().map(|v| variant_content(v)).collect();
    let tagging = match (&c.serde.tag, &c.serde.content, c.serde.untagged) {
        (_, _, true) => quote!(#kf::__private::Tagging::Untagged),
        (Some(tag), Some(content), _) => {
            quote!(#kf::__private::Tagging::Adjacent { tag: #tag, content: #content })
        }
        (Some(tag), None, _) => quote!(#kf::__private::Tagging::Internal { tag: #tag }),
        (None, _, _) => quote!(#kf::__private::Tagging::External),
    };
    let description = opt_str(c.description.as_deref());
    let type_patch = opt(patch(&c.markers, None, Checked::container(c)));
    quote! {{
        let variants: ::std::vec::Vec<(&'static str, ::core::option::Option<#kf::__private::Value>)> =
            ::std::vec![#((#names, #contents)),*];
        let mut schema = #kf::__private::enum_schema(#tagging, variants);
        #kf::__private::describe(&mut schema, #description);
        #kf::__private::apply_patch(&mut schema, #type_patch);
        #kf::__private::to_schema(schema)
    }}
}

fn strs<'a>(values: impl IntoIterator<Item = &'a Value>) -> Vec<&'a str> {
    values.into_iter().filter_map(Value::as_str).collect()
}

/// `"key=value"` entries of `metadata(...)`, split (the check made sure they split).
fn pairs(metadata: Option<&Value>, list: &str) -> TokenStream {
    let entries = metadata
        .and_then(|m| m.get(list))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.as_str()?.split_once('='))
        .map(|(k, v)| quote!((#k, #v)));
    quote!(&[#(#entries),*])
}

/// The version markers as a `kubeforge::registry::VersionMarkers` expression.
fn version_markers(m: &Markers) -> TokenStream {
    let kf = kf();
    let r = quote!(#kf::registry);
    let flag = |key: &str| {
        m.version
            .get(key)
            .is_some_and(|(v, _)| v == &Value::Bool(true))
    };
    let (storage_version, unserved, skip, spec_optional) = (
        flag(STORAGE_VERSION),
        flag(UNSERVED),
        flag(SKIP),
        flag(SPEC_OPTIONAL),
    );
    let deprecated = opt(m.version.get(DEPRECATED).map(|(d, _)| {
        let warning = opt_str_of(d, "warning");
        quote!(#r::Deprecation { warning: #warning })
    }));
    let printcolumns = m.version_list(PRINTCOLUMN).iter().map(|(c, _)| {
        let (name, ty, json_path) = (str_of(c, "name"), str_of(c, "type"), str_of(c, "json_path"));
        let description = opt_str_of(c, "description");
        let format = opt_str_of(c, "format");
        let priority = match c.get("priority").and_then(Value::as_u64) {
            Some(p) => quote!(::core::option::Option::Some(#p)),
            None => quote!(::core::option::Option::None),
        };
        quote!(#r::PrintColumn {
            name: #name,
            r#type: #ty,
            json_path: #json_path,
            description: #description,
            format: #format,
            priority: #priority,
        })
    });
    let selectable_fields = strs(
        m.version_list(SELECTABLE_FIELD)
            .iter()
            .filter_map(|(f, _)| f.get("json_path")),
    );
    let categories = strs(
        m.version
            .get(CATEGORIES)
            .and_then(|(c, _)| c.as_array())
            .into_iter()
            .flatten(),
    );
    let scale = opt(m.version.get(SCALE).map(|(s, _)| {
        let (spec_path, status_path) = (str_of(s, "spec_path"), str_of(s, "status_path"));
        let selector_path = opt_str_of(s, "selector_path");
        quote!(#r::Scale { spec_path: #spec_path, status_path: #status_path, selector_path: #selector_path })
    }));
    let metadata = m.version.get(METADATA).map(|(v, _)| v);
    let annotations = pairs(metadata, "annotations");
    let labels = pairs(metadata, "labels");
    let status_description = opt_str(m.version_str(STATUS_DESCRIPTION).as_deref());
    quote!(#r::VersionMarkers {
        storage_version: #storage_version,
        unserved: #unserved,
        skip: #skip,
        deprecated: #deprecated,
        printcolumns: &[#(#printcolumns),*],
        selectable_fields: &[#(#selectable_fields),*],
        categories: &[#(#categories),*],
        scale: #scale,
        annotations: #annotations,
        labels: #labels,
        status_description: #status_description,
        spec_optional: #spec_optional,
    })
}

fn registration(c: &Container) -> TokenStream {
    let kf = kf();
    let Some(kube) = &c.kube else {
        return TokenStream::new();
    };
    let ident = &c.input.ident;
    let root_name = kube
        .root
        .clone()
        .or_else(|| kube.kind.clone())
        .unwrap_or_default();
    let root = format_ident!("{}", root_name, span = kube.span);
    let status = match &kube.status {
        Some(path) => {
            quote!(::core::option::Option::Some(#kf::__private::field_schema::<#path>(generator)))
        }
        None => quote!({
            let _ = generator;
            ::core::option::Option::None
        }),
    };
    let root_description = kube.doc.as_deref().or(c.description.as_deref());
    let spec_description = c
        .markers
        .version_str(SPEC_DESCRIPTION)
        .or_else(|| kube.doc.as_ref().and(c.description.clone()));
    let root_description = opt_str(root_description);
    let spec_description = opt_str(spec_description.as_deref());
    let markers = version_markers(&c.markers);
    let source = ident.to_string();
    let no_spec = kube.no_spec;
    quote! {
        const _: () = {
            fn spec_schema(generator: &mut #kf::__private::schemars::SchemaGenerator) -> #kf::__private::Value {
                #kf::__private::field_schema::<#ident>(generator)
            }
            fn status_schema(generator: &mut #kf::__private::schemars::SchemaGenerator) -> ::core::option::Option<#kf::__private::Value> {
                #status
            }
            fn crd() -> #kf::__private::CustomResourceDefinition {
                <#root as #kf::__private::CustomResourceExt>::crd()
            }
            #kf::__private::inventory::submit! {
                #kf::registry::VersionRegistration {
                    source: ::core::concat!(::core::module_path!(), "::", #source),
                    crd,
                    spec_schema,
                    status_schema,
                    markers: #markers,
                    root_description: #root_description,
                    spec_description: #spec_description,
                    no_spec: #no_spec,
                }
            }
        };
    }
}
