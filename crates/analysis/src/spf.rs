//! SPF001: assets whose loss alone makes a priority-1 process miss its RTO.
//!
//! Re-running the whole model once per asset is quadratic. With one asset
//! destroyed and everything else intact, only the asset's downstream cone
//! can change, so each asset evaluates just that cone, in dependency order,
//! with the same rule functions as a full scenario. Assets that no
//! priority-1 process depends on are skipped outright.

use std::collections::HashMap;

use crate::Analysis;
use crate::graph::Node;
use crate::recovery::{self, Hit, Workplace};

/// (asset, the most important process it delays past its RTO, that
/// process's recovery time), per single point of failure.
pub fn single_points(a: &Analysis<'_>) -> Vec<(usize, usize, f64)> {
    let g = &a.graph;
    let plan = g.plan;
    let watched: Vec<usize> = g
        .process_rank
        .iter()
        .copied()
        .filter(|&p| plan.processes[p].priority == Some(1) && plan.processes[p].rto_hours.is_some())
        .collect();
    if watched.is_empty() {
        return Vec::new();
    }

    // Who uses each node, the reverse of `Graph::deps`.
    let mut users: HashMap<Node, Vec<Node>> = HashMap::new();
    let mut link = |from: Node, to: Node| users.entry(from).or_default().push(to);
    for (i, deps) in g.asset_deps.iter().enumerate() {
        deps.iter().for_each(|&d| link(d, Node::Asset(i)));
    }
    for d in 0..plan.data.len() {
        g.deps(Node::Data(d)).into_iter().for_each(|x| link(x, Node::Data(d)));
    }
    for (i, deps) in g.app_deps.iter().enumerate() {
        deps.iter().for_each(|&d| link(d, Node::App(i)));
    }
    for n in 0..plan.telephony.len() {
        g.deps(Node::Number(n)).into_iter().for_each(|x| link(x, Node::Number(n)));
    }
    for &p in &watched {
        g.process_needs[p].iter().for_each(|&d| link(d, Node::Process(p)));
    }

    // Only assets that some watched process depends on can matter.
    let mut relevant = vec![false; plan.assets.len()];
    let mut stack: Vec<Node> = watched.iter().flat_map(|&p| g.process_needs[p].iter().copied()).collect();
    let mut seen = std::collections::HashSet::new();
    while let Some(n) = stack.pop() {
        if seen.insert(n) {
            if let Node::Asset(i) = n {
                relevant[i] = true;
            }
            stack.extend(g.deps(n));
        }
    }

    // Evaluation order: assets by dependency order, then data, applications,
    // numbers, processes (each layer waits only on earlier ones).
    let mut asset_pos = vec![0usize; plan.assets.len()];
    for (pos, &a) in g.asset_order.iter().enumerate() {
        asset_pos[a] = pos;
    }
    let order_key = |n: Node| match n {
        Node::Asset(i) => (0, asset_pos[i]),
        Node::Party(i) => (0, i),
        Node::Data(i) => (1, i),
        Node::App(i) => (2, i),
        Node::Number(i) => (3, i),
        Node::Process(i) => (4, i),
        Node::Location(i) => (5, i),
    };

    let mut out = Vec::new();
    let mut cone: Vec<Node> = Vec::new();
    let mut in_cone = std::collections::HashSet::new();
    let mut r: HashMap<Node, f64> = HashMap::new();
    for asset in (0..plan.assets.len()).filter(|&a| relevant[a]) {
        cone.clear();
        in_cone.clear();
        r.clear();
        let mut stack = vec![Node::Asset(asset)];
        while let Some(n) = stack.pop() {
            if in_cone.insert(n) {
                cone.push(n);
                if let Some(u) = users.get(&n) {
                    stack.extend(u.iter().copied());
                }
            }
        }
        cone.sort_by_key(|&n| order_key(n));
        let hit = Hit::single_asset(g, asset);
        let mut worst: Option<(usize, f64)> = None;
        for &n in &cone {
            let t = {
                let look = |x: Node| r.get(&x).copied().unwrap_or(0.0);
                match n {
                    Node::Asset(i) => recovery::asset(g, &hit, i, &look).0,
                    Node::Data(i) => recovery::data(g, &hit, i, &look).r,
                    Node::App(i) => recovery::app(g, &hit, i, &look).0,
                    Node::Number(i) => recovery::number(g, &hit, i, &look).0,
                    Node::Process(i) => recovery::process(g, i, (0.0, Workplace::AtOnce), &look).0,
                    Node::Party(_) | Node::Location(_) => 0.0,
                }
            };
            if let Node::Process(p) = n {
                let rto = plan.processes[p].rto_hours.map_or(f64::INFINITY, |h| h.get());
                let better = |(q, _): (usize, f64)| {
                    crate::graph::process_key(plan, p).partial_cmp(&crate::graph::process_key(plan, q))
                        == Some(std::cmp::Ordering::Less)
                };
                if t > rto && worst.is_none_or(better) {
                    worst = Some((p, t));
                }
            }
            if t > 0.0 {
                r.insert(n, t);
            }
        }
        if let Some((p, t)) = worst {
            out.push((asset, p, t));
        }
    }
    out
}
