//! Properties of the model over generated plans.

use draaiboek_analysis::Analysis;
use draaiboek_analysis::output::scenario_json;
use draaiboek_plan::generate::{Rng as Gen, Size, plan};
use draaiboek_plan::{Backup, BackupKind, BackupPlace, Date, Hours, Id, Language, Plan};
use proptest::prelude::*;

/// Every recovery time of every scenario, in one list (infinity for never).
fn times(plan: &Plan) -> Vec<f64> {
    let a = Analysis::new(plan);
    let mut out = Vec::new();
    for s in &a.scenarios {
        let j = scenario_json(&a, s, Language::En);
        let t = |v: Option<f64>| v.unwrap_or(f64::INFINITY);
        out.extend(j.assets.iter().map(|x| t(x.recovered_at)));
        out.extend(j.data.iter().map(|x| t(x.recovered_at)));
        out.extend(j.applications.iter().map(|x| t(x.recovered_at)));
        out.extend(j.telephony.iter().map(|x| t(x.recovered_at)));
        out.extend(j.processes.iter().map(|x| t(x.recovered_at)));
    }
    out
}

fn never_later(before: &[f64], after: &[f64]) -> Result<(), TestCaseError> {
    prop_assert_eq!(before.len(), after.len());
    for (i, (b, a)) in before.iter().zip(after).enumerate() {
        prop_assert!(a <= b, "value {} came back later: {} -> {}", i, b, a);
    }
    Ok(())
}

/// Hours of data lost per data set and scenario (infinity for all).
fn losses(plan: &Plan) -> Vec<f64> {
    let a = Analysis::new(plan);
    a.scenarios
        .iter()
        .flat_map(|s| {
            scenario_json(&a, s, Language::En).data.into_iter().map(|d| d.data_loss_hours.unwrap_or(f64::INFINITY))
        })
        .collect()
}

