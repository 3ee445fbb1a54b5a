//! Writing: a plan written and read back is equal, and the layout is stable.

use draaiboek_plan::generate::{Size, plan};
use draaiboek_plan::{from_str, to_yaml};

#[test]
fn the_writer_orders_sections_and_keys_as_the_format() {
    let text = to_yaml(&plan(7, Size { assets: 30, scenarios: 3, alternates: 2 }));
    let sections: Vec<&str> =
        text.lines().filter(|l| !l.starts_with(' ') && !l.starts_with('-')).map(|l| l.trim_end_matches(':')).collect();
    let order = [
        "format: draaiboek/v1",
        "organisation",
        "locations",
        "people",
        "departments",
        "parties",
        "assets",
        "telephony",
        "applications",
        "data",
        "processes",
        "scenarios",
        "tasks",
        "exercises",
    ];
    assert_eq!(sections, order);
    let first_asset = text.split("\nassets:\n").nth(1).unwrap();
    assert!(first_asset.starts_with("  - id: asset0\n    kind: "), "{first_asset}");
}

#[test]
fn formatting_is_stable() {
    let original = to_yaml(&plan(11, Size { assets: 40, scenarios: 4, alternates: 2 }));
    let again = to_yaml(&from_str(&original, "plan.yaml").unwrap());
    assert_eq!(original, again);
}

#[test]
fn awkward_text_survives_a_round_trip() {
    let yaml = "format: draaiboek/v1\norganisation:\n  name: \"yes\"\n  address: \"  leading spaces\"\n  activation_criteria: |\n    Line one: with colon\n    # not a comment\n\n    - not a list\n  extra:\n    n: 0800\n    t: ~\n    list: [\"a, b\", {k: v}]\n    nested:\n      - - deep\n";
    let plan = from_str(yaml, "plan.yaml").unwrap();
    let back = from_str(&to_yaml(&plan), "back.yaml").unwrap_or_else(|e| panic!("{}\n{}", e.report(), to_yaml(&plan)));
    assert_eq!(plan, back);
    assert_eq!(back.organisation.name, "yes");
}

#[test]
fn a_plan_split_into_rows_joins_back_into_the_same_file() {
    for seed in 0..20 {
        let p = plan(seed, Size { assets: 25, scenarios: 3, alternates: 2 });
        let rows = draaiboek_plan::split(&p);
        let ids: std::collections::HashSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), rows.len(), "row ids are unique");
        let joined = draaiboek_plan::join(rows.iter().map(|r| (r.kind, r.body.as_str())));
        assert_eq!(joined, to_yaml(&p));
        // Rows may come back grouped in any order of sections.
        let mut shuffled = rows.clone();
        shuffled.reverse();
        shuffled.sort_by_key(|r| r.kind);
        let again = draaiboek_plan::join(shuffled.iter().map(|r| (r.kind, r.body.as_str())));
        let back = from_str(&again, "joined.yaml").unwrap();
        // Sections land in the format's order; entities keep the order given.
        let ids = |p: &draaiboek_plan::Plan| p.assets.iter().map(|a| a.id.to_string()).collect::<Vec<_>>();
        let mut reversed = ids(&p);
        reversed.reverse();
        assert_eq!(ids(&back), reversed);
        assert_eq!(back.organisation, p.organisation);
    }
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/accountantskantoor.yaml"))
        .unwrap();
    let example = from_str(&text, "ex.yaml").unwrap();
    let rows = draaiboek_plan::split(&example);
    assert_eq!(draaiboek_plan::join(rows.iter().map(|r| (r.kind, r.body.as_str()))), text);
}
