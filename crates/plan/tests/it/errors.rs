//! Reading reports every problem at once, each with its place and a fix.

use draaiboek_plan::{ReadError, from_bytes, from_str};

fn problems(yaml: &str) -> ReadError {
    from_str(yaml, "plan.yaml").expect_err("the plan should be refused")
}

/// The single problem whose path is `path`.
fn at<'a>(e: &'a ReadError, path: &str) -> &'a draaiboek_plan::Problem {
    let found: Vec<_> = e.problems.iter().filter(|p| p.path == path).collect();
    assert_eq!(found.len(), 1, "one problem at {path} expected in:\n{}", e.report());
    found[0]
}

const HEAD: &str = "format: draaiboek/v1\norganisation:\n  name: Test\n";

#[test]
fn a_minimal_plan_is_read() {
    let plan = from_str(HEAD, "plan.yaml").unwrap();
    assert_eq!(plan.organisation.name, "Test");
    assert!(plan.assets.is_empty());
}

#[test]
fn unknown_keys_are_errors_with_the_closest_key() {
    let e = problems(&format!("{HEAD}people:\n  - id: jan\n    name: Jan\n    mobil: \"+31 6 1234 5678\"\n"));
    let p = at(&e, "people[0].mobil");
    assert!(p.message.contains("unknown key `mobil`"));
    assert!(p.hint.as_deref().unwrap().contains("`mobile`"));
    assert_eq!(p.pos.unwrap().line, 7);
    assert_eq!(p.pos.unwrap().col, 5);
}

#[test]
fn extra_keeps_free_data() {
    let plan = from_str(
        &format!("{HEAD}people:\n  - id: jan\n    name: Jan\n    extra:\n      badge: 12\n      notes: [a, b]\n"),
        "plan.yaml",
    )
    .unwrap();
    assert_eq!(plan.people[0].extra.len(), 2);
    assert_eq!(plan.people[0].extra[0].0, "badge");
}

#[test]
fn extra_at_the_top_level_is_kept_too() {
    let plan = from_str(&format!("{HEAD}extra:\n  crm_id: 991\n"), "plan.yaml").unwrap();
    assert_eq!(plan.extra.len(), 1);
    let back = from_str(&draaiboek_plan::to_yaml(&plan), "back.yaml").unwrap();
    assert_eq!(plan, back);
}

#[test]
fn missing_required_fields_are_named() {
    let e = problems(&format!("{HEAD}assets:\n  - id: srv\n    name: Server\n"));
    assert!(at(&e, "assets[0]").message.contains("missing required field `kind`"));
    let e = problems("organisation:\n  name: X\n");
    assert!(e.problems[0].message.contains("`format`"));
}

#[test]
fn an_unsupported_format_names_the_supported_ones() {
    let e = problems("format: draaiboek/v2\norganisation:\n  name: X\n");
    let p = at(&e, "format");
    assert!(p.message.contains("draaiboek/v2"));
    assert!(p.hint.as_deref().unwrap().contains("draaiboek/v1"));
}

#[test]
fn bad_values_are_explained() {
    let e = problems(&format!(
        "{HEAD}locations:\n  - id: hq\n    name: HQ\n    kind: ofice\n    ready_within_hours: -2\n\
         processes:\n  - id: p\n    name: P\n    rto_hours: \"24\"\n    priority: 1.5\n\
         exercises:\n  - id: e\n    kind: tabletop\n    planned: 2026-02-30\n"
    ));
    assert!(at(&e, "locations[0].kind").hint.as_deref().unwrap().contains("`office`"));
    assert!(at(&e, "locations[0].ready_within_hours").message.contains("negative"));
    assert!(at(&e, "processes[0].rto_hours").hint.as_deref().unwrap().contains("quotes"));
    assert!(at(&e, "processes[0].priority").message.contains("whole number"));
    assert!(at(&e, "exercises[0].planned").message.contains("no day 30"));
}

#[test]
fn ids_must_be_valid_and_unique_in_the_whole_file() {
    let e = problems(&format!(
        "{HEAD}locations:\n  - id: hq\n    name: HQ\n    kind: office\n\
         assets:\n  - id: hq\n    kind: nas\n    name: NAS\n  - id: Srv_1\n    kind: server\n    name: S\n"
    ));
    let dup = at(&e, "assets[0].id");
    assert!(dup.message.contains("already used by a location on line 5"), "{}", dup.message);
    assert!(at(&e, "assets[1].id").hint.as_deref().unwrap().contains("srv-1"));
}

