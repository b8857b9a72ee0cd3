//! What a field's Rust type looks like, read from the syntax alone. Used to peel `Option` and
//! containers (so k8s-openapi types inside them get controller-gen's schemas) and to reject markers
//! that cannot apply to a type the macro can recognise. Types it cannot recognise (user structs,
//! aliases) are let through here and checked on the generated schema at run time.

use syn::{GenericArgument, PathArguments, Type};

#[derive(Clone, Copy)]
pub(crate) enum Shape<'a> {
    Option(&'a Type),
    Array(&'a Type),
    Set(&'a Type),
    Map(&'a Type),
    /// `Box<T>`, `Arc<T>`, `Rc<T>`, `&T`: serialised as `T`.
    Transparent(&'a Type),
    Tuple,
    Scalar(Scalar),
    /// A type whose schema only schemars knows.
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Scalar {
    String,
    Bool,
    Integer,
    Number,
    /// `IntOrString`, `Quantity`: strings or integers.
    IntOrString,
    /// `serde_json::Value`: anything.
    Json,
}

/// The JSON type class a marker needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Class {
    Numeric,
    String,
    Array,
    Object,
}

pub(crate) fn shape(ty: &Type) -> Shape<'_> {
    match ty {
        Type::Group(g) => shape(&g.elem),
        Type::Paren(p) => shape(&p.elem),
        Type::Reference(r) => Shape::Transparent(&r.elem),
        Type::Array(a) => Shape::Array(&a.elem),
        Type::Slice(s) => Shape::Array(&s.elem),
        Type::Tuple(t) if t.elems.is_empty() => Shape::Other,
        Type::Tuple(_) => Shape::Tuple,
        Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return Shape::Other;
            };
            let name = last.ident.to_string();
            let args = generic_types(&last.arguments);
            match (name.as_str(), args.as_slice()) {
                ("Option", [t]) => Shape::Option(t),
                ("Vec" | "VecDeque" | "LinkedList", [t]) => Shape::Array(t),
                ("BTreeSet" | "HashSet" | "IndexSet", [t, ..]) => Shape::Set(t),
                ("BTreeMap" | "HashMap" | "IndexMap", [_, v, ..]) => Shape::Map(v),
                ("Box" | "Arc" | "Rc" | "Cow", [t]) => Shape::Transparent(t),
                ("String" | "str" | "char" | "PathBuf" | "Path", []) => {
                    Shape::Scalar(Scalar::String)
                }
                ("bool", []) => Shape::Scalar(Scalar::Bool),
                (
                    "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64"
                    | "u128" | "usize",
                    [],
                ) => Shape::Scalar(Scalar::Integer),
                (
                    "NonZeroU32" | "NonZeroU64" | "NonZeroI32" | "NonZeroI64" | "NonZeroUsize",
                    [],
                ) => Shape::Scalar(Scalar::Integer),
                ("f32" | "f64", []) => Shape::Scalar(Scalar::Number),
                ("IntOrString" | "Quantity", []) => Shape::Scalar(Scalar::IntOrString),
                ("Time" | "MicroTime" | "Duration", []) => Shape::Scalar(Scalar::String),
                ("Value", []) if is_serde_json(&p.path) => Shape::Scalar(Scalar::Json),
                _ => Shape::Other,
            }
        }
        _ => Shape::Other,
    }
}

fn is_serde_json(path: &syn::Path) -> bool {
    path.segments.len() == 1 || path.segments.iter().any(|s| s.ident == "serde_json")
}

fn generic_types(args: &PathArguments) -> Vec<&Type> {
    match args {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The classes a value of this type can take, or `None` when the syntax does not tell.
pub(crate) fn classes(ty: &Type) -> Option<Vec<Class>> {
    match shape(ty) {
        Shape::Option(t) | Shape::Transparent(t) => classes(t),
        Shape::Array(_) | Shape::Set(_) | Shape::Tuple => Some(vec![Class::Array]),
        Shape::Map(_) => Some(vec![Class::Object]),
        Shape::Scalar(Scalar::String) => Some(vec![Class::String]),
        Shape::Scalar(Scalar::Bool) => Some(vec![]),
        Shape::Scalar(Scalar::Integer | Scalar::Number) => Some(vec![Class::Numeric]),
        Shape::Scalar(Scalar::IntOrString) => Some(vec![Class::String, Class::Numeric]),
        Shape::Scalar(Scalar::Json) | Shape::Other => None,
    }
}

/// The element type of an array-like type, for `items(...)` checks.
pub(crate) fn item_type(ty: &Type) -> Option<&Type> {
    match shape(ty) {
        Shape::Option(t) | Shape::Transparent(t) => item_type(t),
        Shape::Array(t) | Shape::Set(t) => Some(t),
        _ => None,
    }
}

pub(crate) fn is_option(ty: &Type) -> bool {
    matches!(shape(ty), Shape::Option(_))
}

/// The class named by a `type = "..."` marker.
pub(crate) fn class_of_type_name(name: &str) -> Option<Vec<Class>> {
    match name {
        "string" => Some(vec![Class::String]),
        "integer" | "number" => Some(vec![Class::Numeric]),
        "array" => Some(vec![Class::Array]),
        "object" => Some(vec![Class::Object]),
        "boolean" => Some(vec![]),
        _ => None,
    }
}
