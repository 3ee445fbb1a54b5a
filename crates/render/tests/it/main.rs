//! Documents read back by an independent parser.

mod pdf;

use std::io::BufReader;

use draaiboek_analysis::Analysis;
use draaiboek_plan::{Date, Language, Plan};

pub fn example(name: &str) -> Plan {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    draaiboek_plan::from_str(&text, name).unwrap()
}

fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> Vec<&'a str> {
    props.iter().filter(|p| p.name == name).filter_map(|p| p.value.as_deref()).collect()
}

#[test]
fn contacts_are_valid_vcards_with_every_crisis_number() {
    let plan = example("northfield-logistics.yaml");
    let a = Analysis::new(&plan);
    let vcf = draaiboek_render::contacts(&a, Language::En);
    assert!(vcf.lines().all(|l| l.len() <= 76), "lines are folded");
    assert!(vcf.split("\r\n").all(|l| !l.contains('\n')), "CRLF line ends");
    let cards: Vec<_> = ical::VcardParser::new(BufReader::new(vcf.as_bytes())).map(|c| c.unwrap()).collect();
    assert_eq!(cards.len(), a.crisis_roles().len() + a.called_parties().len());
    let mut uids = std::collections::HashSet::new();
    for card in &cards {
        assert_eq!(prop(&card.properties, "VERSION"), ["4.0"]);
        assert_eq!(prop(&card.properties, "FN").len(), 1);
        assert!(uids.insert(prop(&card.properties, "UID")[0].to_owned()), "UIDs are unique");
        assert_eq!(prop(&card.properties, "CATEGORIES"), ["Crisis contacts Northfield Logistics Ltd"]);
    }
    let numbers: Vec<&str> = cards.iter().flat_map(|c| prop(&c.properties, "TEL")).collect();
    for (p, _) in a.crisis_roles() {
        if let Some(m) = &plan.people[p].mobile {
            assert!(numbers.contains(&m.as_str()), "mobile of {}", plan.people[p].id);
        }
    }
    for (p, _) in a.called_parties() {
        if let Some(phone) = &plan.parties[p].phone {
            assert!(numbers.contains(&phone.as_str()), "phone of {}", plan.parties[p].id);
        }
    }
    // The same plan gives the same cards, so a phone updates rather than duplicates.
    assert_eq!(vcf, draaiboek_render::contacts(&Analysis::new(&plan), Language::En));
}

#[test]
fn text_in_cards_is_escaped() {
    let mut plan = example("accountantskantoor.yaml");
    plan.people[0].name = "Pieter van Dijk, RA; partner\\ex".into();
    let a = Analysis::new(&plan);
    let vcf = draaiboek_render::contacts(&a, Language::Nl);
    assert!(vcf.contains("FN:Pieter van Dijk\\, RA\\; partner\\\\ex"));
    let cards: Vec<_> = ical::VcardParser::new(BufReader::new(vcf.as_bytes())).map(|c| c.unwrap()).collect();
    assert!(
        cards
            .iter()
            .any(|c| prop(&c.properties, "CATEGORIES") == ["Crisiscontacten Accountantskantoor Van Dijk & De Boer"])
    );
}

#[test]
fn the_calendar_has_planned_exercises_and_the_review() {
    let plan = example("accountantskantoor.yaml");
    let today = Date::parse("2026-12-04").unwrap();
    let ics = draaiboek_render::calendar(&plan, Language::Nl, today);
    let cals: Vec<_> = ical::IcalParser::new(BufReader::new(ics.as_bytes())).map(|c| c.unwrap()).collect();
    assert_eq!(cals.len(), 1);
    let cal = &cals[0];
    assert_eq!(prop(&cal.properties, "VERSION"), ["2.0"]);
    assert!(!prop(&cal.properties, "PRODID").is_empty());
    let planned: Vec<_> = plan.exercises.iter().filter(|e| e.planned.is_some() && e.performed.is_none()).collect();
    assert_eq!(cal.events.len(), planned.len() + 1);
    let starts: Vec<&str> = cal.events.iter().flat_map(|e| prop(&e.properties, "DTSTART")).collect();
    assert!(starts.contains(&"20270215"), "{starts:?}");
    // The review: last reviewed 2025-09-15, every 12 months.
    assert!(starts.contains(&"20260915"), "{starts:?}");
    for e in &cal.events {
        assert_eq!(prop(&e.properties, "UID").len(), 1);
        assert_eq!(prop(&e.properties, "DTSTAMP"), ["20261204T000000Z"]);
    }
    let uids: Vec<&str> = cal.events.iter().flat_map(|e| prop(&e.properties, "UID")).collect();
    assert!(uids.contains(&"exercise-oef-2027-tabletop@accountantskantoor-van-dijk-de-boer.draaiboek"), "{uids:?}");
    // Stable: the same plan and day give the same bytes.
    assert_eq!(ics, draaiboek_render::calendar(&plan, Language::Nl, today));
}

