//! One scenario evaluated: the recovery time of everything, the objectives
//! missed, and the recovery steps in order (rule 8).

use crate::graph::{Graph, Node};
use crate::recovery::{self, Because, DataOutcome, Hit, NEVER, Workplace};

#[derive(Debug, Clone, PartialEq)]
pub struct ProcessOutcome {
    pub r: f64,
    pub because: Because,
    pub workplace: (f64, Workplace),
    pub misses_rto: Option<bool>,
    pub misses_mtpd: Option<bool>,
    pub cost_eur: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    ReplaceAsset,
    RebuildAsset,
    FindReplacement,
    RestoreData,
    ReinstallApplication,
    ForwardNumber,
    MoveToAlternate,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::ReplaceAsset,
        Action::RebuildAsset,
        Action::FindReplacement,
        Action::RestoreData,
        Action::ReinstallApplication,
        Action::ForwardNumber,
        Action::MoveToAlternate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::ReplaceAsset => "replace_asset",
            Action::RebuildAsset => "rebuild_asset",
            Action::FindReplacement => "find_replacement",
            Action::RestoreData => "restore_data",
            Action::ReinstallApplication => "reinstall_application",
            Action::ForwardNumber => "forward_number",
            Action::MoveToAlternate => "move_to_alternate",
        }
    }
}

/// One thing to do, with its earliest start and end.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub action: Action,
    /// The asset, data set, application, number, or (for a move) the alternate location.
    pub target: Node,
    /// For a restore: the backup used (index in the data set).
    pub backup: Option<usize>,
    pub start: f64,
    /// `NEVER` when the plan gives no time (no replacement).
    pub end: f64,
    /// The most important process that waits on this step.
    pub for_process: Option<usize>,
    /// For a move: the processes that move, most important first.
    pub processes: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct ScenarioResult {
    pub scenario: usize,
    pub asset_hit: Vec<bool>,
    pub assets: Vec<(f64, Because)>,
    pub parties: Vec<f64>,
    pub data: Vec<DataOutcome>,
    pub apps: Vec<(f64, Because)>,
    pub numbers: Vec<(f64, Because)>,
    pub processes: Vec<ProcessOutcome>,
    pub steps: Vec<Step>,
}

impl ScenarioResult {
    /// `R(node)`.
    pub fn r(&self, node: Node) -> f64 {
        match node {
            Node::Asset(i) => self.assets[i].0,
            Node::Party(i) => self.parties[i],
            Node::Data(i) => self.data[i].r,
            Node::App(i) => self.apps[i].0,
            Node::Number(i) => self.numbers[i].0,
            Node::Process(i) => self.processes[i].r,
            Node::Location(_) => 0.0,
        }
    }

    pub fn because(&self, node: Node) -> Because {
        match node {
            Node::Asset(i) => self.assets[i].1,
            Node::Party(i) if self.parties[i] > 0.0 => Because::PartyHit,
            Node::Party(_) | Node::Location(_) => Because::Up,
            Node::Data(i) => self.data[i].because,
            Node::App(i) => self.apps[i].1,
            Node::Number(i) => self.numbers[i].1,
            Node::Process(i) => self.processes[i].because,
        }
    }

    /// The chain of what `node` waited on, starting with itself.
    pub fn chain(&self, node: Node) -> Vec<(Node, f64, Because)> {
        let mut out = Vec::new();
        let mut at = Some(node);
        while let Some(n) = at {
            let because = self.because(n);
            out.push((n, self.r(n), because));
            at = match because {
                Because::WaitsFor(next) => Some(next),
                Because::Restored { after, .. } | Because::Reinstalled { after, .. } => after,
                _ => None,
            };
            // Chains follow dependencies, which are acyclic in a valid plan.
            if out.len() > 10_000 {
                break;
            }
        }
        out
    }
}

/// Evaluates one scenario of the plan.
pub fn evaluate(g: &Graph<'_>, s: usize) -> ScenarioResult {
    let plan = g.plan;
    let hit = Hit::for_scenario(g, s);
    let parties: Vec<f64> = (0..plan.parties.len()).map(|p| recovery::party(&hit, p)).collect();
    let mut assets = vec![(0.0, Because::Up); plan.assets.len()];
    for &a in &g.asset_order {
        let r = |n: Node| match n {
            Node::Asset(i) => assets[i].0,
            Node::Party(i) => parties[i],
            _ => 0.0,
        };
        assets[a] = recovery::asset(g, &hit, a, &r);
    }
    let base = |n: Node| match n {
        Node::Asset(i) => assets[i].0,
        Node::Party(i) => parties[i],
        _ => 0.0,
    };
    let data: Vec<DataOutcome> = (0..plan.data.len()).map(|d| recovery::data(g, &hit, d, &base)).collect();
    let with_data = |n: Node| match n {
        Node::Data(i) => data[i].r,
        other => base(other),
    };
    let apps: Vec<(f64, Because)> =
        (0..plan.applications.len()).map(|a| recovery::app(g, &hit, a, &with_data)).collect();
    let numbers: Vec<(f64, Because)> =
        (0..plan.telephony.len()).map(|n| recovery::number(g, &hit, n, &with_data)).collect();
    let all = |n: Node| match n {
        Node::App(i) => apps[i].0,
        Node::Number(i) => numbers[i].0,
        other => with_data(other),
    };
    let places = recovery::workplaces(g, &hit);
    let processes = plan
        .processes
        .iter()
        .enumerate()
        .map(|(p, pr)| {
            let (r, because) = recovery::process(g, p, places[p], &all);
            ProcessOutcome {
                r,
                because,
                workplace: places[p],
                misses_rto: pr.rto_hours.map(|h| r > h.get()),
                misses_mtpd: pr.mtpd_hours.map(|h| r > h.get()),
                cost_eur: pr.cost_per_hour_eur.filter(|_| r < NEVER).map(|c| r * c),
            }
        })
        .collect();
    let asset_hit = (0..plan.assets.len()).map(|a| hit.asset(a)).collect();
    let mut result =
        ScenarioResult { scenario: s, asset_hit, assets, parties, data, apps, numbers, processes, steps: Vec::new() };
    let rank = Rank::new(g, &result);
    result.steps = steps(g, &hit, &result, &rank);
    result
}

