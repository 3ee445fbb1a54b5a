//! Synthetic plans for property tests and benchmarks: valid by
//! construction, odd on purpose (fractions of hours, zero durations,
//! effects that override the kind's default), and reproducible from a seed.

use crate::model::*;
use crate::types::{Date, Hours, Id, Phone};

/// A small deterministic generator (SplitMix64): same seed, same plan.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Hours: mostly whole, sometimes fractions, sometimes zero.
    pub fn hours(&mut self, max: u64) -> Hours {
        let h = match self.below(10) {
            0 => 0.0,
            1 | 2 => (self.next_u64() % (max * 4).max(1)) as f64 / 4.0,
            3 => (self.next_u64() % (max * 100).max(1)) as f64 / 100.0,
            _ => (self.next_u64() % max.max(1)) as f64,
        };
        Hours::new(h).expect("non-negative")
    }
}

fn id(prefix: &str, i: usize) -> Id {
    Id::new(&format!("{prefix}{i}")).expect("valid id")
}

fn phone(rng: &mut Rng) -> Phone {
    Phone::new(&format!("+31 20 {:07}", rng.next_u64() % 10_000_000)).expect("valid phone")
}

/// How big a generated plan is.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub assets: usize,
    pub scenarios: usize,
    /// At most this many alternate locations.
    pub alternates: usize,
}

impl Size {
    /// The proportions of the benchmark: 1 application and 1 data set per 5
    /// assets, 1 process per 20, and 20 scenarios.
    pub fn benchmark(assets: usize) -> Size {
        Size { assets, scenarios: 20, alternates: 2 }
    }
}

