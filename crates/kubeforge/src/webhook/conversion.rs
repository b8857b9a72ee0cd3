//! The hub-and-spoke conversion model and the ConversionReview endpoint's logic.

use std::collections::BTreeMap;
use std::fmt::Display;

use kube::core::conversion::{ConversionRequest, ConversionResponse, ConversionReview};
use kube::core::{DynamicObject, Resource, Status};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::admission::Malformed;

/// Why an object could not be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConversionError {
    /// The object is not a JSON object with `apiVersion` and `kind`.
    #[error("{0}")]
    Malformed(String),
    /// No [`Conversion`] handles this kind.
    #[error("no conversion is registered for {kind}.{group}")]
    UnknownKind { group: String, kind: String },
    /// The kind has no such version.
    #[error("{kind}.{group} has no version {version}; the conversion knows {known}")]
    UnknownVersion {
        group: String,
        kind: String,
        version: String,
        known: String,
    },
    /// The object does not decode into the Rust type of its version.
    #[error("cannot decode {kind} {version}: {message}")]
    Decode {
        kind: String,
        version: String,
        message: String,
    },
    /// A `TryFrom` conversion refused, or a result could not be encoded.
    #[error("cannot convert {kind} from {from} to {to}: {message}")]
    Convert {
        kind: String,
        from: String,
        to: String,
        message: String,
    },
}

impl ConversionError {
    /// Whether the request was one this conversion cannot serve at all (an unknown kind or
    /// version, a malformed object): the server answers those with HTTP 400, and conversion
    /// failures with a `Failure` result.
    pub fn is_bad_request(&self) -> bool {
        matches!(
            self,
            ConversionError::Malformed(_)
                | ConversionError::UnknownKind { .. }
                | ConversionError::UnknownVersion { .. }
        )
    }
}

/// A step failed decoding its input, or converting.
enum Fail {
    Decode(String),
    Convert(String),
}

type ToHub<H> = fn(Value) -> Result<H, Fail>;
type FromHub<H> = fn(H) -> Result<Value, Fail>;

/// The versions of one kind and how each converts to and from the hub.
///
/// `H` is the hub, the storage version (`#[crd(storage_version)]`, kubebuilder's
/// `Hub()`); each spoke `S` added with [`Conversion::spoke`] needs `impl TryFrom<S> for H`
/// (kubebuilder's `ConvertTo`) and `impl TryFrom<H> for S` (`ConvertFrom`). An object in
/// version A is converted to version B through the hub: A → H → B (one step when A or B is
/// the hub; returned unchanged when A is B).
///
/// What the converted object keeps of the original, as the API server requires: the whole
/// `metadata`, except `labels` and `annotations` where the converted object has them (so a
/// conversion can keep fields another version lacks in an annotation, and drop it on the
/// way back; to drop every annotation, leave an empty map, not `None`). A conversion that
/// does not copy metadata loses nothing. `apiVersion` is set to the version asked for and
/// `kind` kept.
///
/// ```
/// use kubeforge::webhook::Conversion;
///
/// mod v1 {
/// #   use kube::CustomResource; use schemars::JsonSchema; use serde::{Deserialize, Serialize};
///     #[derive(CustomResource, Clone, Debug, Deserialize, Serialize, JsonSchema)]
///     #[kube(group = "example.com", version = "v1", kind = "Thing")]
///     pub struct ThingSpec { pub size: i32 }
/// }
/// mod v2 {
/// #   use kube::CustomResource; use schemars::JsonSchema; use serde::{Deserialize, Serialize};
///     #[derive(CustomResource, Clone, Debug, Deserialize, Serialize, JsonSchema)]
///     #[kube(group = "example.com", version = "v2", kind = "Thing")]
///     pub struct ThingSpec { pub replicas: i32 }
/// }
/// impl From<v2::Thing> for v1::Thing {
///     fn from(t: v2::Thing) -> Self {
///         v1::Thing { metadata: t.metadata, spec: v1::ThingSpec { size: t.spec.replicas } }
///     }
/// }
/// impl From<v1::Thing> for v2::Thing {
///     fn from(t: v1::Thing) -> Self {
///         v2::Thing { metadata: t.metadata, spec: v2::ThingSpec { replicas: t.spec.size } }
///     }
/// }
///
/// let conversion = Conversion::<v1::Thing>::new().spoke::<v2::Thing>();
/// let v2 = conversion
///     .convert(
///         serde_json::json!({"apiVersion": "example.com/v1", "kind": "Thing",
///                            "metadata": {"name": "a"}, "spec": {"size": 3}}),
///         "example.com/v2",
///     )
///     .unwrap();
/// assert_eq!(v2["spec"], serde_json::json!({"replicas": 3}));
/// assert_eq!(v2["apiVersion"], "example.com/v2");
/// ```
pub struct Conversion<H> {
    group: String,
    kind: String,
    hub: String,
    versions: BTreeMap<String, (ToHub<H>, FromHub<H>)>,
}

