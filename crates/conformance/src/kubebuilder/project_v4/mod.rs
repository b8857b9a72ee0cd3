//! kubebuilder `testdata/project-v4`: the single-group go/v4 project (group
//! `crew.testproject.org`).

pub mod v1 {
    //! Go package `api/v1`.

    pub mod admiral_types;
    pub mod captain_types;
    pub mod firstmate_types;
    pub mod navigator_types;
    pub mod sailor_types;

    pub use admiral_types::*;
    pub use captain_types::*;
    pub use firstmate_types::*;
    pub use navigator_types::*;
    pub use sailor_types::*;
}

pub mod v2 {
    //! Go package `api/v2` (the conversion spoke of `FirstMate`).

    pub mod firstmate_types;

    pub use firstmate_types::*;
}
