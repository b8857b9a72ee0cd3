//! The derive's model of one type: names as serde writes them, markers from both attribute forms
//! and descriptions, with references back to the syntax for spans.

use crate::attr::{self, Markers};
use crate::ctxt::Ctxt;
use crate::doc;
use crate::kube_attr::{self, KubeAttrs};
use crate::serde_attr;

pub(crate) struct Container<'a> {
    pub input: &'a syn::DeriveInput,
    pub serde: serde_attr::Container,
    pub markers: Markers,
    pub description: Option<String>,
    pub kube: Option<KubeAttrs>,
    pub data: Data<'a>,
}

pub(crate) enum Data<'a> {
    Struct(Style, Vec<Field<'a>>),
    Enum(Vec<Variant<'a>>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Named,
    Tuple,
    Unit,
}

pub(crate) struct Field<'a> {
    /// The property name serde writes.
    pub name: String,
    pub ty: &'a syn::Type,
    pub serde: serde_attr::Field,
    pub markers: Markers,
    pub description: Option<String>,
}

pub(crate) struct Variant<'a> {
    pub name: String,
    pub style: Style,
    pub fields: Vec<Field<'a>>,
    pub serde: serde_attr::Variant,
    pub description: Option<String>,
    pub original: &'a syn::Variant,
}

fn markers_and_doc(cx: &Ctxt, attrs: &[syn::Attribute]) -> (Markers, Option<String>) {
    let doc = doc::parse(cx, attrs);
    let mut entries = doc.entries;
    entries.extend(attr::parse_crd_attrs(cx, attrs));
    let markers = Markers::from_entries(cx, entries);
    (markers, doc.description)
}

impl<'a> Container<'a> {
    pub(crate) fn from_ast(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Container<'a>> {
        let serde = serde_attr::container(&input.attrs)
            .map_err(|e| cx.syn_error(e))
            .ok()?;
        let kube = kube_attr::parse(&input.attrs)
            .map_err(|e| cx.syn_error(e))
            .ok()?;
        let (markers, description) = markers_and_doc(cx, &input.attrs);
        let data = match &input.data {
            syn::Data::Struct(s) => {
                let (style, fields) = fields(cx, &s.fields, serde.rename_all);
                Data::Struct(style, fields)
            }
            syn::Data::Enum(e) => Data::Enum(
                e.variants
                    .iter()
                    .map(|v| Variant::from_ast(cx, v, &serde))
                    .collect::<Option<Vec<_>>>()?,
            ),
            syn::Data::Union(_) => {
                cx.error_spanned_by(&input.ident, "CrdSchema cannot be derived for unions");
                return None;
            }
        };
        Some(Container {
            input,
            serde,
            markers,
            description,
            kube,
            data,
        })
    }
}

impl<'a> Variant<'a> {
    fn from_ast(
        cx: &Ctxt,
        v: &'a syn::Variant,
        container: &serde_attr::Container,
    ) -> Option<Variant<'a>> {
        let serde = serde_attr::variant(&v.attrs)
            .map_err(|e| cx.syn_error(e))
            .ok()?;
        let doc = doc::parse(cx, &v.attrs);
        if let Some((_, span)) = doc.entries.first() {
            cx.error_at(*span, "markers are not supported on enum variants; put them on the variant's fields or on the enum");
        }
        if let Some(a) = v
            .attrs
            .iter()
            .find(|a| a.path().is_ident(crate::symbol::CRD))
        {
            cx.error_spanned_by(a, "`#[crd(...)]` is not supported on enum variants; put it on the variant's fields or on the enum");
        }
        let name = serde
            .rename
            .clone()
            .unwrap_or_else(|| container.rename_all.variant(&v.ident.to_string()));
        let rule = if serde.rename_all == serde_attr::RenameRule::None {
            container.rename_all_fields
        } else {
            serde.rename_all
        };
        let (style, fields) = fields(cx, &v.fields, rule);
        Some(Variant {
            name,
            style,
            fields,
            serde,
            description: doc.description,
            original: v,
        })
    }
}

fn fields<'a>(
    cx: &Ctxt,
    fields: &'a syn::Fields,
    rule: serde_attr::RenameRule,
) -> (Style, Vec<Field<'a>>) {
    let style = match fields {
        syn::Fields::Named(_) => Style::Named,
        syn::Fields::Unnamed(_) => Style::Tuple,
        syn::Fields::Unit => Style::Unit,
    };
    let out = fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let serde = serde_attr::field(&f.attrs)
                .map_err(|e| cx.syn_error(e))
                .ok()?;
            let (markers, description) = markers_and_doc(cx, &f.attrs);
            let name = match (&serde.rename, &f.ident) {
                (Some(r), _) => r.clone(),
                (None, Some(ident)) => rule.field(ident.to_string().trim_start_matches("r#")),
                (None, None) => i.to_string(),
            };
            Some(Field {
                name,
                ty: &f.ty,
                serde,
                markers,
                description,
            })
        })
        .collect();
    (style, out)
}

impl Field<'_> {
    /// controller-gen's rule, in serde's terms: a property is required unless it may be absent on
    /// the wire (`Option`, `skip_serializing_if`) or absent on input (`default`), or is marked.
    pub(crate) fn required(&self, container_default: bool) -> bool {
        if let Some((required, _)) = self.markers.required {
            return required;
        }
        !(crate::shape::is_option(self.ty)
            || self.serde.default
            || container_default
            || self.serde.skip_serializing_if)
    }
}
