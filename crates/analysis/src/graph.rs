//! The plan compiled to indices: every reference resolved once, assets in
//! dependency order, so that each scenario is one linear pass.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use draaiboek_plan::{BackupPlace, LocationKind, Plan};

/// A fast hash for short ids (the multiply-rotate of rustc's FxHash): the id
/// map is built and read hundreds of thousands of times on a large plan.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // Spread every bit over the whole word (MurmurHash3's finaliser): the
        // map takes its tags from the top bits, and ids often differ only at
        // their end.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// Lists of lists in one flat array: on a large plan a vector of vectors
/// costs a cache miss per list, this one reads straight through.
#[derive(Debug, Clone)]
pub struct Adj<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> Adj<T> {
    fn new<L: IntoIterator<Item = T>>(lists: impl IntoIterator<Item = L>) -> Adj<T> {
        let mut adj = Adj { start: vec![0], items: Vec::new() };
        for list in lists {
            adj.items.extend(list);
            adj.start.push(adj.items.len() as u32);
        }
        adj
    }

    pub fn len(&self) -> usize {
        self.start.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &[T]> {
        (0..self.len()).map(|i| &self[i])
    }
}

impl<T, L: IntoIterator<Item = T>> FromIterator<L> for Adj<T> {
    fn from_iter<I: IntoIterator<Item = L>>(lists: I) -> Adj<T> {
        Adj::new(lists)
    }
}

impl<T> std::ops::Index<usize> for Adj<T> {
    type Output = [T];

    fn index(&self, i: usize) -> &[T] {
        &self.items[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// Something whose recovery time the model computes or waits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    Asset(usize),
    Party(usize),
    Data(usize),
    App(usize),
    Number(usize),
    Process(usize),
    Location(usize),
}

/// An entity of the plan, by kind and index in its section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ent {
    Location(usize),
    Person(usize),
    Department(usize),
    Party(usize),
    Asset(usize),
    Number(usize),
    App(usize),
    Data(usize),
    Backup(usize, usize),
    Process(usize),
    Scenario(usize),
    Task(usize),
    Exercise(usize),
}

pub struct BackupG {
    pub location: Option<usize>,
    pub stored_on: Vec<usize>,
}

pub struct Graph<'p> {
    pub plan: &'p Plan,
    pub ids: IdMap<&'p str, Ent>,
    /// Assets with what they depend on before what depends on them.
    pub asset_order: Vec<usize>,
    pub asset_deps: Adj<Node>,
    pub asset_location: Vec<Option<usize>>,
    pub data_stored_on: Adj<usize>,
    pub backups: Vec<Vec<BackupG>>,
    pub app_runs_on: Adj<usize>,
    /// Everything an application waits on: runs_on, depends_on, data, vendor.
    pub app_deps: Adj<Node>,
    pub number_carried_by: Adj<usize>,
    pub number_provider: Vec<Option<usize>>,
    pub process_needs: Adj<Node>,
    pub process_location: Vec<Option<usize>>,
    /// Alternate locations, by index.
    pub alternates: Vec<usize>,
    /// Processes in order of importance: priority, then RTO, then id.
    pub process_rank: Vec<usize>,
    /// Applications that hold each data set.
    pub data_apps: Vec<Vec<usize>>,
}

impl<'p> Graph<'p> {
    pub fn new(plan: &'p Plan) -> Graph<'p> {
        let mut ids = IdMap::default();
        ids.reserve(plan.assets.len() + plan.data.len() * 2 + plan.applications.len() + plan.people.len() + 64);
        macro_rules! add {
            ($list:expr, $ent:ident) => {
                for (i, e) in $list.iter().enumerate() {
                    ids.entry(e.id.as_str()).or_insert(Ent::$ent(i));
                }
            };
        }
        add!(plan.locations, Location);
        add!(plan.people, Person);
        add!(plan.departments, Department);
        add!(plan.parties, Party);
        add!(plan.assets, Asset);
        add!(plan.telephony, Number);
        add!(plan.applications, App);
        add!(plan.data, Data);
        add!(plan.processes, Process);
        add!(plan.scenarios, Scenario);
        add!(plan.tasks, Task);
        add!(plan.exercises, Exercise);
        for (d, data) in plan.data.iter().enumerate() {
            for (b, backup) in data.backups.iter().enumerate() {
                ids.entry(backup.id.as_str()).or_insert(Ent::Backup(d, b));
            }
        }

        let node = |id: &draaiboek_plan::Id| -> Option<Node> {
            match ids.get(id.as_str())? {
                Ent::Asset(i) => Some(Node::Asset(*i)),
                Ent::Party(i) => Some(Node::Party(*i)),
                Ent::Data(i) => Some(Node::Data(*i)),
                Ent::App(i) => Some(Node::App(*i)),
                Ent::Number(i) => Some(Node::Number(*i)),
                _ => None,
            }
        };
        let nodes = |list: &[draaiboek_plan::Id]| -> Vec<Node> { list.iter().filter_map(node).collect() };
        let assets = |list: &[draaiboek_plan::Id]| -> Vec<usize> {
            list.iter()
                .filter_map(|id| match node(id) {
                    Some(Node::Asset(i)) => Some(i),
                    _ => None,
                })
                .collect()
        };
        let location = |id: &Option<draaiboek_plan::Id>| match id.as_ref().and_then(|i| ids.get(i.as_str())) {
            Some(Ent::Location(l)) => Some(*l),
            _ => None,
        };
        let party = |id: &Option<draaiboek_plan::Id>| match id.as_ref().and_then(|i| ids.get(i.as_str())) {
            Some(Ent::Party(p)) => Some(*p),
            _ => None,
        };

        let asset_deps = Adj::new(plan.assets.iter().map(|a| nodes(&a.depends_on)));
        let asset_order = topo_order(&asset_deps);
        let asset_location = plan.assets.iter().map(|a| location(&a.location)).collect();
        let data_stored_on = Adj::new(plan.data.iter().map(|d| assets(&d.stored_on)));
        let backups = plan
            .data
            .iter()
            .map(|d| {
                d.backups
                    .iter()
                    .map(|b| BackupG {
                        location: match &b.location {
                            BackupPlace::Cloud => None,
                            BackupPlace::Location(id) => location(&Some(id.clone())),
                        },
                        stored_on: assets(&b.stored_on),
                    })
                    .collect()
            })
            .collect();
        let app_runs_on = Adj::new(plan.applications.iter().map(|a| assets(&a.runs_on)));
        let app_deps = plan
            .applications
            .iter()
            .map(|a| {
                let mut v = nodes(&a.runs_on);
                v.extend(nodes(&a.depends_on));
                v.extend(nodes(&a.data));
                v.extend(party(&a.vendor).map(Node::Party));
                v
            })
            .collect();
        let mut data_apps = vec![Vec::new(); plan.data.len()];
        for (a, app) in plan.applications.iter().enumerate() {
            for n in nodes(&app.data) {
                if let Node::Data(d) = n {
                    data_apps[d].push(a);
                }
            }
        }
        let number_carried_by = Adj::new(plan.telephony.iter().map(|n| assets(&n.carried_by)));
        let number_provider = plan.telephony.iter().map(|n| party(&n.provider)).collect();
        let process_needs = Adj::new(plan.processes.iter().map(|p| nodes(&p.needs)));
        let process_location = plan
            .processes
            .iter()
            .map(|p| match p.department.as_ref().and_then(|d| ids.get(d.as_str())) {
                Some(Ent::Department(d)) => location(&plan.departments[*d].location),
                _ => None,
            })
            .collect();
        let alternates = plan
            .locations
            .iter()
            .enumerate()
            .filter(|(_, l)| l.kind == LocationKind::Alternate)
            .map(|(i, _)| i)
            .collect();
        let mut process_rank: Vec<usize> = (0..plan.processes.len()).collect();
        process_rank.sort_by(|&a, &b| process_key(plan, a).partial_cmp(&process_key(plan, b)).expect("no NaN"));

        Graph {
            plan,
            ids,
            asset_order,
            asset_deps,
            asset_location,
            data_stored_on,
            backups,
            app_runs_on,
            app_deps,
            number_carried_by,
            number_provider,
            process_needs,
            process_location,
            alternates,
            process_rank,
            data_apps,
        }
    }

    pub fn id(&self, node: Node) -> &'p str {
        let p = self.plan;
        match node {
            Node::Asset(i) => p.assets[i].id.as_str(),
            Node::Party(i) => p.parties[i].id.as_str(),
            Node::Data(i) => p.data[i].id.as_str(),
            Node::App(i) => p.applications[i].id.as_str(),
            Node::Number(i) => p.telephony[i].id.as_str(),
            Node::Process(i) => p.processes[i].id.as_str(),
            Node::Location(i) => p.locations[i].id.as_str(),
        }
    }

