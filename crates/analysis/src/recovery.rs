//! The recovery model of the plan format, rules 1 to 7: when each thing
//! works again in a scenario, and why.
//!
//! Each rule is one function of a node and the recovery times of what it
//! waits on, so that the full evaluation of a scenario and the sparse one of
//! the single-point-of-failure check share them.

use draaiboek_plan::{Effect, ScenarioKind, Strategy};

use crate::graph::{Graph, Node};

/// `R(x)` when x never comes back under this plan.
pub const NEVER: f64 = f64::INFINITY;

/// What determined a recovery time: the first link of its explanation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Because {
    /// Never down.
    Up,
    /// Back when this comes back.
    WaitsFor(Node),
    /// Hit, unavailable until the scenario's duration ends.
    Unavailable { until: f64 },
    /// Destroyed and replaced: lead time plus set-up.
    Replaced { hours: f64 },
    /// Destroyed, and the plan has no replacement for it.
    NoReplacement,
    /// Ransomware: the hardware survives and is rebuilt.
    Rebuilt { hours: f64 },
    /// A party hit by the scenario.
    PartyHit,
    /// Destroyed data restored from backup `backup` (index in the data set),
    /// after `after` is back.
    Restored { backup: usize, after: Option<Node>, hours: f64 },
    /// Destroyed data without a backup that survives.
    NoSurvivingBackup,
    /// Application reinstalled on replaced hardware after `after`.
    Reinstalled { after: Option<Node>, hours: f64 },
    /// A number forwarded to a mobile.
    Forwarded { hours: f64 },
    /// A process waiting for a place to work.
    Workplace(Workplace),
}

/// Where a process whose location is hit works again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Workplace {
    /// Not affected, or remote-capable.
    AtOnce,
    /// Desks at this alternate location.
    Alternate(usize),
    /// Its own location, usable again.
    OwnLocation(usize),
    /// No alternate with room, and the own location never comes back.
    Nowhere(usize),
}

/// Which assets a scenario names directly.
pub enum AssetHits {
    Each(Vec<bool>),
    /// One asset destroyed, everything else intact (SPF001).
    One(usize),
}

/// What a scenario hits, resolved to indices.
pub struct Hit {
    pub assets: AssetHits,
    pub locations: Vec<bool>,
    pub parties: Vec<bool>,
    pub effect: Effect,
    pub ransomware: bool,
    pub duration: f64,
    /// When a hit location can be used again.
    pub location_back: f64,
}

impl Hit {
    pub fn for_scenario(g: &Graph<'_>, s: usize) -> Hit {
        let sc = &g.plan.scenarios[s];
        let ransomware = sc.kind == ScenarioKind::Ransomware;
        let mut locations = vec![false; g.plan.locations.len()];
        let mut parties = vec![false; g.plan.parties.len()];
        let mut assets = vec![false; g.plan.assets.len()];
        for id in &sc.hits.locations {
            if let Some(crate::graph::Ent::Location(l)) = g.ent(id.as_str()) {
                locations[l] = true;
            }
        }
        for id in &sc.hits.parties {
            if let Some(crate::graph::Ent::Party(p)) = g.ent(id.as_str()) {
                parties[p] = true;
            }
        }
        for id in &sc.hits.assets {
            if let Some(crate::graph::Ent::Asset(a)) = g.ent(id.as_str()) {
                assets[a] = true;
            }
        }
        // Rule 1: ransomware hits the assets it names, not their locations.
        if !ransomware {
            for (a, loc) in g.asset_location.iter().enumerate() {
                if loc.is_some_and(|l| locations[l]) {
                    assets[a] = true;
                }
            }
        }
        let effect = sc.effect();
        let duration = sc.duration_hours.map_or(0.0, |h| h.get());
        Hit {
            assets: AssetHits::Each(assets),
            locations,
            parties,
            effect,
            ransomware,
            duration,
            location_back: match effect {
                Effect::Destroyed => sc.location_unusable_hours.map_or(NEVER, |h| h.get()),
                Effect::Unavailable => duration,
            },
        }
    }

    /// One asset destroyed, all else intact.
    pub fn single_asset(g: &Graph<'_>, a: usize) -> Hit {
        Hit {
            assets: AssetHits::One(a),
            locations: vec![false; g.plan.locations.len()],
            parties: vec![false; g.plan.parties.len()],
            effect: Effect::Destroyed,
            ransomware: false,
            duration: 0.0,
            location_back: NEVER,
        }
    }

