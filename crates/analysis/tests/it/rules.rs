//! The recovery model, rule by rule, on small hand-checked plans.

use draaiboek_analysis::Analysis;
use draaiboek_analysis::output::{ScenarioJson, scenario_json};
use draaiboek_plan::Language;

use crate::support::{plan_from, read_plan};

const HEAD: &str = "format: draaiboek/v1\norganisation:\n  name: Rules\n  language: en\n";

/// Each scenario of the plan, in JSON shape.
fn run(yaml: &str) -> Vec<ScenarioJson> {
    let plan = plan_from(&format!("{HEAD}{yaml}"));
    let a = Analysis::new(&plan);
    a.scenarios.iter().map(|s| scenario_json(&a, s, Language::En)).collect()
}

fn asset(s: &ScenarioJson, id: &str) -> Option<f64> {
    s.assets.iter().find(|x| x.id == id).unwrap().recovered_at
}
fn data<'a>(s: &'a ScenarioJson, id: &str) -> &'a draaiboek_analysis::output::DataJson {
    s.data.iter().find(|x| x.id == id).unwrap()
}
fn app(s: &ScenarioJson, id: &str) -> Option<f64> {
    s.applications.iter().find(|x| x.id == id).unwrap().recovered_at
}
fn number(s: &ScenarioJson, id: &str) -> Option<f64> {
    s.telephony.iter().find(|x| x.id == id).unwrap().recovered_at
}
fn process<'a>(s: &'a ScenarioJson, id: &str) -> &'a draaiboek_analysis::output::ProcessJson {
    s.processes.iter().find(|x| x.id == id).unwrap()
}

const OFFICE: &str =
    "locations:\n  - id: hq\n    name: HQ\n    kind: office\n  - id: depot\n    name: Depot\n    kind: office\n";

#[test]
fn rule1_a_location_hits_its_assets_but_ransomware_only_names() {
    let s = run(&format!(
        "{OFFICE}assets:\n  - id: a\n    kind: server\n    name: A\n    location: hq\n    replacement: {{strategy: buy, lead_time_hours: 5, setup_hours: 1}}\n\
         \x20 - id: b\n    kind: server\n    name: B\n    location: depot\n    replacement: {{strategy: buy, lead_time_hours: 5, setup_hours: 1}}\n\
         scenarios:\n  - id: fire\n    name: F\n    kind: fire\n    hits: {{locations: [hq]}}\n\
         \x20 - id: rw\n    name: R\n    kind: ransomware\n    hits: {{locations: [hq], assets: [b]}}\n"
    ));
    assert_eq!(asset(&s[0], "a"), Some(6.0));
    assert_eq!(asset(&s[0], "b"), Some(0.0));
    assert!(s[0].assets[0].hit && !s[0].assets[1].hit);
    // Ransomware: the location is named, but only `b` is hit: rebuilt in its set-up time.
    assert_eq!(asset(&s[1], "a"), Some(0.0));
    assert_eq!(asset(&s[1], "b"), Some(1.0));
}