impl<H> std::fmt::Debug for Conversion<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conversion")
            .field("group", &self.group)
            .field("kind", &self.kind)
            .field("hub", &self.hub)
            .field("versions", &self.versions.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// What the Rust type of one version of a kind needs for [`Conversion`]: a kube
/// [`Resource`] with serde support (any `#[derive(CustomResource)]` type).
pub trait Versioned: Resource<DynamicType = ()> + DeserializeOwned + Serialize {}

impl<T: Resource<DynamicType = ()> + DeserializeOwned + Serialize> Versioned for T {}

fn decode<T: Versioned>(value: Value) -> Result<T, Fail> {
    serde_json::from_value(value).map_err(|e| Fail::Decode(e.to_string()))
}

fn encode<T: Versioned>(value: T) -> Result<Value, Fail> {
    serde_json::to_value(value).map_err(|e| Fail::Convert(format!("cannot encode: {e}")))
}

fn spoke_to_hub<H, S>(value: Value) -> Result<H, Fail>
where
    H: Versioned + TryFrom<S>,
    <H as TryFrom<S>>::Error: Display,
    S: Versioned,
{
    let spoke: S = decode(value)?;
    H::try_from(spoke).map_err(|e| Fail::Convert(e.to_string()))
}

fn hub_to_spoke<H, S>(hub: H) -> Result<Value, Fail>
where
    S: Versioned + TryFrom<H>,
    <S as TryFrom<H>>::Error: Display,
{
    let spoke = S::try_from(hub).map_err(|e| Fail::Convert(e.to_string()))?;
    encode(spoke)
}

impl<H: Versioned + Send + Sync + 'static> Default for Conversion<H> {
    fn default() -> Self {
        Self::new()
    }
}

