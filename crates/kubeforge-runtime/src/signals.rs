//! Graceful shutdown on SIGTERM and SIGINT; a second signal exits at once.

use tokio_util::sync::CancellationToken;

/// Cancels `shutdown` on the first signal; exits the process with 130 on the second.
pub(crate) async fn cancel_on_signal(shutdown: CancellationToken) {
    signal().await;
    tracing::info!("shutting down gracefully (signal again to force)");
    shutdown.cancel();
    signal().await;
    tracing::warn!("forced shutdown");
    std::process::exit(130);
}

async fn signal() {
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}
