//! The conformance plans: analysis results worked out independently of
//! this code, compared field by field.

use draaiboek_analysis::Analysis;
use draaiboek_analysis::output::scenario_json;
use draaiboek_plan::Language;
use serde_json::Value;

use crate::support::{fixture, read_plan};

const TOLERANCE: f64 = 1e-6;

fn same(expected: &Value, actual: &Value, path: &str, errors: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (e.as_f64().unwrap(), a.as_f64().unwrap());
            if (e - a).abs() > TOLERANCE {
                errors.push(format!("{path}: expected {e}, got {a}"));
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                match a.get(k) {
                    Some(av) => same(v, av, &format!("{path}.{k}"), errors),
                    None => errors.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                errors.push(format!("{path}: expected {} items, got {}", e.len(), a.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                let label = ev.get("id").and_then(Value::as_str).map_or(i.to_string(), str::to_owned);
                same(ev, av, &format!("{path}[{label}]"), errors);
            }
        }
        (e, a) if e == a => {}
        (e, a) => errors.push(format!("{path}: expected {e}, got {a}")),
    }
}

fn check(plan_file: &str, expected_file: &str) {
    let plan = read_plan(plan_file);
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(fixture(expected_file)).unwrap()).unwrap();
    let analysis = Analysis::new(&plan);
    let actual: Vec<Value> = analysis
        .scenarios
        .iter()
        .map(|s| serde_json::to_value(scenario_json(&analysis, s, Language::En)).unwrap())
        .collect();
    let mut errors = Vec::new();
    same(&expected, &Value::Array(actual), plan_file, &mut errors);
    assert!(errors.is_empty(), "{} differences:\n{}", errors.len(), errors.join("\n"));
}

#[test]
fn worked_example() {
    check("conformance/worked-example.yaml", "conformance/expected/worked-example.json");
}

#[test]
fn model_rules() {
    check("conformance/model-rules.yaml", "conformance/expected/model-rules.json");
}

#[test]
fn random_plans() {
    let mut failures = Vec::new();
    for i in 0..20 {
        let plan = format!("conformance/random/plan-{i:02}.yaml");
        let expected = format!("conformance/expected/random-{i:02}.json");
        if let Err(e) = std::panic::catch_unwind(|| check(&plan, &expected)) {
            failures.push(e.downcast_ref::<String>().cloned().unwrap_or_default());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
