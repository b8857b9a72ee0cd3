//! `scaffold delete api|webhook` and `scaffold delete --plugins`: kubebuilder's `delete`, the
//! inverse of `create`. Each file `create` wrote is rendered again for the resource, from PROJECT,
//! and removed only when it is still what the templates render; each line `create` inserted at a
//! `+kubeforge:scaffold:` marker is taken out again. A file that differs, or an inserted line
//! that is gone, is a user edit: the command refuses, naming every such file, unless `--force`.
//! The whole change is planned before anything is written, so a refusal leaves the tree as it was.

pub(crate) mod api;
mod plugins;
pub(crate) mod undo;
mod webhook;

use crate::cli::{Delete, DeleteArgs};
use crate::error::CliError;

pub fn run(args: DeleteArgs) -> anyhow::Result<()> {
    match (&args.what, args.plugins.is_empty()) {
        (Some(Delete::Api(a)), _) => api::delete(&args.common, a),
        (Some(Delete::Webhook(w)), _) => webhook::delete(&args.common, w),
        (None, false) => plugins::delete(&args.common, &args.plugins),
        (None, true) => Err(CliError::invalid(
            "delete",
            "",
            "needs a subcommand (api, webhook) or --plugins (helm, grafana)",
        )
        .into()),
    }
}
