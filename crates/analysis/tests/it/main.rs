//! Integration tests of the analysis, in one binary.

mod checks;
mod conformance;
mod planner;
mod props;
mod rules;
mod support;
