//! Integration tests of the analysis, in one binary.

mod conformance;
mod support;
