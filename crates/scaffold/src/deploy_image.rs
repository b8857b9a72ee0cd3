//! kubebuilder's deploy-image plugin (`create api --image ...`): the flags, their rules, the
//! template context and the PROJECT record that lets a re-scaffold replay them.

use serde_json::{Value, json};

use crate::cli::ImageArgs;
use crate::error::CliError;
use crate::names;

/// The PROJECT `plugins:` key under which deploy-image resources are recorded.
pub const PLUGIN: &str = "deploy-image.kubeforge.io/v1-alpha";

/// The checked deploy-image options of one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageOptions {
    pub image: String,
    pub container_port: Option<u16>,
    pub command: Vec<String>,
    pub run_as_user: Option<i64>,
}

impl ImageOptions {
    /// Checks the flags; `None` without `--image`.
    pub fn from_args(args: &ImageArgs) -> Result<Option<ImageOptions>, CliError> {
        let Some(image) = &args.image else {
            for (flag, value) in [
                ("--image-container-port", &args.image_container_port),
                ("--image-container-command", &args.image_container_command),
                ("--run-as-user", &args.run_as_user),
            ] {
                if let Some(value) = value {
                    return Err(CliError::invalid(flag, value, "needs --image"));
                }
            }
            return Ok(None);
        };
        let image_ok = !image.is_empty()
            && image
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            && image
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._/:@-".contains(c));
        if !image_ok {
            return Err(CliError::invalid(
                "--image",
                image,
                "must be a container image reference (letters, digits and . _ / : @ -, starting with a letter or digit)",
            ));
        }
        let container_port = match &args.image_container_port {
            None => None,
            Some(p) => Some(p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                CliError::invalid(
                    "--image-container-port",
                    p,
                    "must be a port number from 1 to 65535",
                )
            })?),
        };
        let command = match &args.image_container_command {
            None => Vec::new(),
            Some(c) => {
                let parts: Vec<String> = c.split(',').map(str::to_owned).collect();
                if parts
                    .iter()
                    .any(|p| p.is_empty() || p.chars().any(char::is_control))
                {
                    return Err(CliError::invalid(
                        "--image-container-command",
                        c,
                        "must be comma-separated, non-empty arguments without control characters",
                    ));
                }
                parts
            }
        };
        let run_as_user = match &args.run_as_user {
            None => None,
            Some(u) => Some(
                u.parse::<i64>()
                    .ok()
                    .filter(|u| (1..=i64::from(i32::MAX)).contains(u))
                    .ok_or_else(|| {
                        CliError::invalid(
                            "--run-as-user",
                            u,
                            "must be a non-root user id from 1 to 2147483647",
                        )
                    })?,
            ),
        };
        Ok(Some(ImageOptions {
            image: image.clone(),
            container_port,
            command,
            run_as_user,
        }))
    }

    /// `resource.image` in the template context (templates/README.md).
    pub fn context(&self, kind: &str) -> Value {
        let kind_lower = kind.to_ascii_lowercase();
        // A port name is at most 15 characters; the container shares it.
        let container_name: String = kind_lower.chars().take(15).collect();
        let command: Vec<String> = self
            .command
            .iter()
            .map(|arg| serde_json::to_string(arg).expect("strings serialise"))
            .collect();
        json!({
            "image": self.image,
            "container_port": self.container_port,
            "command": command,
            "run_as_user": self.run_as_user,
            "env_var": format!("{}_IMAGE", names::snake(kind).to_ascii_uppercase()),
            "container_name": container_name,
        })
    }

    /// The `create api` flags that scaffold these options again (`alpha generate`), as
    /// `--flag=value` so that a value starting with `-` stays a value.
    pub fn flags(&self) -> Vec<String> {
        let options = self.options();
        [
            ("image", "--image"),
            ("containerPort", "--image-container-port"),
            ("containerCommand", "--image-container-command"),
            ("runAsUser", "--run-as-user"),
        ]
        .into_iter()
        .filter_map(|(key, flag)| Some(format!("{flag}={}", options[key].as_str()?)))
        .collect()
    }

    /// The `options:` kubebuilder records in PROJECT, strings as it writes them.
    fn options(&self) -> Value {
        let mut options = serde_json::Map::new();
        if !self.command.is_empty() {
            options.insert("containerCommand".into(), self.command.join(",").into());
        }
        if let Some(p) = self.container_port {
            options.insert("containerPort".into(), p.to_string().into());
        }
        options.insert("image".into(), self.image.clone().into());
        if let Some(u) = self.run_as_user {
            options.insert("runAsUser".into(), u.to_string().into());
        }
        Value::Object(options)
    }
}

/// Records (or replaces) the resource's options under `plugins.<PLUGIN>.resources` in PROJECT.
pub fn record(
    plugins: &mut std::collections::BTreeMap<String, Value>,
    domain: &str,
    (group, version, kind): (&str, &str, &str),
    options: &ImageOptions,
) {
    let entry = plugins
        .entry(PLUGIN.to_owned())
        .or_insert_with(|| json!({ "resources": [] }));
    if !entry["resources"].is_array() {
        entry["resources"] = json!([]);
    }
    let resources = entry["resources"]
        .as_array_mut()
        .expect("made an array above");
    resources.retain(|r| !(r["group"] == group && r["version"] == version && r["kind"] == kind));
    resources.push(json!({
        "domain": domain,
        "group": group,
        "kind": kind,
        "options": options.options(),
        "version": version,
    }));
}

/// The deploy-image options PROJECT records for a resource, if it was scaffolded with `--image`.
pub fn recorded(
    plugins: &std::collections::BTreeMap<String, Value>,
    (group, version, kind): (&str, &str, &str),
) -> Result<Option<ImageOptions>, CliError> {
    let Some(resources) = plugins.get(PLUGIN).and_then(|p| p["resources"].as_array()) else {
        return Ok(None);
    };
    let Some(entry) = resources
        .iter()
        .find(|r| r["group"] == group && r["version"] == version && r["kind"] == kind)
    else {
        return Ok(None);
    };
    let option = |key: &str| entry["options"][key].as_str().map(str::to_owned);
    let args = ImageArgs {
        image: option("image"),
        image_container_port: option("containerPort"),
        image_container_command: option("containerCommand"),
        run_as_user: option("runAsUser"),
    };
    ImageOptions::from_args(&args).map_err(|e| CliError::BadProject {
        path: crate::project::FILE.into(),
        reason: format!("plugins.{PLUGIN} of {group}/{version} {kind}: {e}"),
    })
}
