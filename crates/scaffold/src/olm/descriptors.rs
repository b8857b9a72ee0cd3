//! OLM descriptors from the project's API types: the data operator-sdk takes from
//! `+operator-sdk:csv:customresourcedefinitions:` markers, read here from the api crate's sources
//! with `syn` (no build of the project needed). Two spellings are accepted:
//!
//! - Rust attributes, checked by `#[derive(CrdSchema)]`:
//!   `#[csv(display_name = "Size", description = "..", x_descriptors = [".."])]` on a field, and
//!   `#[csv(display_name = "..", resources(kind = "Deployment", version = "v1", name = ".."))]`
//!   on the spec struct (the root kind);
//! - operator-sdk's doc-comment markers, verbatim, so Go APIs port by copy-paste:
//!   `/// +operator-sdk:csv:customresourcedefinitions:type=spec,displayName="Size",xDescriptors="..."`
//!   and `/// +operator-sdk:csv:customresourcedefinitions:displayName="..",resources={{Deployment,v1,name}}`.
//!
//! A field is a spec descriptor when reached from the spec struct, a status descriptor when
//! reached from the status struct (`#[kube(status = "..")]`); its path is its JSON path (serde
//! `rename`/`rename_all` honoured, nested structs joined with dots, the items of a `Vec` field as
//! `field[0].item_field`, as operator-sdk writes them).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Lit, Meta, Token};

/// One version of a kind of the project, as the CSV's owned CRD entry needs it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApiKind {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: Option<String>,
    /// `#[kube(doc = "..")]`, the CRD's description.
    pub doc: Option<String>,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub resources: Vec<CsvResource>,
    pub spec_descriptors: Vec<Descriptor>,
    pub status_descriptors: Vec<Descriptor>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CsvResource {
    pub kind: String,
    pub version: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Descriptor {
    pub path: String,
    pub display_name: String,
    pub description: Option<String>,
    pub x_descriptors: Vec<String>,
}

/// A problem in the API sources, with the file it is in.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct SourceError {
    pub file: PathBuf,
    pub message: String,
}

const MARKER: &str = "+operator-sdk:csv:customresourcedefinitions:";

/// What `#[csv]` attributes and markers say about one item.
#[derive(Default)]
struct CsvInfo {
    present: bool,
    kind: Option<String>,
    display_name: Option<String>,
    description: Option<String>,
    x_descriptors: Vec<String>,
    resources: Vec<CsvResource>,
}

struct Source {
    file: PathBuf,
    dir: PathBuf,
    item: syn::ItemStruct,
}

/// Every kind declared in `api/src/**/*.rs` under `project_dir`, sorted by group, kind, version.
pub fn discover(project_dir: &Path) -> Result<Vec<ApiKind>, SourceError> {
    let root = project_dir.join("api/src");
    let mut files = Vec::new();
    collect_rs(&root, &mut files);
    files.sort();
    let mut structs = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| SourceError {
            file: file.clone(),
            message: e.to_string(),
        })?;
        let parsed = syn::parse_file(&text).map_err(|e| SourceError {
            file: file.clone(),
            message: format!("does not parse as Rust: {e}"),
        })?;
        let dir = file.parent().map(Path::to_owned).unwrap_or_default();
        collect_structs(&parsed.items, file, &dir, &mut structs);
    }
    let mut kinds = Vec::new();
    for source in &structs {
        if !derives(&source.item.attrs, "CustomResource") {
            continue;
        }
        kinds.push(api_kind(source, &structs)?);
    }
    kinds.sort_by(|a, b| (&a.group, &a.kind, &a.version).cmp(&(&b.group, &b.kind, &b.version)));
    Ok(kinds)
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_rs(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn collect_structs(items: &[syn::Item], file: &Path, dir: &Path, out: &mut Vec<Source>) {
    for item in items {
        match item {
            syn::Item::Struct(s) => out.push(Source {
                file: file.to_owned(),
                dir: dir.to_owned(),
                item: s.clone(),
            }),
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    collect_structs(inner, file, dir, out);
                }
            }
            _ => {}
        }
    }
}

fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .is_ok_and(|paths| {
                    paths
                        .iter()
                        .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
                })
        })
}

fn err(source: &Source, message: impl Into<String>) -> SourceError {
    SourceError {
        file: source.file.clone(),
        message: message.into(),
    }
}

fn api_kind(source: &Source, structs: &[Source]) -> Result<ApiKind, SourceError> {
    let mut kube: BTreeMap<String, String> = BTreeMap::new();
    for attr in source
        .item
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("kube"))
    {
        let metas = attr
            .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .map_err(|e| err(source, format!("#[kube(...)] does not parse: {e}")))?;
        for meta in metas {
            if let Meta::NameValue(nv) = meta
                && let Some(key) = nv.path.get_ident()
                && let Some(value) = lit_str(&nv.value)
            {
                kube.insert(key.to_string(), value);
            }
        }
    }
    let name = source.item.ident.to_string();
    let get = |k: &str| {
        kube.get(k).cloned().ok_or_else(|| {
            err(
                source,
                format!("{name}: #[kube(...)] has no `{k}`; CustomResource needs group, version and kind"),
            )
        })
    };
    let info = csv_info(source, &source.item.attrs)?;
    let mut kind = ApiKind {
        group: get("group")?,
        version: get("version")?,
        kind: get("kind")?,
        plural: kube.get("plural").cloned(),
        doc: kube.get("doc").cloned(),
        display_name: info.display_name,
        description: info.description,
        resources: info.resources,
        ..ApiKind::default()
    };
    let walker = Walker { structs };
    walker.fields(source, "", &mut kind.spec_descriptors, 0)?;
    if let Some(status) = kube.get("status") {
        let status = status.rsplit("::").next().unwrap_or(status);
        if let Some(s) = walker.find(status, &source.dir) {
            walker.fields(s, "", &mut kind.status_descriptors, 0)?;
        }
    }
    kind.spec_descriptors.sort_by(|a, b| a.path.cmp(&b.path));
    kind.status_descriptors.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(kind)
}

struct Walker<'a> {
    structs: &'a [Source],
}

/// Nested structs deeper than this are not followed (recursive types).
const MAX_DEPTH: usize = 8;

impl Walker<'_> {
    /// The struct named `name`: the one in the same directory (API version) first.
    fn find(&self, name: &str, dir: &Path) -> Option<&Source> {
        let mut named = self.structs.iter().filter(|s| s.item.ident == name);
        let all: Vec<&Source> = named.by_ref().collect();
        all.iter()
            .find(|s| s.dir == dir)
            .or_else(|| all.first())
            .copied()
    }

    fn fields(
        &self,
        source: &Source,
        prefix: &str,
        out: &mut Vec<Descriptor>,
        depth: usize,
    ) -> Result<(), SourceError> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        let rename_all = serde_value(&source.item.attrs, "rename_all");
        let syn::Fields::Named(named) = &source.item.fields else {
            return Ok(());
        };
        for field in &named.named {
            if serde_flag(&field.attrs, "skip") || serde_flag(&field.attrs, "skip_serializing") {
                continue;
            }
            let ident = field
                .ident
                .as_ref()
                .map(|i| i.to_string().trim_start_matches("r#").to_owned())
                .unwrap_or_default();
            let json = serde_value(&field.attrs, "rename")
                .unwrap_or_else(|| apply_rename_all(&ident, rename_all.as_deref()));
            let flatten = serde_flag(&field.attrs, "flatten");
            let path = match (flatten, prefix.is_empty()) {
                (true, _) => prefix.to_owned(),
                (false, true) => json.clone(),
                (false, false) => format!("{prefix}.{json}"),
            };
            let info = csv_info(source, &field.attrs)?;
            if info.present && !flatten {
                out.push(Descriptor {
                    path: path.clone(),
                    display_name: info.display_name.unwrap_or_else(|| display_name(&json)),
                    description: info.description.or_else(|| doc_paragraph(&field.attrs)),
                    x_descriptors: info.x_descriptors,
                });
            }
            if let Some((inner, list)) = struct_name(&field.ty)
                && let Some(s) = self.find(&inner, &source.dir)
            {
                // operator-sdk's array-field group: fields of list items are `list[0].field`.
                let prefix = if list && !flatten {
                    format!("{path}[0]")
                } else {
                    path
                };
                self.fields(s, &prefix, out, depth + 1)?;
            }
        }
        Ok(())
    }
}