/// A valid plan of about `size.assets` assets.
pub fn plan(seed: u64, size: Size) -> Plan {
    let mut rng = Rng::new(seed);
    let n = size.assets.max(1);
    let n_offices = (n / 50).clamp(1, 20);
    let n_alternates = if size.alternates == 0 { 0 } else { 1 + rng.below(size.alternates) };
    let n_parties = n / 20 + 4;
    let n_people = n / 10 + 2;
    let n_departments = (n / 50).clamp(1, 40);
    let n_apps = (n / 5).max(1);
    let n_data = (n / 5).max(1);
    let n_processes = (n / 20).max(1);
    let n_numbers = (n / 20).max(1);

    let mut locations = Vec::new();
    for i in 0..n_offices {
        locations.push(Location {
            id: id("loc", i),
            name: format!("Office {i}"),
            kind: if i > 0 && rng.chance(20) { LocationKind::Datacenter } else { LocationKind::Office },
            address: None,
            access: None,
            workplaces: None,
            ready_within_hours: None,
            contact: None,
            arrangements: None,
            extra: Vec::new(),
        });
    }
    for i in 0..n_alternates {
        locations.push(Location {
            id: id("alt", i),
            name: format!("Alternate {i}"),
            kind: LocationKind::Alternate,
            address: Some(format!("Flexstraat {i}")),
            access: None,
            workplaces: Some(rng.below(30) as u32),
            ready_within_hours: if rng.chance(90) { Some(rng.hours(72)) } else { None },
            contact: Some(id("party", rng.below(n_parties))),
            arrangements: None,
            extra: Vec::new(),
        });
    }
    let offices: Vec<Id> = locations[..n_offices].iter().map(|l| l.id.clone()).collect();
    let backup_places: Vec<Id> = locations.iter().map(|l| l.id.clone()).collect();

    let party_kinds = PartyKind::ALL;
    let parties: Vec<Party> = (0..n_parties)
        .map(|i| Party {
            id: id("party", i),
            name: format!("Party {i}"),
            kind: if i < party_kinds.len() { party_kinds[i] } else { *rng.pick(party_kinds) },
            phone: if rng.chance(90) { Some(phone(&mut rng)) } else { None },
            email: None,
            contract: None,
            reference: None,
            extra: Vec::new(),
        })
        .collect();

    let people: Vec<Person> = (0..n_people)
        .map(|i| Person {
            id: id("person", i),
            name: format!("Person {i}"),
            role: None,
            department: Some(id("dep", rng.below(n_departments))),
            phone: None,
            mobile: if rng.chance(85) { Some(phone(&mut rng)) } else { None },
            email: None,
            private_email: if rng.chance(50) { Some(format!("p{i}@example.org")) } else { None },
            deputy: if rng.chance(60) { Some(id("person", (i + 1) % n_people)) } else { None },
            skills: Vec::new(),
            extra: Vec::new(),
        })
        .collect();

    let departments: Vec<Department> = (0..n_departments)
        .map(|i| Department {
            id: id("dep", i),
            name: format!("Department {i}"),
            responsible: if rng.chance(80) { Some(id("person", rng.below(n_people))) } else { None },
            location: Some(rng.pick(&offices).clone()),
            staff: Some(1 + rng.below(20) as u32),
            extra: Vec::new(),
        })
        .collect();

    let mut assets = Vec::with_capacity(n);
    for i in 0..n {
        let mut depends_on = Vec::new();
        // Tiers, as in an office: a few core devices (lines, firewalls), the
        // infrastructure on them (switches, servers), and the rest on those.
        // Only on earlier assets, so the graph stays acyclic.
        let core = 10;
        let infra = (n / 20).max(core + 1);
        let tier = if i < core {
            i
        } else if i < infra {
            core
        } else {
            infra
        };
        if tier > 0 {
            for _ in 0..rng.below(3) {
                let d = id("asset", rng.below(tier));
                if !depends_on.contains(&d) {
                    depends_on.push(d);
                }
            }
        }
        if rng.chance(15) {
            depends_on.push(id("party", rng.below(n_parties)));
        }
        let strategy = *rng.pick(Strategy::ALL);
        assets.push(Asset {
            id: id("asset", i),
            kind: *rng.pick(AssetKind::ALL),
            name: format!("Asset {i}"),
            manufacturer: None,
            model: None,
            serial: if rng.chance(70) { Some(format!("SN{}", rng.next_u64() % 1_000_000)) } else { None },
            specs: if rng.chance(50) { Some("4 cores, 16 GB".to_owned()) } else { None },
            quantity: if rng.chance(10) { Some(2 + rng.below(10) as u32) } else { None },
            location: Some(rng.pick(&offices).clone()),
            managed_by: if rng.chance(50) { Some(id("party", rng.below(n_parties))) } else { None },
            purchased: None,
            warranty_until: if rng.chance(30) {
                Some(Date::new(2024 + rng.below(4) as i32, 1 + rng.below(12) as u8, 1).expect("valid"))
            } else {
                None
            },
            depends_on,
            replacement: if rng.chance(85) {
                Some(Replacement {
                    strategy,
                    supplier: if rng.chance(80) { Some(id("party", rng.below(n_parties))) } else { None },
                    lead_time_hours: if strategy == Strategy::Spare || rng.chance(5) {
                        None
                    } else {
                        Some(rng.hours(240))
                    },
                    setup_hours: if rng.chance(95) { Some(rng.hours(24)) } else { None },
                    cost_eur: None,
                    extra: Vec::new(),
                })
            } else {
                None
            },
            extra: Vec::new(),
        });
    }
    let asset_id = |rng: &mut Rng| id("asset", rng.below(n));

    let telephony: Vec<Number> = (0..n_numbers)
        .map(|i| {
            let forward = rng.chance(70);
            Number {
                id: id("tel", i),
                number: phone(&mut rng),
                label: None,
                provider: if rng.chance(80) { Some(id("party", rng.below(n_parties))) } else { None },
                carried_by: (0..1 + rng.below(2)).map(|_| asset_id(&mut rng)).collect::<Vec<_>>().into_iter().fold(
                    Vec::new(),
                    |mut v, a| {
                        if !v.contains(&a) {
                            v.push(a);
                        }
                        v
                    },
                ),
                forward_to: if forward { Some(ForwardTo::Person(id("person", rng.below(n_people)))) } else { None },
                forward_how: None,
                forward_minutes: if forward { Some(rng.hours(90)) } else { None },
                extra: Vec::new(),
            }
        })
        .collect();

    let mut data = Vec::with_capacity(n_data);
    for i in 0..n_data {
        let mut backups = Vec::new();
        for b in 0..rng.below(4) {
            let kind = *rng.pick(BackupKind::ALL);
            backups.push(Backup {
                id: Id::new(&format!("data{i}-b{b}")).expect("valid"),
                kind,
                location: if rng.chance(40) {
                    BackupPlace::Cloud
                } else {
                    BackupPlace::Location(rng.pick(&backup_places).clone())
                },
                stored_on: if rng.chance(30) { vec![asset_id(&mut rng)] } else { Vec::new() },
                every_hours: Hours::new(*rng.pick(&[1.0, 4.0, 12.0, 24.0, 168.0])).expect("valid"),
                restore_hours: rng.hours(24),
                immutable: if rng.chance(40) { Some(rng.chance(50)) } else { None },
                last_restore_test: if rng.chance(40) {
                    Some(Date::new(2025 + rng.below(2) as i32, 1 + rng.below(12) as u8, 15).expect("valid"))
                } else {
                    None
                },
                extra: Vec::new(),
            });
        }
        let a = asset_id(&mut rng);
        let mut stored_on = vec![a.clone()];
        if rng.chance(20) {
            let b = asset_id(&mut rng);
            if b != a {
                stored_on.push(b);
            }
        }
        data.push(DataSet {
            id: id("data", i),
            name: format!("Data {i}"),
            stored_on,
            rpo_hours: if rng.chance(85) {
                Some(Hours::new(*rng.pick(&[1.0, 4.0, 24.0, 72.0])).expect("valid"))
            } else {
                None
            },
            backups,
            extra: Vec::new(),
        });
    }

    let applications: Vec<Application> = (0..n_apps)
        .map(|i| {
            let hosting = *rng.pick(Hosting::ALL);
            let runs_on = if hosting == Hosting::Saas { Vec::new() } else { vec![asset_id(&mut rng)] };
            Application {
                id: id("app", i),
                name: format!("App {i}"),
                hosting: Some(hosting),
                vendor: if rng.chance(50) { Some(id("party", rng.below(n_parties))) } else { None },
                runs_on,
                depends_on: if rng.chance(30) { vec![asset_id(&mut rng)] } else { Vec::new() },
                data: if rng.chance(80) { vec![id("data", rng.below(n_data))] } else { Vec::new() },
                restore_hours: if rng.chance(90) { Some(rng.hours(16)) } else { None },
                restore_procedure: None,
                remote_access: None,
                credentials_at: None,
                restore_by: match rng.below(3) {
                    0 => Vec::new(),
                    1 => vec![id("person", rng.below(n_people))],
                    _ => vec![id("party", rng.below(n_parties))],
                },
                extra: Vec::new(),
            }
        })
        .collect();

    let processes: Vec<Process> = (0..n_processes)
        .map(|i| {
            let rto = Hours::new(*rng.pick(&[1.0, 4.0, 8.0, 24.0, 48.0, 72.0])).expect("valid");
            let mut needs = Vec::new();
            for _ in 0..1 + rng.below(4) {
                let need = match rng.below(4) {
                    0 => id("app", rng.below(n_apps)),
                    1 => id("data", rng.below(n_data)),
                    2 => asset_id(&mut rng),
                    _ => id("tel", rng.below(n_numbers)),
                };
                if !needs.contains(&need) {
                    needs.push(need);
                }
            }
            Process {
                id: id("proc", i),
                name: format!("Process {i}"),
                department: if rng.chance(90) { Some(id("dep", rng.below(n_departments))) } else { None },
                priority: if rng.chance(95) { Some(1 + rng.below(3) as u32) } else { None },
                rto_hours: if rng.chance(95) { Some(rto) } else { None },
                mtpd_hours: Some(Hours::new(rto.get() * *rng.pick(&[1.0, 2.0, 3.0, 5.0])).expect("valid")),
                needs,
                remote_capable: Some(rng.chance(40)),
                staff_needed: Some(rng.below(5) as u32),
                cost_per_hour_eur: if rng.chance(70) { Some((rng.below(40) * 50) as f64) } else { None },
                workaround: None,
                extra: Vec::new(),
            }
        })
        .collect();

    let scenarios: Vec<Scenario> = (0..size.scenarios)
        .map(|i| {
            let kind = *rng.pick(ScenarioKind::ALL);
            let mut hits = Hits::default();
            match rng.below(3) {
                0 => hits.locations.push(rng.pick(&offices).clone()),
                1 => {
                    for _ in 0..1 + rng.below(3) {
                        let a = asset_id(&mut rng);
                        if !hits.assets.contains(&a) {
                            hits.assets.push(a);
                        }
                    }
                }
                _ => hits.parties.push(id("party", rng.below(n_parties))),
            }
            Scenario {
                id: id("sc", i),
                name: format!("Scenario {i}"),
                kind,
                hits,
                effect: if rng.chance(20) { Some(*rng.pick(Effect::ALL)) } else { None },
                likelihood: Some(1 + rng.below(5) as u32),
                duration_hours: if rng.chance(70) { Some(rng.hours(96)) } else { None },
                location_unusable_hours: if rng.chance(60) { Some(rng.hours(2000)) } else { None },
                extra: Vec::new(),
            }
        })
        .collect();

    let tasks: Vec<Task> = (0..3)
        .map(|i| Task {
            id: id("task", i),
            title: format!("Task {i}"),
            phase: Some(*rng.pick(Phase::ALL)),
            owner: Some(id("person", rng.below(n_people))),
            call: vec![id("party", rng.below(n_parties))],
            scenarios: Vec::new(),
            after: if i > 0 { vec![id("task", i - 1)] } else { Vec::new() },
            details: None,
            extra: Vec::new(),
        })
        .collect();

    let exercises: Vec<Exercise> = (0..2)
        .map(|i| Exercise {
            id: id("ex", i),
            kind: *rng.pick(ExerciseKind::ALL),
            covers: vec![id("data", rng.below(n_data)), id("proc", rng.below(n_processes))],
            participants: Vec::new(),
            planned: Some(Date::new(2026, 1 + rng.below(12) as u8, 10).expect("valid")),
            performed: if rng.chance(70) {
                Some(Date::new(2026, 1 + rng.below(11) as u8, 11).expect("valid"))
            } else {
                None
            },
            result: Some(*rng.pick(ExerciseResult::ALL)),
            measured_hours: if rng.chance(50) { Some(rng.hours(24)) } else { None },
            findings: None,
            extra: Vec::new(),
        })
        .collect();

    Plan {
        organisation: Organisation {
            name: format!("Generated organisation {seed}"),
            language: Some(if rng.chance(50) { Language::Nl } else { Language::En }),
            address: None,
            review_every_months: Some(12),
            last_reviewed: Some(Date::new(2026, 1, 1).expect("valid")),
            crisis_coordinator: Some(id("person", 0)),
            plan_activator: Some(id("person", rng.below(n_people))),
            activation_criteria: Some("Office unusable: yes, \"really\" # not a comment\nsecond line".to_owned()),
            emergency_number: Some(Phone::emergency("112").expect("valid")),
            call_tree: vec![CallTreeEntry {
                caller: id("person", 0),
                calls: vec![id("person", 1 % n_people), id("party", 0)],
            }],
            extra: Vec::new(),
        },
        locations,
        people,
        departments,
        parties,
        assets,
        telephony,
        applications,
        data,
        processes,
        scenarios,
        tasks,
        exercises,
        extra: Vec::new(),
    }
}
