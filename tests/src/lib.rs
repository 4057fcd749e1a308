//! Integration tests live in api/; see Cargo.toml.
