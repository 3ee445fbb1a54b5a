//! Properties over generated plans and arbitrary input.

use draaiboek_plan::generate::{Size, plan};
use draaiboek_plan::{from_bytes, from_str, to_yaml};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn written_plans_read_back_equal(seed in any::<u64>(), assets in 1usize..80) {
        let p = plan(seed, Size { assets, scenarios: 5, alternates: 3 });
        let text = to_yaml(&p);
        let back = from_str(&text, "gen.yaml").map_err(|e| TestCaseError::fail(format!("{}\n{text}", e.report())))?;
        prop_assert_eq!(p, back);
    }

    #[test]
    fn any_text_survives_a_round_trip(name in "\\PC{1,40}", note in "(\\PC|\n| ){0,80}", key in "[a-z_]{1,8}") {
        let mut p = plan(1, Size { assets: 3, scenarios: 1, alternates: 1 });
        p.organisation.name = name;
        p.assets[0].specs = Some(note.clone());
        p.organisation.extra = vec![(key, draaiboek_plan::value::Value::String(note))];
        let text = to_yaml(&p);
        let back = from_str(&text, "gen.yaml").map_err(|e| TestCaseError::fail(format!("{}\n{text}", e.report())))?;
        prop_assert_eq!(p, back);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = from_bytes(&bytes, "random.bin");
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[ -~\\n\\t]{0,400}") {
        let _ = from_str(&text, "random.yaml");
    }

    #[test]
    fn damaged_plans_never_panic(seed in any::<u64>(), cuts in proptest::collection::vec((any::<usize>(), 0u8..4), 1..6)) {
        let mut lines: Vec<String> = to_yaml(&plan(seed, Size { assets: 15, scenarios: 3, alternates: 2 })).lines().map(str::to_owned).collect();
        for (at, how) in cuts {
            let i = at % lines.len();
            match how {
                0 => { lines.remove(i); }
                1 => { let l = lines[i].clone(); lines.insert(i, l); }
                2 => lines[i] = lines[i].replacen(' ', "", 1),
                _ => lines[i].push_str(" ]"),
            }
            if lines.is_empty() { break; }
        }
        let _ = from_str(&lines.join("\n"), "damaged.yaml");
    }
}