    pub fn asset(&self, a: usize) -> bool {
        match &self.assets {
            AssetHits::Each(v) => v[a],
            AssetHits::One(x) => *x == a,
        }
    }

    pub fn destroyed(&self) -> bool {
        self.effect == Effect::Destroyed
    }
}

/// The latest recovery time of `deps`, and the first that has it (when > 0).
pub fn latest(deps: impl IntoIterator<Item = Node>, r: &impl Fn(Node) -> f64) -> (f64, Option<Node>) {
    let mut best = (0.0, None);
    for d in deps {
        let t = r(d);
        if t > best.0 {
            best = (t, Some(d));
        }
    }
    best
}

fn waits(t: f64, on: Option<Node>) -> (f64, Because) {
    match on {
        Some(n) if t > 0.0 => (t, Because::WaitsFor(n)),
        _ => (0.0, Because::Up),
    }
}

/// Rule 2, for a party.
pub fn party(hit: &Hit, p: usize) -> f64 {
    if !hit.parties[p] {
        0.0
    } else if hit.destroyed() {
        NEVER
    } else {
        hit.duration
    }
}

/// Rule 2, for a hit asset on its own: unavailable until the scenario
/// ends, replaced, rebuilt, or never back.
pub fn hit_asset(g: &Graph<'_>, hit: &Hit, a: usize) -> Because {
    if !hit.destroyed() {
        return Because::Unavailable { until: hit.duration };
    }
    let hours = |h: Option<draaiboek_plan::Hours>| h.map_or(0.0, |h| h.get());
    match &g.plan.assets[a].replacement {
        None => Because::NoReplacement,
        Some(rep) if hit.ransomware => Because::Rebuilt { hours: hours(rep.setup_hours) },
        Some(rep) if rep.strategy == Strategy::None => Because::NoReplacement,
        Some(rep) => Because::Replaced { hours: hours(rep.lead_time_hours) + hours(rep.setup_hours) },
    }
}

/// Rule 2, for an asset.
pub fn asset(g: &Graph<'_>, hit: &Hit, a: usize, r: &impl Fn(Node) -> f64) -> (f64, Because) {
    let (d, on) = latest(g.asset_deps[a].iter().copied(), r);
    if !hit.asset(a) {
        return waits(d, on);
    }
    let own = hit_asset(g, hit, a);
    let t = match own {
        Because::Unavailable { until } => until,
        Because::Replaced { hours } | Because::Rebuilt { hours } => hours,
        _ => NEVER,
    };
    match on {
        Some(n) if d > t => (d, Because::WaitsFor(n)),
        _ => (t, own),
    }
}

/// The outcome of rule 3 for one data set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DataOutcome {
    pub r: f64,
    /// Hours of data lost: `Some(0.0)` when none, `None` when all.
    pub loss: Option<f64>,
    pub backup: Option<usize>,
    pub because: Because,
    /// The restore starts when both the data's and the backup's hardware are back.
    pub restore_start: f64,
}

/// Rule 3.
pub fn data(g: &Graph<'_>, hit: &Hit, d: usize, r: &impl Fn(Node) -> f64) -> DataOutcome {
    let stored = || g.data_stored_on[d].iter().map(|&a| Node::Asset(a));
    let (t, on) = latest(stored(), r);
    let is_hit = g.data_stored_on[d].iter().any(|&a| hit.asset(a));
    if !is_hit || !hit.destroyed() {
        let (r, because) = waits(t, on);
        return DataOutcome { r, loss: Some(0.0), backup: None, because, restore_start: 0.0 };
    }
    let set = &g.plan.data[d];
    let rpo = set.rpo_hours.map(|h| h.get());
    // (end, every, id, index, start, waited on)
    let mut survivors = Vec::new();
    for (i, (b, bg)) in set.backups.iter().zip(&g.backups[d]).enumerate() {
        let survives = bg.location.is_none_or(|l| !hit.locations[l])
            && !bg.stored_on.iter().any(|&a| hit.asset(a))
            && (!hit.ransomware || b.immutable() || b.kind.is_offline());
        if !survives {
            continue;
        }
        let (bt, bon) = latest(bg.stored_on.iter().map(|&a| Node::Asset(a)), r);
        let (start, after) = if bt > t { (bt, bon) } else { (t, on) };
        let end = start + b.restore_hours.get();
        survivors.push((end, b.every_hours.get(), b.id.as_str(), i, start, after));
    }
    let within: Vec<_> = survivors.iter().filter(|s| rpo.is_none_or(|rpo| s.1 <= rpo)).collect();
    let chosen = if !within.is_empty() {
        within.into_iter().min_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)).then(x.2.cmp(y.2)))
    } else {
        survivors.iter().min_by(|x, y| x.1.total_cmp(&y.1).then(x.0.total_cmp(&y.0)).then(x.2.cmp(y.2)))
    };
    match chosen {
        Some(&(end, every, _, i, start, after)) => DataOutcome {
            r: end,
            loss: Some(every),
            backup: Some(i),
            because: Because::Restored { backup: i, after: after.filter(|_| start > 0.0), hours: end - start },
            restore_start: start,
        },
        None => {
            DataOutcome { r: NEVER, loss: None, backup: None, because: Because::NoSurvivingBackup, restore_start: 0.0 }
        }
    }
}

