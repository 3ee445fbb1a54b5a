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