/// Per node, the rank of the most important process that waits on it in
/// this scenario.
pub struct Rank {
    asset: Vec<usize>,
    data: Vec<usize>,
    app: Vec<usize>,
    number: Vec<usize>,
}

pub const UNRANKED: usize = usize::MAX;

impl Rank {
    /// Walks what each process waits on, most important first; a node
    /// already reached keeps its better rank and is not walked again. What a
    /// scenario routes around is not waited on: a forwarded number does not
    /// wait for its telephone system, restored data not for the hardware of
    /// the backups it was not restored from.
    pub fn new(g: &Graph<'_>, res: &ScenarioResult) -> Rank {
        let plan = g.plan;
        let mut rank = Rank {
            asset: vec![UNRANKED; plan.assets.len()],
            data: vec![UNRANKED; plan.data.len()],
            app: vec![UNRANKED; plan.applications.len()],
            number: vec![UNRANKED; plan.telephony.len()],
        };
        let mut stack = Vec::new();
        for (pos, &p) in g.process_rank.iter().enumerate() {
            stack.extend(g.process_needs[p].iter().copied());
            while let Some(n) = stack.pop() {
                let slot = match n {
                    Node::Asset(i) => &mut rank.asset[i],
                    Node::Data(i) => &mut rank.data[i],
                    Node::App(i) => &mut rank.app[i],
                    Node::Number(i) => &mut rank.number[i],
                    _ => continue,
                };
                if *slot != UNRANKED {
                    continue;
                }
                *slot = pos;
                match (n, res.because(n)) {
                    (Node::Number(_), Because::Forwarded { .. }) => {}
                    (Node::Data(d), because) => {
                        stack.extend(g.data_stored_on[d].iter().map(|&a| Node::Asset(a)));
                        if let Because::Restored { backup, .. } = because {
                            stack.extend(g.backups[d][backup].stored_on.iter().map(|&a| Node::Asset(a)));
                        }
                    }
                    _ => g.push_deps(n, &mut stack),
                }
            }
        }
        rank
    }

    pub fn of(&self, n: Node) -> usize {
        match n {
            Node::Asset(i) => self.asset[i],
            Node::Data(i) => self.data[i],
            Node::App(i) => self.app[i],
            Node::Number(i) => self.number[i],
            _ => UNRANKED,
        }
    }
}

fn steps(g: &Graph<'_>, hit: &Hit, res: &ScenarioResult, rank: &Rank) -> Vec<Step> {
    let plan = g.plan;
    let mut out = Vec::new();
    let step = |action, target, start, end| Step {
        action,
        target,
        backup: None,
        start,
        end,
        for_process: None,
        processes: Vec::new(),
    };
    for a in (0..plan.assets.len()).filter(|&a| res.asset_hit[a]) {
        let (action, end) = match recovery::hit_asset(g, hit, a) {
            Because::Replaced { hours } => (Action::ReplaceAsset, hours),
            Because::Rebuilt { hours } => (Action::RebuildAsset, hours),
            Because::NoReplacement => (Action::FindReplacement, NEVER),
            // Unavailable: nothing to do but wait.
            _ => continue,
        };
        out.push(step(action, Node::Asset(a), 0.0, end));
    }
    for (d, o) in res.data.iter().enumerate() {
        if let Because::Restored { backup, .. } = o.because {
            let mut s = step(Action::RestoreData, Node::Data(d), o.restore_start, o.r);
            s.backup = Some(backup);
            out.push(s);
        }
    }
    for (a, (r, because)) in res.apps.iter().enumerate() {
        if let Because::Reinstalled { hours, .. } = because {
            out.push(step(Action::ReinstallApplication, Node::App(a), r - hours, *r));
        }
    }
    for (n, (r, because)) in res.numbers.iter().enumerate() {
        if let Because::Forwarded { .. } = because {
            out.push(step(Action::ForwardNumber, Node::Number(n), 0.0, *r));
        }
    }
    for &l in &g.alternates {
        let movers: Vec<usize> = g
            .process_rank
            .iter()
            .copied()
            .filter(|&p| res.processes[p].workplace.1 == Workplace::Alternate(l))
            .collect();
        if let Some(&first) = movers.first() {
            let ready = plan.locations[l].ready_within_hours.map_or(0.0, |h| h.get());
            let mut s = step(Action::MoveToAlternate, Node::Location(l), 0.0, ready);
            s.for_process = Some(first);
            s.processes = movers;
            out.push(s);
        }
    }
    let position: Vec<usize> = {
        let mut v = vec![UNRANKED; plan.processes.len()];
        for (pos, &p) in g.process_rank.iter().enumerate() {
            v[p] = pos;
        }
        v
    };
    for s in &mut out {
        if s.for_process.is_none() {
            let r = rank.of(s.target);
            s.for_process = (r != UNRANKED).then(|| g.process_rank[r]);
        }
    }
    out.sort_by(|x, y| {
        let key = |s: &Step| s.for_process.map_or(UNRANKED, |p| position[p]);
        key(x)
            .cmp(&key(y))
            .then(x.start.total_cmp(&y.start))
            .then(x.end.total_cmp(&y.end))
            .then(x.action.cmp(&y.action))
            .then(g.id(x.target).cmp(g.id(y.target)))
    });
    out
}