    pub fn ent(&self, id: &str) -> Option<Ent> {
        self.ids.get(id).copied()
    }

    /// What a node waits on, for walking dependency cones.
    pub fn deps(&self, node: Node) -> Vec<Node> {
        let mut out = Vec::new();
        self.push_deps(node, &mut out);
        out
    }

    /// Pushes what a node waits on onto `out`, without allocating.
    pub fn push_deps(&self, node: Node, out: &mut Vec<Node>) {
        let assets = |list: &[usize], out: &mut Vec<Node>| out.extend(list.iter().map(|&a| Node::Asset(a)));
        match node {
            Node::Asset(i) => out.extend_from_slice(&self.asset_deps[i]),
            Node::Data(i) => {
                assets(&self.data_stored_on[i], out);
                for b in &self.backups[i] {
                    assets(&b.stored_on, out);
                }
            }
            Node::App(i) => out.extend_from_slice(&self.app_deps[i]),
            Node::Number(i) => {
                assets(&self.number_carried_by[i], out);
                out.extend(self.number_provider[i].map(Node::Party));
            }
            Node::Process(i) => out.extend_from_slice(&self.process_needs[i]),
            Node::Party(_) | Node::Location(_) => {}
        }
    }
}

/// Sort key of a process's importance: priority, then RTO (absent last), then id.
pub fn process_key(plan: &Plan, p: usize) -> (u32, f64, &str) {
    let pr = &plan.processes[p];
    (pr.priority.unwrap_or(u32::MAX), pr.rto_hours.map_or(f64::INFINITY, |h| h.get()), pr.id.as_str())
}

/// Kahn's algorithm over asset -> asset dependencies. Assets left in a cycle
/// (only in an invalid plan) are appended, so evaluation never stalls.
fn topo_order(deps: &Adj<Node>) -> Vec<usize> {
    let n = deps.len();
    let mut indegree = vec![0usize; n];
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, ds) in deps.iter().enumerate() {
        for d in ds {
            if let Node::Asset(b) = d {
                indegree[a] += 1;
                users[*b].push(a);
            }
        }
    }
    let mut order: Vec<usize> = (0..n).filter(|&a| indegree[a] == 0).collect();
    let mut head = 0;
    while head < order.len() {
        let a = order[head];
        head += 1;
        for &u in &users[a] {
            indegree[u] -= 1;
            if indegree[u] == 0 {
                order.push(u);
            }
        }
    }
    if order.len() < n {
        let mut placed = vec![false; n];
        for &a in &order {
            placed[a] = true;
        }
        order.extend((0..n).filter(|&a| !placed[a]));
    }
    order
}