/// Rule 4.
pub fn app(g: &Graph<'_>, hit: &Hit, a: usize, r: &impl Fn(Node) -> f64) -> (f64, Because) {
    let (t, on) = latest(g.app_deps[a].iter().copied(), r);
    let rebuilt = hit.destroyed() && g.app_runs_on[a].iter().any(|&x| hit.asset(x));
    if !rebuilt {
        return waits(t, on);
    }
    let hours = g.plan.applications[a].restore_hours.map_or(0.0, |h| h.get());
    (t + hours, Because::Reinstalled { after: on.filter(|_| t > 0.0), hours })
}

/// Rule 5.
pub fn number(g: &Graph<'_>, hit: &Hit, n: usize, r: &impl Fn(Node) -> f64) -> (f64, Because) {
    let num = &g.plan.telephony[n];
    let provider = g.number_provider[n];
    let provider_hit = provider.is_some_and(|p| hit.parties[p]);
    let carriers = g.number_carried_by[n].iter().map(|&a| Node::Asset(a));
    if num.forward_to.is_none() || provider_hit {
        let (t, on) = latest(carriers.chain(provider.map(Node::Party)), r);
        return waits(t, on);
    }
    let (t, on) = latest(carriers, r);
    let forward = num.forward_minutes.map_or(0.0, |m| m.get()) / 60.0;
    if t > forward { (forward, Because::Forwarded { hours: forward }) } else { waits(t, on) }
}

/// Rule 6: when each process has a place to work. Alternates are shared:
/// processes take desks in order of importance.
pub fn workplaces(g: &Graph<'_>, hit: &Hit) -> Vec<(f64, Workplace)> {
    let plan = g.plan;
    let mut out = vec![(0.0, Workplace::AtOnce); plan.processes.len()];
    let mut free: Vec<(usize, u64)> = g
        .alternates
        .iter()
        .filter(|&&l| !hit.locations[l])
        .map(|&l| (l, plan.locations[l].workplaces.unwrap_or(0) as u64))
        .collect();
    // Earliest first; ties to the lower id.
    free.sort_by(|a, b| {
        let ready = |l: usize| plan.locations[l].ready_within_hours.map_or(0.0, |h| h.get());
        ready(a.0).total_cmp(&ready(b.0)).then(plan.locations[a.0].id.cmp(&plan.locations[b.0].id))
    });
    for &p in &g.process_rank {
        let Some(home) = g.process_location[p] else { continue };
        if !hit.locations[home] || plan.processes[p].remote_capable() {
            continue;
        }
        let need = plan.processes[p].staff_needed() as u64;
        let back = hit.location_back;
        let alt = free.iter_mut().find(|(_, desks)| *desks >= need);
        out[p] = match alt {
            Some((l, desks)) => {
                let ready = plan.locations[*l].ready_within_hours.map_or(0.0, |h| h.get());
                if ready < back {
                    *desks -= need;
                    (ready, Workplace::Alternate(*l))
                } else {
                    (back, Workplace::OwnLocation(home))
                }
            }
            None if back < NEVER => (back, Workplace::OwnLocation(home)),
            None => (NEVER, Workplace::Nowhere(home)),
        };
    }
    out
}

/// Rule 7: a process is back when all it needs is back and it has a place.
pub fn process(g: &Graph<'_>, p: usize, workplace: (f64, Workplace), r: &impl Fn(Node) -> f64) -> (f64, Because) {
    let (t, on) = latest(g.process_needs[p].iter().copied(), r);
    if workplace.0 > t { (workplace.0, Because::Workplace(workplace.1)) } else { waits(t, on) }
}
