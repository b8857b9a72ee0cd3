//! Compile-fail tests of #[derive(CrdSchema)]: one case per diagnostic, each `.stderr` must point at the attribute.
//! Regenerate the expected output after an intentional change with `TRYBUILD=overwrite cargo test -p kubeforge --test ui`, then review the diff.
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
}
