//! Every check of the catalogue: the clean plan passes them all, and one
//! change to it makes each of them fire.

use draaiboek_analysis::{AREAS, Analysis, CHECKS, Report};
use draaiboek_plan::{BackupPlace, Date, ExerciseResult, Hours, Id, Language, LocationKind, PartyKind, Plan};

use crate::support::read_plan;

fn today() -> Date {
    Date::parse("2026-12-01").unwrap()
}

fn clean() -> Plan {
    read_plan("fixtures/clean.yaml")
}

fn report(plan: &Plan) -> Report {
    Analysis::new(plan).check(today(), Language::En)
}

fn codes(plan: &Plan) -> Vec<&'static str> {
    report(plan).findings.iter().map(|f| f.check.code).collect()
}

fn h(v: f64) -> Option<Hours> {
    Some(Hours::new(v).unwrap())
}

/// Asserts that `change` makes `code` fire on the clean plan, which it does not before.
fn fires(code: &str, change: impl FnOnce(&mut Plan)) {
    assert!(!codes(&clean()).contains(&code));
    let mut plan = clean();
    change(&mut plan);
    let found = codes(&plan);
    assert!(found.contains(&code), "{code} expected, found {found:?}");
}

#[test]
fn the_clean_plan_has_no_findings_and_a_full_score() {
    let r = report(&clean());
    assert!(r.findings.is_empty(), "{:#?}", r.findings.iter().map(|f| &f.message).collect::<Vec<_>>());
    assert_eq!(r.score.overall, Some(100));
    assert_eq!(r.score.areas.len(), AREAS.len());
    assert!(!r.has_errors());
}

#[test]
fn the_score_is_the_share_of_checks_that_pass() {
    let mut plan = clean();
    plan.assets[0].serial = None;
    let r = report(&plan);
    // Inventory applies INV001..INV005; one of five fails.
    assert_eq!(r.score.areas[&draaiboek_analysis::Area::Inventory], 80);
    let mean = r.score.areas.values().sum::<u32>() as f64 / r.score.areas.len() as f64;
    assert_eq!(r.score.overall, Some(mean.round() as u32));
}

#[test]
fn inv001_serial() {
    fires("INV001", |p| p.assets[0].serial = None);
}
#[test]
fn inv002_specs() {
    fires("INV002", |p| p.assets[0].specs = None);
}
#[test]
fn inv003_warranty() {
    fires("INV003", |p| p.assets[0].warranty_until = Some(Date::parse("2025-01-01").unwrap()));
}
#[test]
fn inv004_no_replacement() {
    fires("INV004", |p| p.assets[0].replacement = None);
}
#[test]
fn inv004_buy_without_supplier() {
    fires("INV004", |p| {
        let r = p.assets[0].replacement.as_mut().unwrap();
        r.strategy = draaiboek_plan::Strategy::Buy;
        r.supplier = None;
        r.lead_time_hours = h(1.0);
    });
}
#[test]
fn inv005_setup_missing() {
    fires("INV005", |p| p.assets[0].replacement.as_mut().unwrap().setup_hours = None);
}
#[test]
fn ppl001_coordinator() {
    fires("PPL001", |p| p.organisation.crisis_coordinator = None);
}
#[test]
fn ppl002_deputy() {
    fires("PPL002", |p| p.people[0].deputy = None);
}
#[test]
fn ppl003_mobile() {
    fires("PPL003", |p| p.people[0].mobile = None);
}
#[test]
fn ppl004_private_email() {
    fires("PPL004", |p| p.people[1].private_email = None);
}
#[test]
fn ppl005_responsible() {
    fires("PPL005", |p| p.departments[0].responsible = None);
}
#[test]
fn ppl006_no_call_tree() {
    fires("PPL006", |p| p.organisation.call_tree.clear());
}
#[test]
fn ppl006_crisis_role_not_reached() {
    fires("PPL006", |p| p.organisation.call_tree[0].calls.retain(|c| c.as_str() != "anna"));
}
#[test]
fn ppl007_single_restorer() {
    fires("PPL007", |p| p.applications[0].restore_by = vec![Id::new("jan").unwrap()]);
}
#[test]
fn pty001_no_insurer() {
    fires("PTY001", |p| p.parties[1].kind = PartyKind::Other);
}
#[test]
fn pty002_party_without_phone() {
    fires("PTY002", |p| p.parties[0].phone = None);
}
#[test]
fn bia001_priority() {
    fires("BIA001", |p| p.processes[0].priority = None);
}
#[test]
fn bia002_rto_above_mtpd() {
    fires("BIA002", |p| p.processes[0].mtpd_hours = h(6.0));
}
#[test]
fn bia003_rpo() {
    fires("BIA003", |p| p.data[0].rpo_hours = None);
}
#[test]
fn bak001_no_backup() {
    fires("BAK001", |p| p.data[0].backups.clear());
}
#[test]
fn bak002_backup_in_the_office() {
    fires("BAK002", |p| p.data[0].backups[0].location = BackupPlace::Location(Id::new("hq").unwrap()));
}
#[test]
fn bak003_backup_too_rare() {
    fires("BAK003", |p| p.data[0].rpo_hours = h(2.0));
}
#[test]
fn bak004_nothing_immutable() {
    fires("BAK004", |p| p.data[0].backups[0].immutable = Some(false));
}
#[test]
fn bak005_never_tested() {
    fires("BAK005", |p| p.data[0].backups[0].last_restore_test = None);
}
#[test]
fn bak005_tested_too_long_ago() {
    fires("BAK005", |p| p.data[0].backups[0].last_restore_test = Some(Date::parse("2025-11-30").unwrap()));
}
#[test]
fn tel001_not_forwarded() {
    fires("TEL001", |p| p.telephony[0].forward_to = None);
}
#[test]
fn loc001_no_alternate() {
    fires("LOC001", |p| p.locations[1].kind = LocationKind::Home);
}
#[test]
fn loc002_too_few_desks() {
    fires("LOC002", |p| p.locations[1].workplaces = Some(1));
}
#[test]
fn scn001_rto_missed() {
    fires("SCN001", |p| p.processes[0].rto_hours = h(2.5));
}
#[test]
fn scn002_mtpd_missed() {
    fires("SCN002", |p| {
        p.processes[0].rto_hours = h(2.0);
        p.processes[0].mtpd_hours = h(2.5);
    });
}
#[test]
fn scn003_rpo_missed() {
    fires("SCN003", |p| p.data[0].backups[0].every_hours = Hours::new(48.0).unwrap());
}
#[test]
fn scn004_never_back() {
    fires("SCN004", |p| p.assets[0].replacement = None);
}
#[test]
fn scn005_missing_kind() {
    fires("SCN005", |p| p.scenarios.retain(|s| s.id.as_str() != "ransomware"));
}
#[test]
fn spf001_single_point() {
    fires("SPF001", |p| p.assets[0].replacement.as_mut().unwrap().setup_hours = h(7.0));
}
#[test]
fn mnt001_review_overdue() {
    fires("MNT001", |p| p.organisation.last_reviewed = Some(Date::parse("2025-11-30").unwrap()));
}
#[test]
fn mnt002_not_exercised() {
    fires("MNT002", |p| p.exercises.retain(|e| e.id.as_str() != "ex-forward"));
}
#[test]
fn mnt003_failed_exercise() {
    fires("MNT003", |p| p.exercises[0].result = Some(ExerciseResult::Failed));
}
#[test]
fn mnt004_slower_than_planned() {
    fires("MNT004", |p| p.exercises[0].measured_hours = h(3.0));
}