/// The struct a field's type names, through `Option<_>` and `Box<_>`, and whether it is the
/// item type of a list (`Vec<_>`). Maps are not followed: operator-sdk joins a map value's fields
/// to the map's path as if they were keys, a path OLM's UI cannot resolve.
fn struct_name(ty: &syn::Type) -> Option<(String, bool)> {
    let syn::Type::Path(tp) = ty else {
        return None;
    };
    let last = tp.path.segments.last()?;
    let name = last.ident.to_string();
    let inner = || match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => match args.args.first() {
            Some(syn::GenericArgument::Type(inner)) => Some(inner),
            _ => None,
        },
        _ => None,
    };
    match name.as_str() {
        "Option" | "Box" => struct_name(inner()?),
        "Vec" => match struct_name(inner()?)? {
            // A list of lists has no single item path.
            (_, true) => None,
            (item, false) => Some((item, true)),
        },
        _ => Some((name, false)),
    }
}

fn lit_str(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}

fn serde_metas(attrs: &[Attribute]) -> Vec<Meta> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .filter_map(|a| {
            a.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .collect()
}

fn serde_value(attrs: &[Attribute], key: &str) -> Option<String> {
    serde_metas(attrs).into_iter().find_map(|m| match m {
        Meta::NameValue(nv) if nv.path.is_ident(key) => lit_str(&nv.value),
        // #[serde(rename(serialize = "..", deserialize = ".."))]: the serialised name counts.
        Meta::List(list) if list.path.is_ident(key) => list
            .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .ok()?
            .into_iter()
            .find_map(|m| match m {
                Meta::NameValue(nv) if nv.path.is_ident("serialize") => lit_str(&nv.value),
                _ => None,
            }),
        _ => None,
    })
}

fn serde_flag(attrs: &[Attribute], key: &str) -> bool {
    serde_metas(attrs)
        .iter()
        .any(|m| matches!(m, Meta::Path(p) if p.is_ident(key)))
}

/// serde's `rename_all` rules, for snake_case Rust field names.
fn apply_rename_all(field: &str, rule: Option<&str>) -> String {
    let words: Vec<&str> = field.split('_').filter(|w| !w.is_empty()).collect();
    let cap = |w: &str| {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    match rule {
        Some("camelCase") => words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == 0 { (*w).to_owned() } else { cap(w) })
            .collect(),
        Some("PascalCase") => words.iter().map(|w| cap(w)).collect(),
        Some("lowercase") => field.to_lowercase(),
        Some("UPPERCASE") => field.to_uppercase(),
        Some("SCREAMING_SNAKE_CASE") => field.to_uppercase(),
        Some("kebab-case") => field.replace('_', "-"),
        Some("SCREAMING-KEBAB-CASE") => field.replace('_', "-").to_uppercase(),
        _ => field.to_owned(),
    }
}

/// operator-sdk's default display name: the name split into capitalised words
/// (`containerPort` → `Container Port`, `MemcachedApp` → `Memcached App`).
pub fn display_name(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let boundary = c.is_uppercase()
            && i > 0
            && (chars[i - 1].is_lowercase()
                || chars[i - 1].is_ascii_digit()
                || chars.get(i + 1).is_some_and(|n| n.is_lowercase())
                    && chars[i - 1].is_uppercase());
        if c == '_' || c == '-' || c == ' ' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn doc_lines(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            Meta::NameValue(nv) => lit_str(&nv.value),
            _ => None,
        })
        .map(|l| l.strip_prefix(' ').unwrap_or(&l).to_owned())
        .collect()
}

