//! Integration tests of the plan file, in one binary.

mod errors;
mod props;
mod roundtrip;
