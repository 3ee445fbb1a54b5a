use std::path::PathBuf;

use draaiboek_plan::Plan;

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join(rel)
}

pub fn read_plan(rel: &str) -> Plan {
    let path = fixture(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    draaiboek_plan::from_str(&text, rel).unwrap_or_else(|e| panic!("{}", e.report()))
}

#[allow(dead_code)]
pub fn plan_from(yaml: &str) -> Plan {
    draaiboek_plan::from_str(yaml, "test.yaml").unwrap_or_else(|e| panic!("{}", e.report()))
}