fn html_of(plan: &Plan, lang: Language) -> (String, draaiboek_render::doc::Document) {
    let a = Analysis::new(plan);
    let today = Date::parse("2026-12-04").unwrap();
    let report = a.check(today, lang);
    let doc = draaiboek_render::document(&a, &report, lang, today);
    // Numbers are glued to what follows with no-break spaces; compare as text.
    (draaiboek_render::html(&doc).replace('\u{a0}', " "), doc)
}

#[test]
fn the_html_refers_to_nothing_outside_itself() {
    for name in ["accountantskantoor.yaml", "northfield-logistics.yaml"] {
        let (html, _) = html_of(&example(name), Language::En);
        let lower = html.to_lowercase();
        for banned in ["<script", "<link", "<img", "<iframe", "<object", "<embed", "url(", "@import", " src="] {
            assert!(!lower.contains(banned), "{name} has {banned}");
        }
        for (i, _) in lower.match_indices("href=\"") {
            assert!(lower[i + 6..].starts_with('#'), "{name}: only links within the page");
        }
        let outside = lower.matches("http").count();
        let namespaces = lower.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
        assert_eq!(outside, namespaces, "{name}: nothing but the SVG namespace names a URL");
    }
}

#[test]
fn the_document_has_every_number_serial_step_and_finding() {
    let plan = example("northfield-logistics.yaml");
    let a = Analysis::new(&plan);
    let (html, doc) = html_of(&plan, Language::En);
    let md = draaiboek_render::markdown(&doc);
    let esc = draaiboek_render::html::escape;
    for (p, _) in a.crisis_roles() {
        if let Some(m) = &plan.people[p].mobile {
            assert!(html.contains(m.as_str()) && md.contains(m.as_str()), "mobile of {}", plan.people[p].id);
        }
    }
    for party in &plan.parties {
        if let Some(phone) = &party.phone {
            assert!(html.contains(phone.as_str()), "phone of {}", party.id);
        }
    }
    for asset in &plan.assets {
        if let Some(serial) = &asset.serial {
            assert!(html.contains(&esc(serial)), "serial of {}", asset.id);
        }
    }
    for s in &a.scenarios {
        let j = draaiboek_analysis::output::scenario_json(&a, s, Language::En);
        for step in &j.steps {
            assert!(html.contains(&esc(&step.title)), "step {}", step.title);
        }
    }
    let report = a.check(Date::parse("2026-12-04").unwrap(), Language::En);
    for f in &report.findings {
        assert!(html.contains(&esc(&f.message)), "finding {}", f.message);
    }
    // Chapters in the order of the issue: cover, when disaster strikes, contacts, scenarios, ...
    let anchors: Vec<&str> = doc.chapters.iter().map(|c| c.anchor.as_str()).collect();
    assert_eq!(&anchors[..3], ["cover", "when-disaster-strikes", "contacts"]);
    assert_eq!(
        &anchors[3 + plan.scenarios.len()..],
        [
            "telephony",
            "alternate-location",
            "replacement-hardware",
            "inventory",
            "impact-analysis",
            "exercises",
            "findings"
        ]
    );
    for c in &doc.chapters[1..] {
        assert!(html.contains(&format!("<a href=\"#{}\">", c.anchor)), "contents link to {}", c.anchor);
    }
}

#[test]
fn documents_are_reproducible_and_in_both_languages() {
    let plan = example("accountantskantoor.yaml");
    let (nl, _) = html_of(&plan, Language::Nl);
    assert_eq!(nl, html_of(&plan, Language::Nl).0);
    assert!(nl.contains("<html lang=\"nl\">"));
    assert!(nl.contains("Als het misgaat"));
    let (en, _) = html_of(&plan, Language::En);
    assert!(en.contains("When disaster strikes"));
    assert!(en.contains("15 September 2025") && nl.contains("15 september 2025"));
}

#[test]
fn text_from_the_plan_is_escaped_in_html() {
    let mut plan = example("accountantskantoor.yaml");
    plan.organisation.name = "<script>alert('x')</script> & Co".into();
    let (html, _) = html_of(&plan, Language::En);
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"));
}

#[test]
fn a_long_process_name_is_cut_in_the_chart_but_kept_whole_as_its_title() {
    let plan = example("northfield-logistics.yaml");
    let (html, _) = html_of(&plan, Language::En);
    let name = &plan.processes.iter().find(|p| p.name.starts_with("Transport planning")).unwrap().name;
    assert!(name.chars().count() > 33, "the example has a long name: {name}");
    let cut: String = name.chars().take(31).chain(['…']).collect();
    assert!(html.contains(&format!("<title>{name}</title>{cut}</text>")), "cut, with the whole name as title");
    // Short names stand whole.
    assert!(html.contains("<title>Payroll (weekly warehouse staff)</title>Payroll (weekly warehouse staff)</text>"));
}
