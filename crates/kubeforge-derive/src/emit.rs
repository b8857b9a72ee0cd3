//! Code generation: a `JsonSchema` impl that builds the schema through `kubeforge`'s runtime
//! helpers, and for CRD version roots an `inventory` registration.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use crate::attr::Markers;
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

fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

/// The markers of one field or type as the JSON patch `kubeforge::__private::apply_patch` reads.
pub(crate) fn patch(m: &Markers, description: Option<&str>) -> Option<String> {
    let mut obj = Map::new();
    let mut set: Map<String, Value> = m
        .keywords
        .iter()
        .map(|(k, (v, _))| ((*k).to_owned(), v.clone()))
        .collect();
    if let Some(d) = description
        && !set.contains_key("description")
    {
        set.insert("description".into(), Value::String(d.to_owned()));
    }
    if !set.is_empty() {
        obj.insert("set".into(), Value::Object(set));
    }
    if !m.validations.is_empty() {
        obj.insert(
            "validations".into(),
            Value::Array(m.validations.iter().map(|(v, _)| v.clone()).collect()),
        );
    }
    if let Some((items, _)) = &m.items
        && let Some(p) = patch(items, None)
    {
        obj.insert(
            "items".into(),
            serde_json::from_str(&p).unwrap_or(Value::Null),
        );
    }
    for (flag, key) in [
        (INT_OR_STRING, "intOrString"),
        (SCHEMALESS, "schemaless"),
        (IMMUTABLE, "immutable"),
    ] {
        if m.flag(flag).is_some() {
            obj.insert(key.into(), Value::Bool(true));
        }
    }
    let one_of: Vec<Value> = m
        .one_of
        .iter()
        .map(|(kind, fields, _)| serde_json::json!({ "kind": kind, "fields": fields }))
        .collect();
    if !one_of.is_empty() {
        obj.insert("oneOf".into(), Value::Array(one_of));
    }
    (!obj.is_empty()).then(|| Value::Object(obj).to_string())
}

fn object_body(
    fields: &[Field],
    container_default: bool,
    description: Option<&str>,
    type_patch: Option<String>,
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
            let p = opt_str(patch(&f.markers, f.description.as_deref()).as_deref());
            quote!(object.property(#name, #required, #expr, #p);)
        }
    });
    let description = opt_str(description);
    let type_patch = opt_str(type_patch.as_deref());
    quote! {{
        let mut object = #kf::__private::ObjectBuilder::new();
        #(#calls)*
        object.finish(#description, #type_patch)
    }}
}

fn struct_body(c: &Container, style: Style, fields: &[Field]) -> TokenStream {
    let kf = kf();
    let type_patch = patch(&c.markers, None);
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
            let field_patch = opt_str(patch(&live[0].markers, None).as_deref());
            let description = opt_str(description);
            let type_patch = opt_str(type_patch.as_deref());
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
            let type_patch = opt_str(type_patch.as_deref());
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
            let p = opt_str(patch(&live[0].markers, v.description.as_deref()).as_deref());
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
    let type_patch = opt_str(patch(&c.markers, None).as_deref());
    quote! {{
        let variants: ::std::vec::Vec<(&'static str, ::core::option::Option<#kf::__private::Value>)> =
            ::std::vec![#((#names, #contents)),*];
        let mut schema = #kf::__private::enum_schema(#tagging, variants);
        #kf::__private::describe(&mut schema, #description);
        #kf::__private::apply_patch(&mut schema, #type_patch);
        #kf::__private::to_schema(schema)
    }}
}

/// The version markers as the JSON `kubeforge::registry` reads.
fn version_json(m: &Markers) -> String {
    let mut obj = Map::new();
    for (key, (value, _)) in &m.version {
        obj.insert((*key).to_owned(), value.clone());
    }
    if !m.printcolumns.is_empty() {
        obj.insert(
            PRINTCOLUMN.into(),
            Value::Array(m.printcolumns.iter().map(|(v, _)| v.clone()).collect()),
        );
    }
    if !m.selectable_fields.is_empty() {
        obj.insert(
            SELECTABLE_FIELD.into(),
            Value::Array(m.selectable_fields.iter().map(|(v, _)| v.clone()).collect()),
        );
    }
    Value::Object(obj).to_string()
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
    let markers = version_json(&c.markers);
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
