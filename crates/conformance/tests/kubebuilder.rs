//! kubebuilder conformance: every CRD that kubebuilder commits as `make manifests` output
//! (`testdata/project-v4*`, the book's getting-started project) must come out of
//! `kubeforge::crds()` for the Rust ports in `conformance::kubebuilder`.

mod common;

use common::{Difference, assert_matches_fixture};
// The API types register themselves with `kubeforge::crds()`; they only have to be linked.
use conformance as _;

#[test]
fn getting_started_memcacheds() {
    assert_matches_fixture(
        "kubebuilder/docs/book/src/getting-started/testdata/project/config/crd/bases/cache.example.com_memcacheds.yaml",
        &[Difference {
            pointer: "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/size/description",
            reason: "the Go doc's last line is a web link, which this project keeps out of its sources",
        }],
    );
}

#[test]
fn project_v4_multigroup_captains() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-multigroup/config/crd/bases/crew.testproject.org_captains.yaml",
        &[],
    );
}

#[test]
fn project_v4_multigroup_busyboxes() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-multigroup/config/crd/bases/example.com.testproject.org_busyboxes.yaml",
        &[],
    );
}

#[test]
fn project_v4_multigroup_memcacheds() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-multigroup/config/crd/bases/example.com.testproject.org_memcacheds.yaml",
        &[],
    );
}

#[test]
fn project_v4_multigroup_wordpresses() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-multigroup/config/crd/bases/example.com.testproject.org_wordpresses.yaml",
        &[],
    );
}

#[test]
fn project_v4_multigroup_fiz_bars() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-multigroup/config/crd/bases/fiz.testproject.org_bars.yaml",
        &[],
    );
}

#[test]
fn project_v4_multigroup_healthcheckpolicies() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-multigroup/config/crd/bases/foo.policy.testproject.org_healthcheckpolicies.yaml",
        &[],
    );
}

#[test]
fn project_v4_multigroup_foo_bars() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-multigroup/config/crd/bases/foo.testproject.org_bars.yaml",
        &[],
    );
}

#[test]
fn project_v4_multigroup_krakens() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-multigroup/config/crd/bases/sea-creatures.testproject.org_krakens.yaml",
        &[],
    );
}

#[test]
fn project_v4_multigroup_leviathans() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-multigroup/config/crd/bases/sea-creatures.testproject.org_leviathans.yaml",
        &[],
    );
}

#[test]
fn project_v4_multigroup_prawns() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-multigroup/config/crd/bases/sea-creatures.testproject.org_prawns.yaml",
        &[],
    );
}

#[test]
fn project_v4_multigroup_cruisers() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-multigroup/config/crd/bases/ship.testproject.org_cruisers.yaml",
        &[],
    );
}

#[test]
fn project_v4_multigroup_destroyers() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-multigroup/config/crd/bases/ship.testproject.org_destroyers.yaml",
        &[],
    );
}

#[test]
fn project_v4_multigroup_frigates() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-multigroup/config/crd/bases/ship.testproject.org_frigates.yaml",
        &[],
    );
}

#[test]
fn project_v4_with_plugins_busyboxes() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-with-plugins/config/crd/bases/example.com.testproject.org_busyboxes.yaml",
        &[],
    );
}

#[test]
fn project_v4_with_plugins_memcacheds() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-with-plugins/config/crd/bases/example.com.testproject.org_memcacheds.yaml",
        &[],
    );
}

#[test]
fn project_v4_with_plugins_wordpresses() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4-with-plugins/config/crd/bases/example.com.testproject.org_wordpresses.yaml",
        &[],
    );
}

#[test]
fn project_v4_admirales() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4/config/crd/bases/crew.testproject.org_admirales.yaml",
        &[],
    );
}

#[test]
fn project_v4_captains() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4/config/crd/bases/crew.testproject.org_captains.yaml",
        &[],
    );
}

#[test]
fn project_v4_firstmates() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4/config/crd/bases/crew.testproject.org_firstmates.yaml",
        &[],
    );
}

#[test]
fn project_v4_navigators() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4/config/crd/bases/crew.testproject.org_navigators.yaml",
        &[],
    );
}

#[test]
fn project_v4_sailors() {
    assert_matches_fixture(
        "kubebuilder/testdata/project-v4/config/crd/bases/crew.testproject.org_sailors.yaml",
        &[],
    );
}
