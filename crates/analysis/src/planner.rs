//! The year planner: a calendar of small exercises that together cover,
//! within twelve months, everything a plan asks to test now and then (the
//! spot checks of MNT002, and the call tree): the most critical and longest
//! untested first, at most a set number of exercises a month.

use draaiboek_plan::{Date, ExerciseKind, Id, Language, LocationKind, Plan};

/// Something the plan asks to test now and then.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Stable across runs, for remembering a proposal that was skipped.
    pub key: String,
    /// What an exercise of it covers; empty for the call tree.
    pub covers: Vec<Id>,
    pub kind: ExerciseKind,
    /// 0 is most critical.
    pub criticality: u8,
    pub label: String,
    /// The latest performed exercise that covered it.
    pub last_tested: Option<Date>,
}

/// An exercise the planner proposes.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub date: Date,
    pub kind: ExerciseKind,
    pub targets: Vec<Target>,
}

impl Proposal {
    pub fn covers(&self) -> Vec<Id> {
        self.targets.iter().flat_map(|t| t.covers.iter().cloned()).collect()
    }

    /// A key for the proposal as a whole: its targets' keys.
    pub fn key(&self) -> String {
        self.targets.iter().map(|t| t.key.as_str()).collect::<Vec<_>>().join("+")
    }
}

fn last_tested(plan: &Plan, ids: &[Id], kind: Option<ExerciseKind>, today: Date) -> Option<Date> {
    plan.exercises
        .iter()
        .filter(|e| kind.is_none_or(|k| e.kind == k) && (kind.is_some() || e.covers.iter().any(|c| ids.contains(c))))
        .filter_map(|e| e.performed)
        .filter(|d| *d <= today)
        .max()
}

/// Everything to test, most urgent first: never tested before tested, then
/// the most critical, then the longest ago.
pub fn targets(plan: &Plan, today: Date, lang: Language) -> Vec<Target> {
    let t = |en: &str, nl: &str| if lang == Language::En { en.to_owned() } else { nl.to_owned() };
    let mut out = Vec::new();
    let p1_needs: Vec<&Id> =
        plan.processes.iter().filter(|p| p.priority == Some(1)).flat_map(|p| p.needs.iter()).collect();
    for p in plan.processes.iter().filter(|p| p.priority == Some(1)) {
        out.push(Target {
            key: format!("process:{}", p.id),
            covers: vec![p.id.clone()],
            kind: ExerciseKind::Tabletop,
            criticality: 0,
            label: format!("{} {}", t("Priority-1 process", "Prioriteit-1-proces"), p.name),
            last_tested: last_tested(plan, std::slice::from_ref(&p.id), None, today),
        });
    }
    if !plan.organisation.call_tree.is_empty() {
        out.push(Target {
            key: "call-tree".into(),
            covers: Vec::new(),
            kind: ExerciseKind::CallTree,
            criticality: 1,
            label: t("The call tree", "De belboom"),
            last_tested: last_tested(plan, &[], Some(ExerciseKind::CallTree), today),
        });
    }
    for d in plan.data.iter().filter(|d| !d.backups.is_empty()) {
        // One restore test of the data set covers its backups.
        let mut ids = vec![d.id.clone()];
        ids.extend(d.backups.iter().map(|b| b.id.clone()));
        let needed = p1_needs.contains(&&d.id)
            || plan.applications.iter().any(|a| a.data.contains(&d.id) && p1_needs.contains(&&a.id));
        let tested =
            d.backups.iter().map(|b| last_tested(plan, &[d.id.clone(), b.id.clone()], None, today)).min().flatten();
        out.push(Target {
            key: format!("data:{}", d.id),
            covers: vec![d.id.clone()],
            kind: ExerciseKind::RestoreTest,
            criticality: if needed { 1 } else { 3 },
            label: format!("{} {}", t("Restore of the backups of", "Terugzetten van de back-ups van"), d.name),
            last_tested: tested,
        });
    }
    for n in plan.telephony.iter().filter(|n| n.forward_to.is_some()) {
        out.push(Target {
            key: format!("number:{}", n.id),
            covers: vec![n.id.clone()],
            kind: ExerciseKind::CallForwarding,
            criticality: 2,
            label: format!(
                "{} {}",
                t("Forwarding of", "Doorschakelen van"),
                n.label.as_deref().unwrap_or(n.number.as_str())
            ),
            last_tested: last_tested(plan, std::slice::from_ref(&n.id), None, today),
        });
    }
    for l in plan.locations.iter().filter(|l| l.kind == LocationKind::Alternate) {
        out.push(Target {
            key: format!("location:{}", l.id),
            covers: vec![l.id.clone()],
            kind: ExerciseKind::AlternateSite,
            criticality: 2,
            label: format!("{} {}", t("Alternate location", "Uitwijklocatie"), l.name),
            last_tested: last_tested(plan, std::slice::from_ref(&l.id), None, today),
        });
    }
    out.sort_by(|a, b| {
        b.last_tested
            .is_none()
            .cmp(&a.last_tested.is_none())
            .then(a.criticality.cmp(&b.criticality))
            .then(a.last_tested.cmp(&b.last_tested))
            .then(a.key.cmp(&b.key))
    });
    out
}