#[test]
fn every_check_has_a_test_here() {
    let source = include_str!("checks.rs");
    for c in CHECKS {
        let name = format!("fn {}_", c.code.to_lowercase());
        assert!(source.contains(&name), "no test for {}", c.code);
    }
}

#[test]
fn scenario_findings_name_the_scenario_and_explain() {
    let mut plan = clean();
    plan.processes[0].rto_hours = h(2.5);
    let r = report(&plan);
    let f = r.findings.iter().find(|f| f.check.code == "SCN001").unwrap();
    assert_eq!(f.scenario.as_deref(), Some("fire"));
    assert_eq!(
        f.explanation.as_deref(),
        Some(
            "work at 3 h: waits for app, reinstalled at 3 h, which waits for files, restored from files-cloud at 2 h, which waits for srv, replaced by it at 1 h"
        )
    );
}

#[test]
fn findings_come_most_severe_first() {
    let mut plan = clean();
    plan.assets[0].replacement = None;
    plan.assets[0].serial = None;
    let r = report(&plan);
    let sev: Vec<_> = r.findings.iter().map(|f| f.check.severity).collect();
    let mut sorted = sev.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(sev, sorted);
    assert!(r.has_errors());
}

#[test]
fn every_message_exists_in_both_languages() {
    let placeholders = |s: &str| -> Vec<String> {
        let mut v: Vec<String> =
            ["{s}", "{a}", "{b}", "{c}"].iter().filter(|p| s.contains(*p)).map(|p| p.to_string()).collect();
        v.sort();
        v
    };
    for c in CHECKS {
        for (en, nl) in [(c.en.what, c.nl.what), (c.en.fix, c.nl.fix)] {
            assert!(!en.trim().is_empty() && !nl.trim().is_empty(), "{}", c.code);
            assert_eq!(placeholders(en), placeholders(nl), "{}: {en} / {nl}", c.code);
        }
        if c.code != "PPL006" && c.code != "MNT001" {
            assert_ne!(c.en.what, c.nl.what, "{} is not translated", c.code);
        }
    }
}

#[test]
fn the_examples_give_the_same_findings_in_both_languages() {
    for file in ["../../../examples/accountantskantoor.yaml", "../../../examples/northfield-logistics.yaml"] {
        let plan = read_plan(file);
        let a = Analysis::new(&plan);
        let en = a.check(today(), Language::En);
        let nl = a.check(today(), Language::Nl);
        assert!(!en.findings.is_empty());
        assert_eq!(en.findings.len(), nl.findings.len());
        for (e, n) in en.findings.iter().zip(&nl.findings) {
            assert_eq!((e.check.code, &e.subject), (n.check.code, &n.subject));
            assert_ne!(e.message, n.message, "{} {} untranslated", e.check.code, e.subject);
            assert!(!e.message.contains('{') && !n.message.contains('{'), "{}", e.message);
        }
        // Real offices are not in perfect shape.
        assert!(en.has_errors());
        assert!(en.score.overall.unwrap() < 80);
    }
}

#[test]
fn explanations_and_steps_exist_in_both_languages() {
    use draaiboek_analysis::output::scenario_json;
    for file in ["../../../examples/accountantskantoor.yaml", "../../../examples/northfield-logistics.yaml"] {
        let plan = read_plan(file);
        let a = Analysis::new(&plan);
        for s in &a.scenarios {
            let (en, nl) = (scenario_json(&a, s, Language::En), scenario_json(&a, s, Language::Nl));
            for (e, n) in en.steps.iter().zip(&nl.steps) {
                assert_ne!(e.title, n.title, "step title untranslated");
            }
            for (e, n) in en.processes.iter().zip(&nl.processes) {
                assert_ne!(e.explanation, n.explanation, "explanation untranslated");
            }
            for (e, n) in en.data.iter().zip(&nl.data) {
                assert_ne!(e.explanation, n.explanation, "explanation untranslated");
            }
        }
    }
}
