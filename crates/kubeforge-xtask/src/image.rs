//! Image references, as `kustomize edit set image` splits them.

/// The tag or digest of an image reference.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ImageTag<'a> {
    Tag(&'a str),
    Digest(&'a str),
}

/// `registry:5000/name:tag` → (`registry:5000/name`, tag); `name@sha256:...` → digest.
pub(crate) fn split_image(img: &str) -> (&str, Option<ImageTag<'_>>) {
    if let Some((name, digest)) = img.split_once('@') {
        return (name, Some(ImageTag::Digest(digest)));
    }
    let last = img.rfind('/').map_or(0, |i| i + 1);
    match img[last..].rfind(':') {
        Some(i) => (&img[..last + i], Some(ImageTag::Tag(&img[last + i + 1..]))),
        None => (img, None),
    }
}

/// The `images:` entry of a kustomization setting image `name` to `img`.
pub(crate) fn kustomize_image(name: &str, img: &str) -> String {
    let image = match split_image(img) {
        (new_name, Some(ImageTag::Tag(tag))) => {
            format!("newName: \"{new_name}\"\n  newTag: \"{tag}\"")
        }
        (new_name, Some(ImageTag::Digest(digest))) => {
            format!("newName: \"{new_name}\"\n  digest: \"{digest}\"")
        }
        (new_name, None) => format!("newName: \"{new_name}\""),
    };
    format!("images:\n- name: {name}\n  {image}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_images_as_kustomize_does() {
        assert_eq!(
            split_image("controller:latest"),
            ("controller", Some(ImageTag::Tag("latest")))
        );
        assert_eq!(
            split_image("localhost:5000/op"),
            ("localhost:5000/op", None)
        );
        let tagged = ("localhost:5000/op", Some(ImageTag::Tag("v1")));
        assert_eq!(split_image("localhost:5000/op:v1"), tagged);
        assert_eq!(
            split_image("op@sha256:abc"),
            ("op", Some(ImageTag::Digest("sha256:abc")))
        );
        let entry = kustomize_image("controller", "op@sha256:abc");
        assert_eq!(
            entry,
            "images:\n- name: controller\n  newName: \"op\"\n  digest: \"sha256:abc\"\n"
        );
    }
}