/// The first paragraph of the doc comment, marker lines (`+...`) left out, lines joined with a
/// space, as operator-sdk takes a descriptor's description from the Go doc comment.
fn doc_paragraph(attrs: &[Attribute]) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    for line in doc_lines(attrs) {
        let t = line.trim();
        if t.starts_with('+') {
            continue;
        }
        if t.is_empty() {
            if out.is_empty() {
                continue;
            }
            break;
        }
        out.push(t.to_owned());
    }
    (!out.is_empty()).then(|| out.join(" "))
}

fn csv_info(source: &Source, attrs: &[Attribute]) -> Result<CsvInfo, SourceError> {
    let mut info = CsvInfo::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("csv")) {
        info.present = true;
        let metas = attr
            .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .map_err(|e| err(source, format!("#[csv(...)] does not parse: {e}")))?;
        for meta in metas {
            match meta {
                Meta::NameValue(nv) if nv.path.is_ident("display_name") => {
                    info.display_name = lit_str(&nv.value);
                }
                Meta::NameValue(nv) if nv.path.is_ident("description") => {
                    info.description = lit_str(&nv.value);
                }
                Meta::NameValue(nv) if nv.path.is_ident("x_descriptors") => {
                    if let Expr::Array(list) = &nv.value {
                        info.x_descriptors
                            .extend(list.elems.iter().filter_map(lit_str));
                    }
                }
                Meta::List(list) if list.path.is_ident("resources") => {
                    let inner = list
                        .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                        .map_err(|e| err(source, format!("#[csv(resources(...))]: {e}")))?;
                    let mut r = BTreeMap::new();
                    for m in inner {
                        if let Meta::NameValue(nv) = m
                            && let Some(k) = nv.path.get_ident()
                            && let Some(v) = lit_str(&nv.value)
                        {
                            r.insert(k.to_string(), v);
                        }
                    }
                    let take = |k: &str| r.get(k).cloned().unwrap_or_default();
                    info.resources.push(CsvResource {
                        kind: take("kind"),
                        version: take("version"),
                        name: take("name"),
                    });
                }
                // Unknown keys are the derive's to report, at their span.
                _ => {}
            }
        }
    }
    for line in doc_lines(attrs) {
        if let Some(rest) = line.trim().strip_prefix(MARKER) {
            info.present = true;
            apply_marker(&mut info, rest)
                .map_err(|m| err(source, format!("marker `{MARKER}{rest}`: {m}")))?;
        }
    }
    Ok(info)
}

/// `type=spec,displayName="Size",xDescriptors={"a","b"},resources={{Deployment,v1,name}}`.
fn apply_marker(info: &mut CsvInfo, args: &str) -> Result<(), String> {
    for (key, value) in split_args(args)? {
        match key.as_str() {
            "type" => info.kind = Some(unquote(&value)),
            "displayName" => info.display_name = Some(unquote(&value)),
            "description" => info.description = Some(unquote(&value)),
            "xDescriptors" => info.x_descriptors.extend(list(&value)),
            "resources" => {
                let inner = value
                    .trim()
                    .strip_prefix('{')
                    .and_then(|v| v.strip_suffix('}'))
                    .ok_or("resources must be written {{Kind,version,name},...}")?;
                for group in inner.split('}') {
                    let group = group.trim().trim_start_matches(',').trim();
                    let Some(group) = group.strip_prefix('{') else {
                        continue;
                    };
                    let parts: Vec<String> = group.split(',').map(unquote).collect();
                    let [kind, version, name] = parts.as_slice() else {
                        return Err(format!(
                            "resources entry {{{group}}} must have three parts: Kind,version,name"
                        ));
                    };
                    info.resources.push(CsvResource {
                        kind: kind.clone(),
                        version: version.clone(),
                        name: name.clone(),
                    });
                }
            }
            // Keys operator-sdk knows that have no place here yet (`order`) are ignored.
            _ => {}
        }
    }
    Ok(())
}

fn unquote(s: &str) -> String {
    let t = s.trim();
    t.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| t.strip_prefix('`').and_then(|v| v.strip_suffix('`')))
        .unwrap_or(t)
        .to_owned()
}

