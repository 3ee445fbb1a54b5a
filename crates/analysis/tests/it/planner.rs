//! The year planner: everything MNT002 asks to test is covered within
//! twelve months, no month has more than the limit, and the most critical
//! untested things come first.

use draaiboek_analysis::Analysis;
use draaiboek_analysis::planner::year_plan;
use draaiboek_plan::{Date, Id, Language, Plan};

fn example(name: &str) -> Plan {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    draaiboek_plan::from_str(&std::fs::read_to_string(&path).unwrap(), name).unwrap()
}

fn today() -> Date {
    Date::parse("2026-12-01").unwrap()
}

/// The ids an exercise of these covers would count for, as MNT002 counts:
/// a data set's exercise covers its backups.
fn counted(plan: &Plan, covers: &[Id]) -> Vec<Id> {
    let mut out = covers.to_vec();
    for d in plan.data.iter().filter(|d| covers.contains(&d.id)) {
        out.extend(d.backups.iter().map(|b| b.id.clone()));
    }
    out
}

#[test]
fn everything_mnt002_lists_is_covered_within_a_year_without_crowding_a_month() {
    for name in ["accountantskantoor.yaml", "northfield-logistics.yaml"] {
        let plan = example(name);
        let report = Analysis::new(&plan).check(today(), Language::En);
        let listed: Vec<&str> =
            report.findings.iter().filter(|f| f.check.code == "MNT002").map(|f| f.subject.as_str()).collect();
        assert!(!listed.is_empty(), "{name} has untested things");
        for per_month in [1, 2, 3] {
            let plan_of_year = year_plan(&plan, today(), per_month, Language::En);
            let year_later = today().add_months(12);
            for id in &listed {
                let hit = plan_of_year
                    .iter()
                    .find(|p| counted(&plan, &p.covers()).iter().any(|c| c.as_str() == *id))
                    .unwrap_or_else(|| panic!("{name}: {id} is not in the year plan ({per_month} a month)"));
                assert!(hit.date > today() && hit.date <= year_later, "{name}: {id} on {}", hit.date);
            }
            let mut months = std::collections::BTreeMap::new();
            for p in &plan_of_year {
                *months.entry((p.date.year(), p.date.month())).or_insert(0) += 1;
            }
            assert!(months.values().all(|n| *n <= per_month), "{name}: {months:?}");
            // The plan with the proposals done would pass MNT002.
            let mut done = plan.clone();
            for (i, p) in plan_of_year.iter().enumerate() {
                done.exercises.push(draaiboek_plan::Exercise {
                    id: Id::new(&format!("planned-{i}")).unwrap(),
                    kind: p.kind,
                    covers: p.covers(),
                    participants: Vec::new(),
                    planned: Some(p.date),
                    performed: Some(p.date),
                    result: Some(draaiboek_plan::ExerciseResult::Passed),
                    measured_hours: None,
                    findings: None,
                    extra: Vec::new(),
                });
            }
            let after = Analysis::new(&done).check(year_later, Language::En);
            assert!(
                !after.findings.iter().any(|f| f.check.code == "MNT002"),
                "{name}: MNT002 after a year of exercises"
            );
        }
    }
}

#[test]
fn with_nothing_tested_the_most_critical_come_first() {
    let mut plan = example("northfield-logistics.yaml");
    plan.exercises.clear();
    let proposals = year_plan(&plan, today(), 2, Language::En);
    assert!(proposals[0].targets.iter().all(|t| t.key.starts_with("process:")), "{:?}", proposals[0]);
    let p1 = plan.processes.iter().filter(|p| p.priority == Some(1)).count();
    let first: Vec<&str> = proposals.iter().flat_map(|p| &p.targets).take(p1).map(|t| t.key.as_str()).collect();
    assert!(first.iter().all(|k| k.starts_with("process:")), "{first:?}");
    // Dates only move forward.
    assert!(proposals.windows(2).all(|w| w[0].date <= w[1].date));
    // A tested thing comes after the untested ones.
    let mut tested = plan.clone();
    tested.exercises.push(draaiboek_plan::Exercise {
        id: Id::new("done").unwrap(),
        kind: draaiboek_plan::ExerciseKind::Tabletop,
        covers: vec![plan.processes.iter().find(|p| p.priority == Some(1)).unwrap().id.clone()],
        participants: Vec::new(),
        planned: None,
        performed: Some(Date::parse("2026-10-01").unwrap()),
        result: None,
        measured_hours: None,
        findings: None,
        extra: Vec::new(),
    });
    let proposals = year_plan(&tested, today(), 2, Language::En);
    let keys: Vec<&str> = proposals.iter().flat_map(|p| &p.targets).map(|t| t.key.as_str()).collect();
    assert_eq!(keys.last().map(|k| k.starts_with("process:")), Some(true), "{keys:?}");
}

#[test]
fn a_large_plan_still_fits_in_twelve_months() {
    let plan = draaiboek_plan::generate::plan(3, draaiboek_plan::generate::Size::benchmark(2_000));
    let proposals = year_plan(&plan, today(), 2, Language::En);
    assert!(proposals.len() <= 24);
    assert!(proposals.iter().all(|p| p.date <= today().add_months(12)));
    let targets = draaiboek_analysis::planner::targets(&plan, today(), Language::En).len();
    assert_eq!(proposals.iter().map(|p| p.targets.len()).sum::<usize>(), targets, "every target once");
}