#[test]
fn rule2_assets_wait_for_what_they_depend_on() {
    let s = run(&format!(
        "{OFFICE}parties:\n  - id: isp\n    name: ISP\n    kind: isp\n\
         assets:\n  - id: line\n    kind: internet_line\n    name: L\n    location: depot\n    depends_on: [isp]\n\
         \x20 - id: fw\n    kind: firewall\n    name: F\n    location: hq\n    depends_on: [line]\n    replacement: {{strategy: spare, setup_hours: 2}}\n\
         \x20 - id: none\n    kind: pbx\n    name: P\n    location: hq\n    replacement: {{strategy: none}}\n\
         \x20 - id: bare\n    kind: printer\n    name: Pr\n    location: hq\n\
         \x20 - id: nolead\n    kind: nas\n    name: N\n    location: hq\n    replacement: {{strategy: buy, setup_hours: 3}}\n\
         scenarios:\n  - id: isp-down\n    name: I\n    kind: internet_outage\n    hits: {{parties: [isp]}}\n    duration_hours: 10\n\
         \x20 - id: isp-gone\n    name: I\n    kind: supplier_outage\n    effect: destroyed\n    hits: {{parties: [isp]}}\n\
         \x20 - id: power\n    name: P\n    kind: power_outage\n    hits: {{locations: [hq]}}\n    duration_hours: 4\n\
         \x20 - id: fire\n    name: F\n    kind: fire\n    hits: {{locations: [hq]}}\n"
    ));
    // Not hit: R = D(a).
    assert_eq!(asset(&s[0], "line"), Some(10.0));
    assert_eq!(asset(&s[0], "fw"), Some(10.0));
    // A destroyed party never comes back.
    assert_eq!(asset(&s[1], "fw"), None);
    // Unavailable: max(duration, D).
    assert_eq!(asset(&s[2], "fw"), Some(4.0));
    assert_eq!(asset(&s[2], "line"), Some(0.0));
    // Destroyed: lead + set-up (spare: no lead); none or no replacement: never; absent lead counts 0.
    assert_eq!(asset(&s[3], "fw"), Some(2.0));
    assert_eq!(asset(&s[3], "none"), None);
    assert_eq!(asset(&s[3], "bare"), None);
    assert_eq!(asset(&s[3], "nolead"), Some(3.0));
}

const DATA_PLAN: &str = "locations:\n  - id: hq\n    name: HQ\n    kind: office\n  - id: depot\n    name: Depot\n    kind: office\n\
assets:\n  - id: srv\n    kind: server\n    name: S\n    location: hq\n    replacement: {strategy: rent, lead_time_hours: 10, setup_hours: 2}\n\
\x20 - id: nas\n    kind: nas\n    name: N\n    location: depot\n    replacement: {strategy: buy, lead_time_hours: 20, setup_hours: 1}\n\
data:\n  - id: d\n    name: D\n    stored_on: [srv]\n    rpo_hours: 4\n    backups:\n\
\x20     - {id: same-place, kind: nas, location: hq, every_hours: 1, restore_hours: 1}\n\
\x20     - {id: on-nas, kind: nas, location: depot, stored_on: [nas], every_hours: 2, restore_hours: 5}\n\
\x20     - {id: slow-cloud, kind: cloud, location: cloud, every_hours: 4, restore_hours: 9, immutable: true}\n\
\x20     - {id: daily-cloud, kind: cloud, location: cloud, every_hours: 24, restore_hours: 1, immutable: true}\n\
\x20     - {id: weekly-tape, kind: tape, location: depot, every_hours: 168, restore_hours: 1}\n";

#[test]
fn rule3_the_surviving_backup_within_the_rpo_that_ends_first() {
    let s = run(&format!(
        "{DATA_PLAN}scenarios:\n  - id: fire\n    name: F\n    kind: fire\n    hits: {{locations: [hq]}}\n\
         \x20 - id: both\n    name: B\n    kind: fire\n    hits: {{locations: [hq, depot]}}\n\
         \x20 - id: rw\n    name: R\n    kind: ransomware\n    hits: {{assets: [srv, nas]}}\n\
         \x20 - id: power\n    name: P\n    kind: power_outage\n    hits: {{locations: [hq]}}\n    duration_hours: 3\n"
    ));
    // Fire at hq: `same-place` burns; within the RPO `on-nas` ends at 12 + 5 = 17, `slow-cloud` at 12 + 9 = 21.
    let d = data(&s[0], "d");
    assert_eq!((d.recovered_at, d.backup.as_deref(), d.data_loss_hours), (Some(17.0), Some("on-nas"), Some(2.0)));
    assert_eq!(d.misses_rpo, Some(false));
    // Both sites burn: only the cloud copies survive; within the RPO only `slow-cloud`.
    let d = data(&s[1], "d");
    assert_eq!((d.recovered_at, d.backup.as_deref()), (Some(21.0), Some("slow-cloud")));
    // Ransomware: online copies are encrypted; immutable or offline ones survive.
    let d = data(&s[2], "d");
    assert_eq!((d.recovered_at, d.backup.as_deref()), (Some(11.0), Some("slow-cloud")));
    // Unavailable: back with its hardware, nothing lost.
    let d = data(&s[3], "d");
    assert_eq!((d.recovered_at, d.data_loss_hours, d.backup.as_deref()), (Some(3.0), Some(0.0), None));
}