impl<H: Versioned + Send + Sync + 'static> Conversion<H> {
    /// A conversion with `H` as the hub and no spoke yet.
    pub fn new() -> Self {
        let mut versions = BTreeMap::new();
        versions.insert(
            H::version(&()).into_owned(),
            (decode::<H> as ToHub<H>, encode::<H> as FromHub<H>),
        );
        Conversion {
            group: H::group(&()).into_owned(),
            kind: H::kind(&()).into_owned(),
            hub: H::version(&()).into_owned(),
            versions,
        }
    }

    /// Adds the spoke `S`.
    ///
    /// # Panics
    ///
    /// When `S` is another group or kind than the hub, or its version is already
    /// registered: both are mistakes in the program, found when it starts.
    #[must_use]
    pub fn spoke<S>(mut self) -> Self
    where
        S: Versioned + TryFrom<H>,
        <S as TryFrom<H>>::Error: Display,
        H: TryFrom<S>,
        <H as TryFrom<S>>::Error: Display,
    {
        let (group, kind, version) = (S::group(&()), S::kind(&()), S::version(&()));
        assert!(
            group == self.group && kind == self.kind,
            "Conversion of {}.{}: spoke {}.{}/{} is another kind",
            self.kind,
            self.group,
            kind,
            group,
            version
        );
        let previous = self.versions.insert(
            version.clone().into_owned(),
            (
                spoke_to_hub::<H, S> as ToHub<H>,
                hub_to_spoke::<H, S> as FromHub<H>,
            ),
        );
        assert!(
            previous.is_none(),
            "Conversion of {}.{}: version {version} is registered twice",
            self.kind,
            self.group
        );
        self
    }

    /// The API group.
    pub fn group(&self) -> &str {
        &self.group
    }

    /// The kind.
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The hub's version.
    pub fn hub(&self) -> &str {
        &self.hub
    }

    /// Every version, sorted.
    pub fn versions(&self) -> impl Iterator<Item = &str> {
        self.versions.keys().map(String::as_str)
    }

    fn unknown_version(&self, version: &str) -> ConversionError {
        ConversionError::UnknownVersion {
            group: self.group.clone(),
            kind: self.kind.clone(),
            version: version.to_owned(),
            known: self.versions().collect::<Vec<_>>().join(", "),
        }
    }

    /// Checks that this conversion can take `object` to `desired_api_version` (`group/version`)
    /// without converting.
    fn route(&self, object: &Value, desired_api_version: &str) -> Result<(), ConversionError> {
        let (group, kind, version) = identify(object)?;
        if group != self.group || kind != self.kind {
            return Err(ConversionError::UnknownKind {
                group: group.to_owned(),
                kind: kind.to_owned(),
            });
        }
        if !self.versions.contains_key(version) {
            return Err(self.unknown_version(version));
        }
        let (desired_group, desired_version) = split_api_version(desired_api_version);
        if desired_group != self.group {
            return Err(ConversionError::Malformed(format!(
                "cannot convert {kind}.{group} to {desired_api_version}: another API group"
            )));
        }
        if !self.versions.contains_key(desired_version) {
            return Err(self.unknown_version(desired_version));
        }
        Ok(())
    }

    /// Converts `object` (any registered version of the kind, as JSON) to
    /// `desired_api_version` (`group/version`).
    pub fn convert(
        &self,
        object: Value,
        desired_api_version: &str,
    ) -> Result<Value, ConversionError> {
        self.route(&object, desired_api_version)?;
        let (_, _, from) = identify(&object)?;
        let from = from.to_owned();
        let (_, to) = split_api_version(desired_api_version);
        if from == to {
            return Ok(object);
        }
        let failed = |message: String| ConversionError::Convert {
            kind: self.kind.clone(),
            from: from.clone(),
            to: to.to_owned(),
            message,
        };
        let fail = |fail: Fail| match fail {
            Fail::Decode(message) => ConversionError::Decode {
                kind: self.kind.clone(),
                version: from.clone(),
                message,
            },
            Fail::Convert(message) => failed(message),
        };
        let original_metadata = object.get("metadata").cloned();
        let (to_hub, _) = self.versions[&from];
        let (_, from_hub) = self.versions[to];
        let hub = to_hub(object).map_err(fail)?;
        let mut converted = from_hub(hub).map_err(fail)?;
        let Value::Object(map) = &mut converted else {
            return Err(failed(
                "the converted object is not a JSON object".to_owned(),
            ));
        };
        map.insert(
            "apiVersion".to_owned(),
            Value::String(desired_api_version.to_owned()),
        );
        map.insert("kind".to_owned(), Value::String(self.kind.clone()));
        let metadata = merge_metadata(original_metadata, map.remove("metadata"));
        if let Some(metadata) = metadata {
            map.insert("metadata".to_owned(), metadata);
        }
        Ok(converted)
    }

    /// [`Conversion::convert`] for a [`DynamicObject`].
    pub fn convert_dynamic(
        &self,
        object: DynamicObject,
        desired_api_version: &str,
    ) -> Result<DynamicObject, ConversionError> {
        let value = serde_json::to_value(object)
            .map_err(|e| ConversionError::Malformed(format!("cannot encode the object: {e}")))?;
        let converted = self.convert(value, desired_api_version)?;
        serde_json::from_value(converted).map_err(|e| ConversionError::Convert {
            kind: self.kind.clone(),
            from: String::new(),
            to: desired_api_version.to_owned(),
            message: e.to_string(),
        })
    }
}