/// A working day in the middle of the month `months` after today's.
fn day_in(today: Date, months: i32) -> Date {
    let first = Date::new(today.year(), today.month(), 1).expect("a valid date").add_months(months);
    let mid = Date::new(first.year(), first.month(), 15).expect("a valid date");
    let monday = Date::new(2024, 1, 1).expect("a Monday");
    let weekday = (mid.day_number() - monday.day_number()).rem_euclid(7);
    let shift = match weekday {
        5 => 2,
        6 => 1,
        _ => 0,
    };
    Date::from_unix_days(mid.day_number() - Date::new(1970, 1, 1).expect("valid").day_number() + shift)
}

/// The proposals: from the first month with a working day ahead, at most `per_month` exercises a month,
/// everything covered within twelve months. When there is more to test than
/// fits, targets of the same kind share an exercise.
pub fn year_plan(plan: &Plan, today: Date, per_month: usize, lang: Language) -> Vec<Proposal> {
    let per_month = per_month.max(1);
    let targets = targets(plan, today, lang);
    if targets.is_empty() {
        return Vec::new();
    }
    let capacity = 12 * per_month;
    // Group by kind, in order of urgency, then cut each kind into exercises
    // of `size` targets; the smallest size that fits in twelve months.
    let mut kinds: Vec<ExerciseKind> = Vec::new();
    for t in &targets {
        if !kinds.contains(&t.kind) {
            kinds.push(t.kind);
        }
    }
    let cut = |size: usize| {
        let mut exercises: Vec<(usize, Vec<Target>)> = Vec::new();
        for kind in &kinds {
            let of_kind: Vec<(usize, &Target)> = targets.iter().enumerate().filter(|(_, t)| t.kind == *kind).collect();
            for chunk in of_kind.chunks(size) {
                exercises.push((chunk[0].0, chunk.iter().map(|(_, t)| (*t).clone()).collect()));
            }
        }
        exercises
    };
    let mut size = targets.len().div_ceil(capacity);
    let mut exercises = cut(size);
    while exercises.len() > capacity {
        size += 1;
        exercises = cut(size);
    }
    exercises.sort_by_key(|(urgency, _)| *urgency);
    // This month when its working day is still ahead, so that the twelfth
    // month is within a year of today.
    let first = if day_in(today, 0) > today { 0 } else { 1 };
    exercises
        .into_iter()
        .enumerate()
        .map(|(i, (_, targets))| Proposal {
            date: day_in(today, first + (i / per_month) as i32),
            kind: targets[0].kind,
            targets,
        })
        .collect()
}