fn generated(seed: u64, assets: usize, alternates: usize) -> Plan {
    plan(seed, Size { assets, scenarios: 6, alternates })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn analysis_is_deterministic(seed in any::<u64>(), assets in 1usize..80) {
        let p = generated(seed, assets, 3);
        let run = |p: &Plan| {
            let a = Analysis::new(p);
            let scenarios: Vec<_> = a.scenarios.iter().map(|s| scenario_json(&a, s, Language::Nl)).collect();
            let report = a.check(Date::parse("2026-12-01").unwrap(), Language::Nl);
            (serde_json::to_string(&scenarios).unwrap(), serde_json::to_string(&draaiboek_analysis::output::check_json(&report)).unwrap())
        };
        prop_assert_eq!(run(&p), run(&p.clone()));
    }

    /// Rule 3 chooses the backup that loses least beyond the RPO before the
    /// one that is fastest, so a new backup may trade time for less data
    /// loss: only then may anything come back later.
    #[test]
    fn adding_a_backup_never_makes_anything_later(seed in any::<u64>(), assets in 5usize..60, which in any::<usize>(), b in any::<u64>()) {
        let before = generated(seed, assets, 3);
        let mut after = before.clone();
        let mut rng = Gen::new(b);
        let d = which % after.data.len();
        let kind = *rng.pick(BackupKind::ALL);
        after.data[d].backups.push(Backup {
            id: Id::new("added-backup").unwrap(),
            kind,
            location: if rng.chance(50) { BackupPlace::Cloud } else { BackupPlace::Location(after.locations[rng.below(after.locations.len())].id.clone()) },
            stored_on: Vec::new(),
            every_hours: Hours::new(*rng.pick(&[1.0, 4.0, 24.0, 168.0])).unwrap(),
            restore_hours: rng.hours(30),
            immutable: Some(rng.chance(50)),
            last_restore_test: None,
            extra: Vec::new(),
        });
        let traded = losses(&before).iter().zip(losses(&after)).any(|(x, y)| y < *x);
        if !traded {
            never_later(&times(&before), &times(&after))?;
        }
    }

    #[test]
    fn shorter_lead_setup_and_restore_times_never_make_anything_later(seed in any::<u64>(), assets in 5usize..60, pick in any::<u64>()) {
        let before = generated(seed, assets, 3);
        let mut after = before.clone();
        let mut rng = Gen::new(pick);
        let shorten = |h: &mut Hours, rng: &mut Gen| *h = Hours::new(h.get() * rng.below(100) as f64 / 100.0).unwrap();
        for _ in 0..3 {
            match rng.below(4) {
                0 => {
                    let a = rng.below(after.assets.len());
                    if let Some(r) = after.assets[a].replacement.as_mut() {
                        if let Some(h) = r.lead_time_hours.as_mut() { shorten(h, &mut rng); }
                        if let Some(h) = r.setup_hours.as_mut() { shorten(h, &mut rng); }
                    }
                }
                1 => {
                    let d = rng.below(after.data.len());
                    for b in &mut after.data[d].backups { shorten(&mut b.restore_hours, &mut rng); }
                }
                2 => {
                    let a = rng.below(after.applications.len());
                    if let Some(h) = after.applications[a].restore_hours.as_mut() { shorten(h, &mut rng); }
                }
                _ => {
                    let n = rng.below(after.telephony.len());
                    if let Some(h) = after.telephony[n].forward_minutes.as_mut() { shorten(h, &mut rng); }
                }
            }
        }
        never_later(&times(&before), &times(&after))?;
    }

    /// With one alternate location, desks go to the same processes whatever
    /// its ready time (see the plan format on rule 6 with several).
    #[test]
    fn a_shorter_ready_time_never_makes_anything_later(seed in any::<u64>(), assets in 5usize..60, factor in 0usize..100) {
        let before = generated(seed, assets, 1);
        let mut after = before.clone();
        for l in &mut after.locations {
            if let Some(h) = l.ready_within_hours.as_mut() {
                *h = Hours::new(h.get() * factor as f64 / 100.0).unwrap();
            }
        }
        never_later(&times(&before), &times(&after))?;
    }

    /// The fast single-point-of-failure search agrees with re-running the
    /// model for every asset destroyed on its own.
    #[test]
    fn single_points_match_the_naive_search(seed in any::<u64>(), assets in 5usize..50) {
        let p = generated(seed, assets, 2);
        let fast = Analysis::new(&p).single_points_of_failure();
        let mut naive = Vec::new();
        for (i, asset) in p.assets.iter().enumerate() {
            let mut one = p.clone();
            one.scenarios = vec![draaiboek_plan::Scenario {
                id: Id::new("only").unwrap(),
                name: "Only this asset".into(),
                kind: draaiboek_plan::ScenarioKind::Custom,
                hits: draaiboek_plan::Hits { assets: vec![asset.id.clone()], ..Default::default() },
                effect: Some(draaiboek_plan::Effect::Destroyed),
                likelihood: None,
                duration_hours: None,
                location_unusable_hours: None,
                extra: Vec::new(),
            }];
            let a = Analysis::new(&one);
            let res = &a.scenarios[0];
            let worst = a.graph.process_rank.iter().copied().find(|&q| {
                let pr = &one.processes[q];
                pr.priority == Some(1) && pr.rto_hours.is_some_and(|rto| res.processes[q].r > rto.get())
            });
            if let Some(q) = worst {
                naive.push((i, q, res.processes[q].r));
            }
        }
        prop_assert_eq!(fast, naive);
    }

    #[test]
    fn generated_plans_never_panic_in_analysis_or_checks(seed in any::<u64>(), assets in 1usize..120, today in 0i32..60) {
        let p = generated(seed, assets, 3);
        let a = Analysis::new(&p);
        let _ = a.check(Date::parse("2024-01-01").unwrap().add_months(today), Language::En);
    }
}

#[test]
fn damaged_example_plans_never_panic() {
    for file in ["accountantskantoor.yaml", "northfield-logistics.yaml"] {
        let text = std::fs::read_to_string(crate::support::fixture(&format!("../../../examples/{file}"))).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for skip in 0..lines.len() {
            let damaged: Vec<&str> = lines.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, l)| *l).collect();
            if let Ok(plan) = draaiboek_plan::from_str(&damaged.join("\n"), file) {
                let _ = Analysis::new(&plan).check(Date::parse("2026-12-01").unwrap(), Language::En);
            }
        }
    }
}