/// `"a"` or `{"a","b"}` as a list.
fn list(value: &str) -> Vec<String> {
    let t = value.trim();
    match t.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
        Some(inner) => inner
            .split(',')
            .map(unquote)
            .filter(|s| !s.is_empty())
            .collect(),
        None => vec![unquote(t)],
    }
}

/// Splits `k=v,k2="a,b",k3={..}` at the commas outside quotes and braces.
fn split_args(args: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quoted = false;
    let mut start = 0;
    let bytes: Vec<char> = args.chars().collect();
    let mut pieces = Vec::new();
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            '"' | '`' => quoted = !quoted,
            '{' if !quoted => depth += 1,
            '}' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                pieces.push(bytes[start..i].iter().collect::<String>());
                start = i + 1;
            }
            _ => {}
        }
    }
    if quoted || depth != 0 {
        return Err("unbalanced quotes or braces".into());
    }
    pieces.push(bytes[start..].iter().collect::<String>());
    for piece in pieces {
        if piece.trim().is_empty() {
            continue;
        }
        let (k, v) = piece
            .split_once('=')
            .ok_or_else(|| format!("`{piece}` is not key=value"))?;
        out.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_split_words() {
        assert_eq!(display_name("containerPort"), "Container Port");
        assert_eq!(display_name("MemcachedApp"), "Memcached App");
        assert_eq!(display_name("memcached-operator"), "Memcached Operator");
        assert_eq!(display_name("size"), "Size");
    }

    #[test]
    fn markers_parse() {
        let mut info = CsvInfo::default();
        apply_marker(
            &mut info,
            r#"type=spec,displayName="Size",xDescriptors={"urn:a","urn:b"},resources={{Deployment,v1,memcached-deployment},{Service,v1,svc}}"#,
        )
        .unwrap();
        assert_eq!(info.kind.as_deref(), Some("spec"));
        assert_eq!(info.display_name.as_deref(), Some("Size"));
        assert_eq!(info.x_descriptors, ["urn:a", "urn:b"]);
        assert_eq!(info.resources.len(), 2);
        assert_eq!(info.resources[1].name, "svc");
    }

    #[test]
    fn list_items_are_indexed_like_operator_sdk() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("api/src/v1");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(
            src.join("app_types.rs"),
            r#"
#[derive(CustomResource)]
#[kube(group = "x.io", version = "v1", kind = "App", status = "AppStatus")]
#[serde(rename_all = "camelCase")]
pub struct AppSpec {
    /// The containers.
    #[csv(display_name = "Containers")]
    pub containers: Vec<Container>,
    pub sidecar: Option<Box<Container>>,
    pub groups: Vec<Vec<Container>>,
    pub by_name: std::collections::BTreeMap<String, Container>,
}
#[serde(rename_all = "camelCase")]
pub struct Container {
    /// Its image.
    #[csv(x_descriptors = ["urn:alm:descriptor:com.tectonic.ui:text"])]
    pub image_name: String,
}
pub struct AppStatus {
    #[csv()]
    pub nodes: Option<Vec<String>>,
}
"#,
        )
        .unwrap();
        let kinds = discover(dir.path()).unwrap();
        let spec: Vec<&str> = kinds[0]
            .spec_descriptors
            .iter()
            .map(|d| d.path.as_str())
            .collect();
        assert_eq!(
            spec,
            ["containers", "containers[0].imageName", "sidecar.imageName"]
        );
        let status: Vec<&str> = kinds[0]
            .status_descriptors
            .iter()
            .map(|d| d.path.as_str())
            .collect();
        assert_eq!(status, ["nodes"]);
    }

    #[test]
    fn rename_all_rules() {
        assert_eq!(
            apply_rename_all("container_port", Some("camelCase")),
            "containerPort"
        );
        assert_eq!(apply_rename_all("container_port", None), "container_port");
        assert_eq!(
            apply_rename_all("container_port", Some("kebab-case")),
            "container-port"
        );
    }
}