#[test]
fn rule3_outside_the_rpo_the_most_frequent_and_with_none_everything_is_lost() {
    let s = run(&format!(
        "{DATA_PLAN}scenarios:\n  - id: rw\n    name: R\n    kind: ransomware\n    hits: {{assets: [srv, nas]}}\n"
    )
    .replace("rpo_hours: 4", "rpo_hours: 1")
    .replace("every_hours: 1, restore_hours: 1}", "every_hours: 1, restore_hours: 1, immutable: false}"));
    // Nothing within an RPO of 1 h survives; of the survivors `slow-cloud` is made most often.
    let d = data(&s[0], "d");
    assert_eq!((d.backup.as_deref(), d.data_loss_hours, d.misses_rpo), (Some("slow-cloud"), Some(4.0), Some(true)));
    let s = run(&format!(
        "{OFFICE}assets:\n  - id: srv\n    kind: server\n    name: S\n    location: hq\n    replacement: {{strategy: spare, setup_hours: 1}}\n\
         data:\n  - id: d\n    name: D\n    stored_on: [srv]\n    rpo_hours: 24\n    backups:\n      - {{id: b, kind: usb, location: hq, every_hours: 24, restore_hours: 1}}\n\
         scenarios:\n  - id: fire\n    name: F\n    kind: fire\n    hits: {{locations: [hq]}}\n"
    ));
    let d = data(&s[0], "d");
    assert_eq!((d.recovered_at, d.data_loss_hours, d.backup.as_deref(), d.misses_rpo), (None, None, None, Some(true)));
}

#[test]
fn rule4_applications_are_reinstalled_on_replaced_hardware() {
    let s = run(&format!(
        "{OFFICE}parties:\n  - id: vendor\n    name: V\n    kind: software_vendor\n\
         assets:\n  - id: srv\n    kind: server\n    name: S\n    location: hq\n    replacement: {{strategy: spare, setup_hours: 2}}\n\
         \x20 - id: gw\n    kind: router\n    name: G\n    location: depot\n    replacement: {{strategy: spare, setup_hours: 1}}\n\
         applications:\n  - id: onprem\n    name: O\n    runs_on: [srv]\n    restore_hours: 3\n\
         \x20 - id: viagw\n    name: V\n    depends_on: [gw]\n    restore_hours: 3\n\
         \x20 - id: saas\n    name: S\n    vendor: vendor\n    restore_hours: 3\n\
         scenarios:\n  - id: fire\n    name: F\n    kind: fire\n    hits: {{locations: [hq, depot]}}\n\
         \x20 - id: vendor-down\n    name: V\n    kind: supplier_outage\n    hits: {{parties: [vendor]}}\n    duration_hours: 7\n\
         \x20 - id: power\n    name: P\n    kind: power_outage\n    hits: {{locations: [hq]}}\n    duration_hours: 4\n"
    ));
    assert_eq!(app(&s[0], "onprem"), Some(5.0));
    // Only `runs_on` triggers a reinstall; `depends_on` is waited for.
    assert_eq!(app(&s[0], "viagw"), Some(1.0));
    assert_eq!(app(&s[1], "saas"), Some(7.0));
    // Unavailable hardware needs no reinstall.
    assert_eq!(app(&s[2], "onprem"), Some(4.0));
}

