//! A kubeconfig that does not parse stops the manager with one line naming KUBECONFIG. A test
//! binary of its own: it sets KUBECONFIG for the whole process.

use kubeforge_runtime::{Manager, ManagerArgs};

#[tokio::test]
async fn a_kubeconfig_that_does_not_parse() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    std::fs::write(&path, "clusters: [ this is not yaml").unwrap();
    // SAFETY: the only test of this binary; nothing else reads the environment meanwhile.
    unsafe {
        std::env::set_var("KUBECONFIG", &path);
        std::env::remove_var("KUBERNETES_SERVICE_HOST");
    }
    let error = Manager::new("demo", ManagerArgs::default())
        .try_run()
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(!message.contains('\n'), "one line: {message}");
    assert!(
        message.starts_with("no usable Kubernetes configuration ("),
        "{message}"
    );
    assert!(
        message
            .ends_with("set KUBECONFIG to a valid kubeconfig, fix ~/.kube/config, or run in a pod"),
        "{message}"
    );
}
