//! The embedded templates and their rendering: strict handlebars (a missing variable is an
//! error), no HTML escaping, output paths from the template paths.

use std::cell::RefCell;
use std::collections::BTreeMap;

use handlebars::Handlebars;
use include_dir::{Dir, include_dir};
use serde_json::Value;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../templates");

pub struct Renderer {
    /// Every embedded template by name; parsed only when first rendered, since parsing
    /// dominates a command's run time and no command renders them all.
    sources: BTreeMap<String, &'static str>,
    hb: RefCell<Handlebars<'static>>,
}

/// One rendered file: its path relative to the project root and its contents.
pub struct Rendered {
    pub path: String,
    pub contents: String,
}

fn walk(dir: &'static Dir<'static>, out: &mut BTreeMap<String, &'static str>) {
    for f in dir.files() {
        let name = f.path().to_string_lossy().into_owned();
        if name.ends_with(".hbs") {
            out.insert(name, f.contents_utf8().unwrap_or_default());
        }
    }
    for d in dir.dirs() {
        walk(d, out);
    }
}

impl Renderer {
    pub fn new() -> Renderer {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        let mut sources = BTreeMap::new();
        walk(&TEMPLATES, &mut sources);
        Renderer {
            sources,
            hb: RefCell::new(hb),
        }
    }

    /// Every template under `group/` (e.g. `init`), sorted by path.
    pub fn templates(&self, group: &str) -> Vec<String> {
        let prefix = format!("{group}/");
        self.sources
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect()
    }

    pub fn render(&self, template: &str, context: &Value) -> anyhow::Result<Rendered> {
        let mut hb = self.hb.borrow_mut();
        if !hb.has_template(template) {
            let source = self
                .sources
                .get(template)
                .ok_or_else(|| anyhow::anyhow!("no template {template}"))?;
            hb.register_template_string(template, *source)
                .map_err(|e| anyhow::anyhow!("template {template} does not parse: {e}"))?;
        }
        let contents = hb
            .render(template, context)
            .map_err(|e| anyhow::anyhow!("rendering template {template}: {e}"))?;
        let (_, rel) = template.split_once('/').unwrap_or(("", template));
        let path = substitute_path(rel.trim_end_matches(".hbs"), context)?;
        Ok(Rendered { path, contents })
    }

    /// A fragment for a marker insertion, `templates/fragments/<name>.hbs`.
    pub fn fragment(&self, name: &str, context: &Value) -> anyhow::Result<String> {
        Ok(self
            .render(&format!("fragments/{name}.hbs"), context)?
            .contents)
    }
}

/// Replaces each `[key]` in a template path with `resource.key` (or the project's `key`).
fn substitute_path(path: &str, context: &Value) -> anyhow::Result<String> {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('[') {
        let end = rest[start..]
            .find(']')
            .map(|e| start + e)
            .ok_or_else(|| anyhow::anyhow!("unclosed [ in {path}"))?;
        out.push_str(&rest[..start]);
        let key = &rest[start + 1..end];
        let value = context["resource"]
            .get(key)
            .or_else(|| context.get(key))
            .and_then(Value::as_str);
        out.push_str(
            value
                .ok_or_else(|| anyhow::anyhow!("template path {path} names unknown value {key}"))?,
        );
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