#[test]
fn rule5_forwarding_brings_a_number_back_unless_its_provider_is_down() {
    let s = run(&format!(
        "{OFFICE}people:\n  - id: eva\n    name: Eva\n\
         parties:\n  - id: voip\n    name: V\n    kind: telecom\n\
         assets:\n  - id: pbx\n    kind: pbx\n    name: P\n    location: hq\n    replacement: {{strategy: buy, lead_time_hours: 48, setup_hours: 2}}\n\
         telephony:\n  - id: fwd\n    number: \"020 555 0000\"\n    provider: voip\n    carried_by: [pbx]\n    forward_to: eva\n    forward_minutes: 30\n\
         \x20 - id: plain\n    number: \"020 555 0001\"\n    provider: voip\n    carried_by: [pbx]\n\
         scenarios:\n  - id: fire\n    name: F\n    kind: fire\n    hits: {{locations: [hq]}}\n\
         \x20 - id: voip-down\n    name: V\n    kind: supplier_outage\n    hits: {{parties: [voip]}}\n    duration_hours: 5\n\
         \x20 - id: none\n    name: N\n    kind: custom\n    hits: {{locations: [depot]}}\n"
    ));
    assert_eq!(number(&s[0], "fwd"), Some(0.5));
    assert_eq!(number(&s[0], "plain"), Some(50.0));
    assert_eq!(number(&s[1], "fwd"), Some(5.0));
    assert_eq!(number(&s[2], "fwd"), Some(0.0));
}

#[test]
fn rule6_alternate_desks_go_by_priority() {
    let s = run("locations:\n  - id: hq\n    name: HQ\n    kind: office\n\
         \x20 - id: near\n    name: Near\n    kind: alternate\n    workplaces: 4\n    ready_within_hours: 6\n\
         \x20 - id: far\n    name: Far\n    kind: alternate\n    workplaces: 10\n    ready_within_hours: 30\n\
         departments:\n  - id: dep\n    name: D\n    location: hq\n\
         processes:\n  - {id: first, name: F, department: dep, priority: 1, rto_hours: 8, staff_needed: 3}\n\
         \x20 - {id: second, name: S, department: dep, priority: 1, rto_hours: 12, staff_needed: 2}\n\
         \x20 - {id: home, name: H, department: dep, priority: 1, rto_hours: 1, remote_capable: true}\n\
         \x20 - {id: nodept, name: N, priority: 3, rto_hours: 1}\n\
         scenarios:\n  - id: fire\n    name: F\n    kind: fire\n    hits: {locations: [hq]}\n    location_unusable_hours: 100\n\
         \x20 - id: short\n    name: S\n    kind: fire\n    hits: {locations: [hq]}\n    location_unusable_hours: 20\n\
         \x20 - id: all\n    name: A\n    kind: fire\n    hits: {locations: [hq, near, far]}\n");
    assert_eq!(process(&s[0], "first").recovered_at, Some(6.0));
    assert_eq!(process(&s[0], "second").recovered_at, Some(30.0));
    assert_eq!(process(&s[0], "home").recovered_at, Some(0.0));
    assert_eq!(process(&s[0], "nodept").recovered_at, Some(0.0));
    // The own office usable again at 20 h is sooner than the far alternate.
    assert_eq!(process(&s[1], "second").recovered_at, Some(20.0));
    // Alternates hit too, and the office never comes back: no workplace.
    assert_eq!(process(&s[2], "first").recovered_at, None);
    assert!(process(&s[2], "first").explanation.contains("no workplace"));
}

#[test]
fn rule7_objectives_and_cost() {
    let s = run("locations:\n  - id: hq\n    name: HQ\n    kind: office\n\
         assets:\n  - id: srv\n    kind: server\n    name: S\n    location: hq\n    replacement: {strategy: rent, lead_time_hours: 20, setup_hours: 4}\n\
         processes:\n  - {id: p, name: P, priority: 1, rto_hours: 24, mtpd_hours: 72, needs: [srv], cost_per_hour_eur: 100}\n\
         \x20 - {id: q, name: Q, needs: [srv]}\n\
         scenarios:\n  - id: fire\n    name: F\n    kind: fire\n    hits: {locations: [hq]}\n");
    let p = process(&s[0], "p");
    assert_eq!(
        (p.recovered_at, p.misses_rto, p.misses_mtpd, p.downtime_cost_eur),
        (Some(24.0), Some(false), Some(false), Some(2400.0))
    );
    let q = process(&s[0], "q");
    assert_eq!((q.misses_rto, q.misses_mtpd, q.downtime_cost_eur), (None, None, None));
}

