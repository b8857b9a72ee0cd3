//! `deploy`, `build-installer` and `docker-build`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::io;
use crate::image::kustomize_image;
use crate::{Error, Project, process};

/// The image name in config/manager that `--img` replaces.
const MANAGER_IMAGE_NAME: &str = "controller";

pub(crate) fn deploy(project: &Project, img: Option<&str>) -> Result<(), Error> {
    let manifests = render_default(project, img.unwrap_or(project.image))?;
    let mut command = Command::new("kubectl");
    command.args(["apply", "--server-side", "-f", "-"]);
    process::pipe(&mut command, &manifests)
}

pub(crate) fn build_installer(project: &Project, img: Option<&str>) -> Result<(), Error> {
    let manifests = render_default(project, img.unwrap_or(project.image))?;
    std::fs::create_dir_all("dist").map_err(io("creating dist/"))?;
    kubeforge::write_atomic(Path::new("dist/install.yaml"), manifests.as_bytes())?;
    println!("wrote dist/install.yaml");
    Ok(())
}

/// config/default rendered by kustomize with the manager image set to `img`. An overlay in
/// a temporary directory does what `kustomize edit set image` does, without editing files.
fn render_default(project: &Project, img: &str) -> Result<String, Error> {
    let base = std::fs::canonicalize("config/default").map_err(io("config/default"))?;
    let pid = std::process::id();
    let name = format!("{}-deploy-{pid}", project.manager_package);
    let overlay = std::env::temp_dir().join(name);
    std::fs::create_dir_all(&overlay).map_err(io(format!("creating {}", overlay.display())))?;
    let rendered = kustomize_with_image(&overlay, &base, img);
    let _ = std::fs::remove_dir_all(&overlay);
    rendered
}

/// Renders `base` through a kustomization in `overlay` that sets the manager image.
fn kustomize_with_image(overlay: &Path, base: &Path, img: &str) -> Result<String, Error> {
    // kustomize takes relative paths only: from the overlay up to `/`, then down to `base`.
    let overlay = std::fs::canonicalize(overlay).map_err(io(overlay.display().to_string()))?;
    let up = "../".repeat(overlay.components().count().saturating_sub(1));
    let base = base.strip_prefix("/").unwrap_or(base);
    let images = kustomize_image(MANAGER_IMAGE_NAME, img);
    let kustomization = format!(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n\
         resources:\n- {up}{}\n{images}",
        base.display()
    );
    let path = overlay.join("kustomization.yaml");
    std::fs::write(&path, kustomization).map_err(io(format!("writing {}", path.display())))?;
    process::output(Command::new("kubectl").arg("kustomize").arg(&overlay))
}

/// `docker build -t IMG .`. With kubeforge as a path dependency (outside this directory),
/// its checkout is passed as the build context `kubeforge` the Dockerfile copies it from.
pub(crate) fn docker_build(img: &str) -> Result<(), Error> {
    let mut command = Command::new("docker");
    command.args(["build", "-t", img]);
    if let Some(checkout) = kubeforge_checkout()? {
        let checkout = checkout.display();
        command.arg(format!("--build-context=kubeforge={checkout}"));
        command.arg(format!("--build-arg=KUBEFORGE_PATH={checkout}"));
    }
    process::run(command.arg("."))
}

/// The workspace that kubeforge is a path dependency from (`.../crates/kubeforge` → `...`),
/// or `None` when it comes from a registry.
fn kubeforge_checkout() -> Result<Option<PathBuf>, Error> {
    let pkgid = process::output(process::cargo().args(["pkgid", "kubeforge"]))?;
    let Some(path) = pkgid.trim().strip_prefix("path+file://") else {
        return Ok(None);
    };
    let crate_dir = Path::new(path.split('#').next().unwrap_or(path));
    let checkout = crate_dir
        .ancestors()
        .find(|dir| dir.join("crates").is_dir());
    Ok(Some(checkout.unwrap_or(crate_dir).to_owned()))
}