/// The original's metadata, with `labels` and `annotations` from the converted object where
/// it has them.
fn merge_metadata(original: Option<Value>, converted: Option<Value>) -> Option<Value> {
    let Some(Value::Object(converted)) = converted else {
        return original;
    };
    let mut merged = match original {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for key in ["labels", "annotations"] {
        if let Some(value) = converted.get(key).filter(|v| !v.is_null()) {
            merged.insert(key.to_owned(), value.clone());
        }
    }
    Some(Value::Object(merged))
}

/// `(group, kind, version)` of an object.
fn identify(object: &Value) -> Result<(&str, &str, &str), ConversionError> {
    let field = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                ConversionError::Malformed(format!(
                    "an object to convert has no {key}: {}",
                    abbreviate(object)
                ))
            })
    };
    let api_version = field("apiVersion")?;
    let kind = field("kind")?;
    let (group, version) = split_api_version(api_version);
    Ok((group, kind, version))
}

fn abbreviate(value: &Value) -> String {
    let mut text = value.to_string();
    if text.len() > 200 {
        let mut end = 200;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str("...");
    }
    text
}

/// `group/version` → `(group, version)`; `v1` → `("", "v1")`.
fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

/// A [`Conversion`] with its hub type erased, as the server keeps it.
pub(crate) trait Converter: Send + Sync + 'static {
    fn group(&self) -> &str;
    fn kind(&self) -> &str;
    fn route(&self, object: &Value, desired_api_version: &str) -> Result<(), ConversionError>;
    fn convert(&self, object: Value, desired_api_version: &str) -> Result<Value, ConversionError>;
}

impl<H: Versioned + Send + Sync + 'static> Converter for Conversion<H> {
    fn group(&self) -> &str {
        &self.group
    }
    fn kind(&self) -> &str {
        &self.kind
    }
    fn route(&self, object: &Value, desired_api_version: &str) -> Result<(), ConversionError> {
        Conversion::route(self, object, desired_api_version)
    }
    fn convert(&self, object: Value, desired_api_version: &str) -> Result<Value, ConversionError> {
        Conversion::convert(self, object, desired_api_version)
    }
}

/// Answers a ConversionReview body: `Err` for a body this server cannot serve (HTTP 400),
/// otherwise the review to send back (HTTP 200), with a `Failure` result when a
/// conversion failed (controller-runtime's behaviour: the API server shows the message).
pub(crate) fn review(
    converters: &[std::sync::Arc<dyn Converter>],
    body: &[u8],
) -> Result<ConversionReview, Malformed> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Malformed(format!("the request body is not JSON: {e}")))?;
    super::server::check_type(&value, "apiextensions.k8s.io/v1", "ConversionReview")?;
    if value.get("request").is_none_or(Value::is_null) {
        return Err(Malformed("the ConversionReview has no request".to_owned()));
    }
    let review: ConversionReview = serde_json::from_value(value)
        .map_err(|e| Malformed(format!("invalid ConversionReview: {e}")))?;
    let request = ConversionRequest::from_review(review)
        .map_err(|_| Malformed("the ConversionReview has no request".to_owned()))?;
    let desired = request.desired_api_version.clone();

    // First find a converter for every object: an unknown kind or version is a request this
    // server cannot serve at all.
    let mut routed = Vec::with_capacity(request.objects.len());
    for object in &request.objects {
        let (group, kind, _) = identify(object).map_err(|e| Malformed(e.to_string()))?;
        let converter = converters
            .iter()
            .find(|c| c.group() == group && c.kind() == kind)
            .ok_or_else(|| {
                Malformed(
                    ConversionError::UnknownKind {
                        group: group.to_owned(),
                        kind: kind.to_owned(),
                    }
                    .to_string(),
                )
            })?;
        converter
            .route(object, &desired)
            .map_err(|e| Malformed(e.to_string()))?;
        routed.push(converter.clone());
    }

    let objects = request.objects.clone();
    let response = ConversionResponse::for_request(request);
    let mut converted = Vec::with_capacity(objects.len());
    for (object, converter) in objects.into_iter().zip(routed) {
        match converter.convert(object, &desired) {
            Ok(object) => converted.push(object),
            Err(e) => {
                return Ok(response
                    .failure(Status::failure(&e.to_string(), ""))
                    .into_review());
            }
        }
    }
    Ok(response.success(converted).into_review())
}