#[test]
fn dangling_references_suggest_the_nearest_id() {
    let e = problems(&format!(
        "{HEAD}assets:\n  - id: srv-dc01\n    kind: server\n    name: S\n\
         applications:\n  - id: a\n    name: A\n  - id: b\n    name: B\n  - id: c\n    name: C\n    runs_on: [srv-dc1]\n"
    ));
    let p = at(&e, "applications[2].runs_on[0]");
    assert!(p.message.contains("unknown id `srv-dc1`"));
    assert_eq!(p.hint.as_deref(), Some("did you mean `srv-dc01`?"));
}

#[test]
fn references_to_the_wrong_kind_are_errors() {
    let e = problems(&format!(
        "{HEAD}assets:\n  - id: sw\n    kind: switch\n    name: S\n    depends_on: [payroll]\n\
         processes:\n  - id: payroll\n    name: P\n"
    ));
    let p = at(&e, "assets[0].depends_on[0]");
    assert!(p.message.contains("`payroll` is a process"), "{}", p.message);
    assert!(p.message.contains("an asset or a party"));
}

#[test]
fn dependency_cycles_are_printed() {
    let e = problems(&format!(
        "{HEAD}assets:\n  - id: a\n    kind: server\n    name: A\n    depends_on: [b]\n\
         \x20 - id: b\n    kind: server\n    name: B\n    depends_on: [c]\n\
         \x20 - id: c\n    kind: server\n    name: C\n    depends_on: [a]\n"
    ));
    let cycles: Vec<_> = e.problems.iter().filter(|p| p.message.starts_with("dependency cycle")).collect();
    assert_eq!(cycles.len(), 1, "{}", e.report());
    assert!(cycles[0].message.ends_with("a -> b -> c -> a"), "{}", cycles[0].message);
    let e = problems(&format!("{HEAD}tasks:\n  - id: t\n    title: T\n    after: [t]\n"));
    assert!(e.problems[0].message.ends_with("t -> t"));
}

