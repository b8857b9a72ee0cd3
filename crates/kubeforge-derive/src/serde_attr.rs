//! The serde attributes that change the wire shape, read so the schema matches what serde
//! writes. Everything else in `#[serde(...)]` is skipped.

use syn::meta::ParseNestedMeta;

#[derive(Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RenameRule {
    #[default]
    None,
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameRule {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "lowercase" => Self::Lower,
            "UPPERCASE" => Self::Upper,
            "PascalCase" => Self::Pascal,
            "camelCase" => Self::Camel,
            "snake_case" => Self::Snake,
            "SCREAMING_SNAKE_CASE" => Self::ScreamingSnake,
            "kebab-case" => Self::Kebab,
            "SCREAMING-KEBAB-CASE" => Self::ScreamingKebab,
            _ => return None,
        })
    }

    /// Renames a snake_case field, as serde does.
    pub(crate) fn field(self, name: &str) -> String {
        match self {
            Self::None | Self::Snake => name.to_owned(),
            Self::Lower => name.to_ascii_lowercase(),
            Self::Upper | Self::ScreamingSnake => name.to_ascii_uppercase(),
            Self::Pascal => pascal(name),
            Self::Camel => {
                let p = pascal(name);
                let mut c = p.chars();
                c.next()
                    .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
                    .unwrap_or_default()
            }
            Self::Kebab => name.replace('_', "-"),
            Self::ScreamingKebab => name.to_ascii_uppercase().replace('_', "-"),
        }
    }

    /// Renames a PascalCase variant, as serde does.
    pub(crate) fn variant(self, name: &str) -> String {
        let snake = || {
            let mut out = String::new();
            for (i, ch) in name.char_indices() {
                if i > 0 && ch.is_uppercase() {
                    out.push('_');
                }
                out.push(ch.to_ascii_lowercase());
            }
            out
        };
        match self {
            Self::None | Self::Pascal => name.to_owned(),
            Self::Lower => name.to_ascii_lowercase(),
            Self::Upper => name.to_ascii_uppercase(),
            Self::Camel => {
                let mut c = name.chars();
                c.next()
                    .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
                    .unwrap_or_default()
            }
            Self::Snake => snake(),
            Self::ScreamingSnake => snake().to_ascii_uppercase(),
            Self::Kebab => snake().replace('_', "-"),
            Self::ScreamingKebab => snake().to_ascii_uppercase().replace('_', "-"),
        }
    }
}

fn pascal(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for ch in name.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.push(ch.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

#[derive(Default)]
pub(crate) struct Container {
    pub rename_all: RenameRule,
    pub rename_all_fields: RenameRule,
    pub tag: Option<String>,
    pub content: Option<String>,
    pub untagged: bool,
    pub transparent: bool,
    pub default: bool,
}

#[derive(Default)]
pub(crate) struct Field {
    pub rename: Option<String>,
    pub default: bool,
    pub skip: bool,
    pub skip_serializing_if: bool,
    pub flatten: bool,
}

#[derive(Default)]
pub(crate) struct Variant {
    pub rename: Option<String>,
    pub rename_all: RenameRule,
    pub skip: bool,
    pub untagged: bool,
}

fn serde_metas(
    attrs: &[syn::Attribute],
    mut f: impl FnMut(&str, &ParseNestedMeta) -> syn::Result<()>,
) -> syn::Result<()> {
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            f(&key, &meta)
        })?;
    }
    Ok(())
}

/// Reads `= "x"` or `(serialize = "x", ...)`, returning the serialised spelling.
fn string_value(meta: &ParseNestedMeta) -> syn::Result<Option<String>> {
    if meta.input.peek(syn::Token![=]) {
        let lit: syn::LitStr = meta.value()?.parse()?;
        return Ok(Some(lit.value()));
    }
    let mut ser = None;
    if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|m| {
            let lit: syn::LitStr = m.value()?.parse()?;
            if m.path.is_ident("serialize") {
                ser = Some(lit.value());
            }
            Ok(())
        })?;
    }
    Ok(ser)
}

fn skip_rest(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _group: proc_macro2::Group = meta.input.parse()?;
    }
    Ok(())
}

fn rule(meta: &ParseNestedMeta) -> syn::Result<RenameRule> {
    let span = meta.path.clone();
    let value = string_value(meta)?.unwrap_or_default();
    RenameRule::parse(&value).ok_or_else(|| {
        syn::Error::new_spanned(span, format!("unknown serde rename rule `{value}`"))
    })
}

pub(crate) fn container(attrs: &[syn::Attribute]) -> syn::Result<Container> {
    let mut c = Container::default();
    serde_metas(attrs, |key, meta| {
        match key {
            "rename_all" => c.rename_all = rule(meta)?,
            "rename_all_fields" => c.rename_all_fields = rule(meta)?,
            "tag" => c.tag = string_value(meta)?,
            "content" => c.content = string_value(meta)?,
            "untagged" => c.untagged = true,
            "transparent" => c.transparent = true,
            "default" => {
                c.default = true;
                skip_rest(meta)?;
            }
            _ => skip_rest(meta)?,
        }
        Ok(())
    })?;
    Ok(c)
}

pub(crate) fn field(attrs: &[syn::Attribute]) -> syn::Result<Field> {
    let mut f = Field::default();
    serde_metas(attrs, |key, meta| {
        match key {
            "rename" => f.rename = string_value(meta)?,
            "default" => {
                f.default = true;
                skip_rest(meta)?;
            }
            "skip" | "skip_serializing" | "skip_deserializing" => f.skip = true,
            "skip_serializing_if" => {
                f.skip_serializing_if = true;
                skip_rest(meta)?;
            }
            "flatten" => f.flatten = true,
            _ => skip_rest(meta)?,
        }
        Ok(())
    })?;
    Ok(f)
}

pub(crate) fn variant(attrs: &[syn::Attribute]) -> syn::Result<Variant> {
    let mut v = Variant::default();
    serde_metas(attrs, |key, meta| {
        match key {
            "rename" => v.rename = string_value(meta)?,
            "rename_all" => v.rename_all = rule(meta)?,
            "skip" | "skip_serializing" | "skip_deserializing" => v.skip = true,
            "untagged" => v.untagged = true,
            _ => skip_rest(meta)?,
        }
        Ok(())
    })?;
    Ok(v)
}
