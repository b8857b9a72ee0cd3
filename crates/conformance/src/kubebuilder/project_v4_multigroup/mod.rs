//! kubebuilder `testdata/project-v4-multigroup`: the multigroup layout, Go packages
//! `api/<group>/<version>` (group names with dots and dashes).

pub mod crew {
    //! Group `crew.testproject.org`.

    pub mod v1 {
        //! Go package `api/crew/v1`. Its `Captain` generates exactly the CRD of
        //! `testdata/project-v4` (same group, kind and schema), so it is that Rust type.

        pub use crate::kubebuilder::project_v4::v1::captain_types::*;
    }
}

pub mod example_com {
    //! Group `example.com.testproject.org` (deploy-image and conversion APIs).

    pub mod v1 {
        //! Go package `api/example.com/v1` (`Wordpress` hub, storage version).

        pub mod wordpress_types;

        pub use wordpress_types::*;
    }

    pub mod v1alpha1 {
        //! Go package `api/example.com/v1alpha1` (deploy-image plugin APIs).

        pub mod busybox_types;
        pub mod memcached_types;

        pub use busybox_types::*;
        pub use memcached_types::*;
    }

    pub mod v2 {
        //! Go package `api/example.com/v2` (`Wordpress` conversion spoke).

        pub mod wordpress_types;

        pub use wordpress_types::*;
    }
}

pub mod fiz {
    //! Group `fiz.testproject.org`.

    pub mod v1 {
        //! Go package `api/fiz/v1`.

        pub mod bar_types;

        pub use bar_types::*;
    }
}

pub mod foo {
    //! Group `foo.testproject.org`.

    pub mod v1 {
        //! Go package `api/foo/v1`.

        pub mod bar_types;

        pub use bar_types::*;
    }
}

pub mod foo_policy {
    //! Group `foo.policy.testproject.org`.

    pub mod v1 {
        //! Go package `api/foo.policy/v1`.

        pub mod healthcheckpolicy_types;

        pub use healthcheckpolicy_types::*;
    }
}

pub mod sea_creatures {
    //! Group `sea-creatures.testproject.org`.

    pub mod v1 {
        //! Go package `api/sea-creatures/v1`.

        pub mod prawn_types;

        pub use prawn_types::*;
    }

    pub mod v1beta1 {
        //! Go package `api/sea-creatures/v1beta1`.

        pub mod kraken_types;

        pub use kraken_types::*;
    }

    pub mod v1beta2 {
        //! Go package `api/sea-creatures/v1beta2`.

        pub mod leviathan_types;

        pub use leviathan_types::*;
    }
}

pub mod ship {
    //! Group `ship.testproject.org`.

    pub mod v1 {
        //! Go package `api/ship/v1` (cluster-scoped `Destroyer`).

        pub mod destroyer_types;

        pub use destroyer_types::*;
    }

    pub mod v1beta1 {
        //! Go package `api/ship/v1beta1`.

        pub mod frigate_types;

        pub use frigate_types::*;
    }

    pub mod v2alpha1 {
        //! Go package `api/ship/v2alpha1` (cluster-scoped `Cruiser`).

        pub mod cruiser_types;

        pub use cruiser_types::*;
    }
}