#[test]
fn rule8_steps_in_order_with_who_and_whom_to_call() {
    let plan = read_plan("conformance/model-rules.yaml");
    let a = Analysis::new(&plan);
    let s = scenario_json(&a, a.scenario("fire-office").unwrap(), Language::En);
    let order: Vec<(&str, &str)> = s.steps.iter().map(|x| (x.action, x.target.as_str())).collect();
    assert_eq!(
        order,
        [
            // support-desk (priority 1, RTO 4) waits on the PBX.
            ("find_replacement", "pbx"),
            // order-intake (priority 1, RTO 8), by earliest start, then end.
            ("forward_number", "main"),
            ("replace_asset", "fw"),
            ("move_to_alternate", "alt-small"),
            ("replace_asset", "server"),
            ("replace_asset", "line"),
            ("restore_data", "orders"),
            ("reinstall_application", "erp"),
            // dispatch (priority 1, RTO 24), then quotes (priority 2).
            ("find_replacement", "scanner"),
            ("move_to_alternate", "alt-big"),
        ]
    );
    let restore = s.steps.iter().find(|x| x.action == "restore_data").unwrap();
    assert_eq!((restore.start, restore.end, restore.backup.as_deref()), (Some(242.0), Some(244.0), Some("orders-nas")));
    let forward = s.steps.iter().find(|x| x.action == "forward_number").unwrap();
    assert_eq!(forward.call[0].phone.as_deref(), Some("0800 5678"));
    assert_eq!(s.steps.iter().map(|x| x.order).collect::<Vec<_>>(), (1..=10).collect::<Vec<_>>());
}

#[test]
fn rule8_what_a_scenario_routes_around_is_not_waited_on() {
    let s = run(&format!(
        "{OFFICE}people:\n  - id: eva\n    name: Eva\n\
         assets:\n  - id: pbx\n    kind: pbx\n    name: PBX\n    location: hq\n    replacement: {{strategy: buy, lead_time_hours: 48, setup_hours: 2}}\n\
         telephony:\n  - id: main\n    number: \"020 555 0000\"\n    carried_by: [pbx]\n    forward_to: eva\n    forward_minutes: 15\n\
         processes:\n  - {{id: reception, name: R, priority: 1, rto_hours: 1, needs: [main]}}\n\
         scenarios:\n  - id: fire\n    name: F\n    kind: fire\n    hits: {{locations: [hq]}}\n"
    ));
    let steps: Vec<(&str, Option<&str>)> = s[0].steps.iter().map(|x| (x.action, x.for_process.as_deref())).collect();
    // Reception works again through the forwarding; the new PBX is for later.
    assert_eq!(steps, [("forward_number", Some("reception")), ("replace_asset", None)]);
    assert_eq!(process(&s[0], "reception").recovered_at, Some(0.25));
}

#[test]
fn the_worked_example_with_its_explanation() {
    let plan = read_plan("conformance/worked-example.yaml");
    let a = Analysis::new(&plan);
    let s = scenario_json(&a, &a.scenarios[0], Language::En);
    let p = process(&s, "payroll");
    assert_eq!((p.recovered_at, p.misses_rto, p.misses_mtpd), (Some(86.0), Some(true), Some(true)));
    assert_eq!(
        p.explanation,
        "payroll at 86 h: waits for client-files, restored from backup-cloud at 86 h, which waits for srv-dc01, replaced by forall-it at 80 h"
    );
    let rented = process(&s, "payroll-rented");
    assert_eq!((rented.recovered_at, rented.misses_rto, rented.misses_mtpd), (Some(30.0), Some(true), Some(false)));
    let nl = scenario_json(&a, &a.scenarios[0], Language::Nl);
    assert_eq!(
        process(&nl, "payroll").explanation,
        "payroll na 86 uur: wacht op client-files, teruggezet uit backup-cloud na 86 uur, dat wacht op srv-dc01, vervangen via forall-it na 80 uur"
    );
    let step = &s.steps[0];
    assert_eq!(
        (step.action, step.target.as_str(), step.start, step.end),
        ("replace_asset", "srv-dc01", Some(0.0), Some(80.0))
    );
    assert_eq!(step.call[0].id, "forall-it");
}
