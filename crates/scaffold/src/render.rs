//! The embedded templates and their rendering: strict handlebars (a missing variable is an
//! error), no HTML escaping, output paths from the template paths.

use handlebars::Handlebars;
use include_dir::{Dir, include_dir};
use serde_json::Value;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../templates");

pub struct Renderer {
    hb: Handlebars<'static>,
}

/// One rendered file: its path relative to the project root and its contents.
pub struct Rendered {
    pub path: String,
    pub contents: String,
}

fn walk<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    for f in dir.files() {
        out.push(f);
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
        let mut files = Vec::new();
        walk(&TEMPLATES, &mut files);
        for f in files {
            let name = f.path().to_string_lossy().into_owned();
            if !name.ends_with(".hbs") {
                continue;
            }
            let text = f.contents_utf8().unwrap_or_default();
            // Templates are checked by the snapshot tests; a broken one is a build defect.
            hb.register_template_string(&name, text)
                .unwrap_or_else(|e| panic!("template {name} does not parse: {e}"));
        }
        Renderer { hb }
    }

    /// Every template under `group/` (e.g. `init`), sorted by path.
    pub fn templates(&self, group: &str) -> Vec<String> {
        let prefix = format!("{group}/");
        let mut names: Vec<String> = self
            .hb
            .get_templates()
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect();
        names.sort();
        names
    }

    pub fn render(&self, template: &str, context: &Value) -> anyhow::Result<Rendered> {
        let contents = self
            .hb
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
