//! Webhooks of `Hwfka` (kafka.example.com/v1).

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!
// NOTE: run `cargo xtask generate manifests` after changing a `#[webhook(...)]` attribute.

use kubeforge::webhook::Conversion;
use kubeforge::webhook::WebhookServer;

use kafka_operator_api::v1::Hwfka;

/// Registers the webhooks of this module on `server` (called by [`super::register`]).
pub fn register(mut server: WebhookServer) -> WebhookServer {
    let mut conversion = Conversion::<Hwfka>::new();
    conversion = conversion.spoke::<kafka_operator_api::v2::Hwfka>();
    server = server.conversion(conversion);
    server
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_operator_api::v1::HwfkaSpec;

    fn sample(foo: Option<&str>) -> Hwfka {
        Hwfka::new(
            "sample",
            HwfkaSpec {
                foo: foo.map(str::to_owned),
            },
        )
    }
}
