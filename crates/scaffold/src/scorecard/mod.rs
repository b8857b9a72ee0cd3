//! `scaffold scorecard`: operator-sdk's `scorecard` with its built-in tests (basic-check-spec and
//! the olm-* suite), run on the bundle directory by this binary rather than as pods of
//! `scorecard-test` images in a cluster. The bundle's scorecard config (`tests/scorecard/config.yaml`)
//! says which tests run; the output and exit code are operator-sdk's.

mod checks;
mod cluster;
mod config;
mod output;

use std::path::{Path, PathBuf};

use crate::cli::{ScorecardArgs, ScorecardOutput};
use crate::error::CliError;
use checks::{Loaded, State};
use config::Selector;
use output::Test;

/// The entrypoint of operator-sdk's test image: `scorecard-test <test>`.
const ENTRYPOINT: &str = "scorecard-test";

fn config_path(args: &ScorecardArgs, bundle_dir: &Path, loaded: &Loaded) -> PathBuf {
    match &args.config {
        Some(path) => path.clone(),
        None => {
            let dir = loaded
                .bundle
                .annotation(config::CONFIG_DIR_ANNOTATION)
                .unwrap_or(config::DEFAULT_CONFIG_DIR);
            bundle_dir.join(dir).join(config::CONFIG_FILE)
        }
    }
}

/// Runs one configured test; a test that is not one of operator-sdk's built-in ones (a custom
/// image, kuttl) needs its image run in a cluster, which this command does not do.
fn run_test(
    spec: &config::TestConfiguration,
    loaded: &Loaded,
    cluster: Option<&cluster::Cluster>,
) -> checks::TestResult {
    let name = match spec.entrypoint.as_slice() {
        [entry, name] if entry == ENTRYPOINT && checks::BUILT_IN.contains(&name.as_str()) => name,
        _ => {
            let mut r = checks::TestResult::new(spec.labels.get("test").map_or("", String::as_str));
            r.state = State::Error;
            r.errors.push(format!(
                "image {} with entrypoint [{}] is not one of scorecard-test's built-in tests ({}); scaffold scorecard runs those only",
                spec.image,
                spec.entrypoint.join(" "),
                checks::BUILT_IN.join(", ")
            ));
            return r;
        }
    };
    match cluster {
        Some(cluster) if name == checks::BASIC_CHECK_SPEC => {
            cluster::basic_check_spec(loaded, cluster)
        }
        _ => checks::run(name, loaded),
    }
}

pub fn run(args: ScorecardArgs) -> anyhow::Result<()> {
    let project = match &args.output {
        Some(dir) => dir.clone(),
        None => PathBuf::from("."),
    };
    let bundle_dir = project.join(&args.bundle);
    if !bundle_dir.is_dir() {
        return Err(CliError::invalid(
            "--bundle",
            &bundle_dir.display().to_string(),
            "is not a directory (a bundle holds manifests/ and metadata/; `scaffold generate bundle` writes one)",
        )
        .into());
    }
    let selector = Selector::parse(args.selector.as_deref().unwrap_or_default())?;
    let loaded = Loaded::new(&bundle_dir);
    let config = config::load(&config_path(&args, &bundle_dir, &loaded))?;
    let cluster = (args.cluster || args.kubeconfig.is_some()).then(|| cluster::Cluster {
        kubectl: crate::kustomize::kubectl(),
        kubeconfig: args.kubeconfig.as_deref(),
        namespace: args.namespace.as_deref(),
    });
    let mut tests = Vec::new();
    for stage in &config.stages {
        for spec in stage.tests.iter().filter(|t| selector.matches(&t.labels)) {
            let results = if args.list {
                Vec::new()
            } else {
                vec![run_test(spec, &loaded, cluster.as_ref())]
            };
            tests.push(Test {
                spec: spec.clone(),
                results,
            });
        }
    }
    match args.output_format {
        ScorecardOutput::Text if tests.is_empty() => println!("0 tests selected"),
        ScorecardOutput::Text => {
            for test in &tests {
                println!("{}", output::text(test));
            }
        }
        ScorecardOutput::Json => {
            println!("{}", serde_json::to_string_pretty(&output::json(&tests))?);
        }
    }
    let failed = tests
        .iter()
        .flat_map(|t| &t.results)
        .filter(|r| r.state != State::Pass)
        .count();
    if failed > 0 {
        let total: usize = tests.iter().map(|t| t.results.len()).sum();
        anyhow::bail!("{failed} of {total} scorecard tests did not pass");
    }
    Ok(())
}
