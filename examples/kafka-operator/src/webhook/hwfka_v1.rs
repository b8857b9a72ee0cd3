//! Webhooks of `Hwfka` (kafka.example.com/v1).

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!
// NOTE: run `cargo xtask generate manifests` after changing a `#[webhook(...)]` attribute.
// `scaffold create webhook` adds another webhook type of this kind at the
// `+kubeforge:scaffold:` markers below and leaves the rest of the file as it is.

use kubeforge::webhook::prelude::*;

use kafka_operator_api::v1::Hwfka;

/// Registers the webhooks of this module on `server` (called by [`super::register`]).
pub fn register(mut server: WebhookServer) -> WebhookServer {
    let mut conversion = Conversion::<Hwfka>::new();
    conversion = conversion.spoke::<kafka_operator_api::v2::Hwfka>();
    server = server.conversion(conversion);
    // +kubeforge:scaffold:webhook-registrations
    server
}
// +kubeforge:scaffold:webhooks

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn conversion() -> Conversion<Hwfka> {
        Conversion::<Hwfka>::new().spoke::<kafka_operator_api::v2::Hwfka>()
    }

    /// A v1 object as the API server sends it in a ConversionReview.
    fn v1() -> serde_json::Value {
        json!({
            "apiVersion": "kafka.example.com/v1",
            "kind": "Hwfka",
            "metadata": {"name": "sample", "namespace": "default", "uid": "1"},
            "spec": {
                "replicas": 3,
                "zookeeperReplicas": 1,
                "image": "kafka:test",
                "zookeeperImage": "zookeeper:test",
                "storageClass": "fast",
                "storageSize": "5Gi",
            },
            "status": {
                "phase": "Running",
                "brokers": ["sample-kafka-0.sample-kafka-headless.default.svc:9092"],
                "readyBrokers": 1,
            },
        })
    }

    #[test]
    fn converts_v1_to_v2_and_back() {
        let conversion = conversion();
        let v2 = conversion.convert(v1(), "kafka.example.com/v2").unwrap();
        assert_eq!(v2["apiVersion"], "kafka.example.com/v2");
        let expected = json!({
            "kafka": {
                "replicas": 3,
                "image": "kafka:test",
                "storage": {"class": "fast", "size": "5Gi"},
            },
            "zookeeper": {"replicas": 1, "image": "zookeeper:test"},
        });
        assert_eq!(v2["spec"], expected);
        assert_eq!(v2["status"], v1()["status"]);
        assert_eq!(v2["metadata"]["name"], "sample");
        let back = conversion.convert(v2, "kafka.example.com/v1").unwrap();
        assert_eq!(back, v1());
    }

    #[test]
    fn fills_the_defaults_of_an_empty_v2_spec() {
        let v2 = json!({
            "apiVersion": "kafka.example.com/v2",
            "kind": "Hwfka",
            "metadata": {"name": "sample"},
            "spec": {},
        });
        let v1 = conversion().convert(v2, "kafka.example.com/v1").unwrap();
        assert_eq!(v1["spec"]["replicas"], 3);
        assert_eq!(v1["spec"]["zookeeperReplicas"], 3);
        assert_eq!(v1["spec"]["storageSize"], "1Gi");
        assert!(v1["spec"].get("storageClass").is_none());
    }

    #[tokio::test]
    async fn the_server_answers_a_conversion_review() {
        let review = json!({
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "ConversionReview",
            "request": {
                "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
                "desiredAPIVersion": "kafka.example.com/v2",
                "objects": [v1()],
            }
        });
        let server = crate::webhook::register(WebhookServer::new("/nonexistent"));
        assert_eq!(server.paths(), ["/convert"]);
        let (status, answer) =
            kubeforge_runtime::testing::webhook::review(server, "/convert", &review).await;
        assert_eq!(status, 200);
        let response = &answer["response"];
        assert_eq!(response["uid"], "705ab4f5-6393-11e8-b7cc-42010a800002");
        assert_eq!(response["result"]["status"], "Success");
        let converted = &response["convertedObjects"][0];
        assert_eq!(converted["apiVersion"], "kafka.example.com/v2");
        assert_eq!(converted["spec"]["kafka"]["storage"]["size"], "5Gi");
        assert_eq!(converted["spec"]["zookeeper"]["replicas"], 1);
    }

    #[test]
    fn registers_the_conversion_webhook() {
        let conversion = conversion();
        assert_eq!(conversion.hub(), "v1");
        let mut versions: Vec<_> = conversion.versions().collect();
        versions.sort();
        assert_eq!(versions, ["v1", "v2"]);
    }
    // +kubeforge:scaffold:webhook-tests
}
