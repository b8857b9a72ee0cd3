//! Webhooks of `Memcached` (cache.example.com/v1alpha1).

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!
// NOTE: run `cargo xtask generate manifests` after changing a `#[webhook(...)]` attribute.
// `scaffold create webhook` adds another webhook type of this kind at the
// `+kubeforge:scaffold:` markers below and leaves the rest of the file as it is.

use kubeforge::webhook::prelude::*;

use memcached_operator_api::v1alpha1::Memcached;

/// Registers the webhooks of this module on `server` (called by [`super::register`]).
pub fn register(mut server: WebhookServer) -> WebhookServer {
    server = server.defaulter::<Memcached, _>(MemcachedDefaulter);
    // +kubeforge:scaffold:webhook-registrations
    server
}

/// Sets the defaults of a Memcached when it is created or updated.
#[webhook(
    path = "/mutate-cache-example-com-v1alpha1-memcached",
    mutating = true,
    failure_policy = "fail",
    side_effects = "None",
    groups = "cache.example.com",
    resources = "memcacheds",
    verbs = "create;update",
    versions = "v1alpha1",
    name = "mmemcached-v1alpha1.kb.io",
    admission_review_versions = "v1"
)]
#[derive(Debug, Default)]
pub struct MemcachedDefaulter;

impl CustomDefaulter<Memcached> for MemcachedDefaulter {
    async fn default(&self, obj: &mut Memcached) -> Result<(), Denied> {
        // TODO(user): fill in your defaulting logic.
        if obj.spec.size == 0 {
            obj.spec.size = 1;
        }
        Ok(())
    }
}
// +kubeforge:scaffold:webhooks

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(size: i32) -> Memcached {
        let mut obj = Memcached::new("sample", Default::default());
        obj.spec.size = size;
        obj
    }

    #[tokio::test]
    async fn defaults_size() {
        let defaulter = MemcachedDefaulter;
        let mut obj = sample(0);
        defaulter.default(&mut obj).await.unwrap();
        assert_eq!(obj.spec.size, 1);
        let mut obj = sample(3);
        defaulter.default(&mut obj).await.unwrap();
        assert_eq!(obj.spec.size, 3);
    }
    // +kubeforge:scaffold:webhook-tests
}
