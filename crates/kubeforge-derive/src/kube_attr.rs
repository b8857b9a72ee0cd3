//! The few `#[kube(...)]` keys the schema derive needs: which root type kube generates, its
//! status type and its doc. kube-derive validates the attribute itself; unknown keys are skipped.

use syn::meta::ParseNestedMeta;

pub(crate) struct KubeAttrs {
    pub kind: Option<String>,
    pub root: Option<String>,
    pub status: Option<syn::Path>,
    pub doc: Option<String>,
    /// `#[kube(no_spec)]`: the spec's fields sit at the root of the object.
    pub no_spec: bool,
    pub span: proc_macro2::Span,
}

pub(crate) fn parse(attrs: &[syn::Attribute]) -> syn::Result<Option<KubeAttrs>> {
    let mut found: Option<KubeAttrs> = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("kube")) {
        let k = found.get_or_insert_with(|| KubeAttrs {
            kind: None,
            root: None,
            status: None,
            doc: None,
            no_spec: false,
            span: proc_macro2::Span::call_site(),
        });
        k.span = syn::spanned::Spanned::span(attr);
        attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match key.as_str() {
                "kind" => k.kind = Some(string(&meta)?),
                "root" => k.root = Some(string(&meta)?),
                "doc" => k.doc = Some(string(&meta)?),
                "no_spec" => k.no_spec = true,
                "status" => {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    k.status = Some(lit.parse()?);
                }
                _ => skip(&meta)?,
            }
            Ok(())
        })?;
    }
    Ok(found)
}

fn string(meta: &ParseNestedMeta) -> syn::Result<String> {
    let lit: syn::LitStr = meta.value()?.parse()?;
    Ok(lit.value())
}

fn skip(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _group: proc_macro2::Group = meta.input.parse()?;
    }
    Ok(())
}