#[test]
fn all_problems_are_reported_at_once_in_file_order() {
    let e = problems(&format!(
        "{HEAD}people:\n  - id: jan\n    name: Jan\n    deputy: piet\n    mobil: x\n\
         assets:\n  - id: nas\n    kind: nass\n    name: N\n    location: kantoor\n"
    ));
    assert_eq!(e.problems.len(), 4, "{}", e.report());
    let lines: Vec<usize> = e.problems.iter().map(|p| p.pos.unwrap().line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    let report = e.report();
    assert!(report.starts_with("plan.yaml:7:13: people[0].deputy: unknown id `piet`"), "{report}");
}

#[test]
fn phone_numbers_are_kept_as_written() {
    let plan = from_str(
        &format!("{HEAD}parties:\n  - id: isp\n    name: ISP\n    kind: isp\n    phone: 0887510202\n"),
        "plan.yaml",
    )
    .unwrap();
    assert_eq!(plan.parties[0].phone.as_ref().unwrap().as_str(), "0887510202");
    let e = problems(&format!("{HEAD}parties:\n  - id: isp\n    name: ISP\n    kind: isp\n    phone: \"123\"\n"));
    assert!(at(&e, "parties[0].phone").message.contains("at least 6"));
}

#[test]
fn forwarding_goes_to_a_person_or_a_number() {
    let plan = from_str(
        &format!(
            "{HEAD}people:\n  - id: eva\n    name: Eva\ntelephony:\n  - id: a\n    number: \"020 555 0000\"\n    forward_to: eva\n\
             \x20 - id: b\n    number: \"020 555 0001\"\n    forward_to: \"+31 6 1234 5678\"\n"
        ),
        "plan.yaml",
    )
    .unwrap();
    assert!(matches!(&plan.telephony[0].forward_to, Some(draaiboek_plan::ForwardTo::Person(p)) if p.as_str() == "eva"));
    assert!(matches!(&plan.telephony[1].forward_to, Some(draaiboek_plan::ForwardTo::Number(_))));
}

#[test]
fn yaml_syntax_errors_have_a_place() {
    let e = problems("format: draaiboek/v1\norganisation: [\n");
    assert!(e.problems[0].message.starts_with("not valid YAML"));
    assert!(e.problems[0].pos.is_some());
}

#[test]
fn binary_and_hostile_input_is_refused_cleanly() {
    let e = from_bytes(&[0xff, 0xfe, 0x00, 0x41], "x.bin").unwrap_err();
    assert!(e.problems[0].message.contains("not UTF-8"));
    let e = from_bytes(b"a: 1\0\n", "x.bin").unwrap_err();
    assert!(e.problems[0].message.contains("NUL"));
    let big = vec![b'a'; draaiboek_plan::MAX_FILE_BYTES + 1];
    assert!(from_bytes(&big, "big.yaml").unwrap_err().problems[0].message.contains("larger than"));
    let deep = format!("{}{}", "- ".repeat(10_000), "x");
    assert!(from_str(&deep, "deep.yaml").is_err());
    let mut laughs = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        laughs
            .push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    assert!(from_str(&laughs, "laughs.yaml").unwrap_err().problems[0].message.contains("aliases"));
    assert!(from_str("", "empty.yaml").unwrap_err().problems[0].message.contains("empty"));
    assert!(from_str("- a\n- b\n", "list.yaml").unwrap_err().problems[0].message.contains("mapping"));
}

#[test]
fn every_reading_problem_is_described_in_both_languages() {
    let broken = "format: draaiboek/v1\norganisation:\n  name: X\n  crisis_coordinator: jan\n  review_every_months: 0\n\
        locations:\n  - id: hq\n    name: HQ\n    kind: ofice\n    workplaces: many\n\
        people:\n  - id: Piet\n    name: P\n    mobile: \"12\"\n    mobil: x\n  - name: no id\n\
        assets:\n  - id: a\n    kind: nas\n    name: A\n    depends_on: [b, hq]\n    purchased: 2026-13-01\n\
        \x20 - id: b\n    kind: nas\n    name: B\n    depends_on: [a]\n    replacement: {strategy: buy, lead_time_hours: -1}\n\
        \x20 - id: hq\n    kind: nas\n    name: dup\n\
        processes:\n  - id: p\n    name: P\n    rto_hours: \"8\"\n    remote_capable: maybe\n    needs: x\n    extra: 5\n";
    let en = draaiboek_plan::from_str_in(broken, "p.yaml", Some(draaiboek_plan::Language::En)).unwrap_err();
    let nl = draaiboek_plan::from_str_in(broken, "p.yaml", Some(draaiboek_plan::Language::Nl)).unwrap_err();
    assert!(en.problems.len() >= 15, "{}", en.report());
    assert_eq!(en.problems.len(), nl.problems.len());
    for (e, n) in en.problems.iter().zip(&nl.problems) {
        assert_eq!((e.pos, &e.path), (n.pos, &n.path));
        assert_ne!(e.message, n.message, "untranslated: {}", e.message);
        assert_eq!(e.hint.is_some(), n.hint.is_some());
        if let (Some(eh), Some(nh)) = (&e.hint, &n.hint) {
            assert_ne!(eh, nh, "untranslated hint: {eh}");
        }
    }
    for input in ["", "- a\n", "a: [\n", &"[".repeat(100), "a: 1\n---\nb: 2\n"] {
        let en = draaiboek_plan::from_str_in(input, "p.yaml", Some(draaiboek_plan::Language::En)).unwrap_err();
        let nl = draaiboek_plan::from_str_in(input, "p.yaml", Some(draaiboek_plan::Language::Nl)).unwrap_err();
        assert_ne!(en.problems[0].message, nl.problems[0].message, "{input:?}");
    }
}

#[test]
fn everything_that_refers_to_an_entity_is_found() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/accountantskantoor.yaml"))
        .unwrap();
    let plan = from_str(&text, "ex.yaml").unwrap();
    let id = draaiboek_plan::Id::new("srv-01").unwrap();
    let found = draaiboek_plan::referrers(&plan, &id);
    let entities: Vec<&str> = found.iter().filter_map(|r| r.entity.as_ref().map(|e| e.as_str())).collect();
    for expected in ["dossiers", "fiscaal", "klantdossiers", "aangiftes"] {
        assert!(entities.contains(&expected), "{expected} refers to srv-01: {found:?}");
    }
    assert_eq!(found.len(), 6, "{found:?}");
    assert!(found.iter().any(|r| r.path == "scenarios[1].hits.assets[0]"), "{found:?}");
    let marieke = draaiboek_plan::Id::new("marieke").unwrap();
    let found = draaiboek_plan::referrers(&plan, &marieke);
    assert!(found.iter().any(|r| r.entity.is_none() && r.path == "organisation.crisis_coordinator"), "{found:?}");
    assert!(draaiboek_plan::referrers(&plan, &draaiboek_plan::Id::new("nobody").unwrap()).is_empty());
}
