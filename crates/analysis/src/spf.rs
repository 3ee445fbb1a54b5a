//! SPF001: assets whose loss alone makes a priority-1 process miss its RTO.
//!
//! Re-running the whole model once per asset is quadratic. With one asset
//! destroyed and everything else intact, only the asset's downstream cone
//! can change, so each asset evaluates just that cone, in dependency order,
//! with the same rule functions as a full scenario. Assets that no
//! priority-1 process depends on are skipped outright.

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

    // Nodes get dense numbers in evaluation order: assets in dependency
    // order, then data, applications, numbers, processes (each layer waits
    // only on earlier ones); parties and locations never change here.
    let n_assets = plan.assets.len();
    let base_data = n_assets;
    let base_app = base_data + plan.data.len();
    let base_number = base_app + plan.applications.len();
    let base_process = base_number + plan.telephony.len();
    let total = base_process + plan.processes.len();
    let mut asset_pos = vec![0usize; n_assets];
    for (pos, &a) in g.asset_order.iter().enumerate() {
        asset_pos[a] = pos;
    }
    let dense = |n: Node| -> Option<usize> {
        match n {
            Node::Asset(i) => Some(asset_pos[i]),
            Node::Data(i) => Some(base_data + i),
            Node::App(i) => Some(base_app + i),
            Node::Number(i) => Some(base_number + i),
            Node::Process(i) => Some(base_process + i),
            Node::Party(_) | Node::Location(_) => None,
        }
    };
    let mut node_at = vec![Node::Location(0); total];
    for (a, &pos) in asset_pos.iter().enumerate() {
        node_at[pos] = Node::Asset(a);
    }
    for i in 0..plan.data.len() {
        node_at[base_data + i] = Node::Data(i);
    }
    for i in 0..plan.applications.len() {
        node_at[base_app + i] = Node::App(i);
    }
    for i in 0..plan.telephony.len() {
        node_at[base_number + i] = Node::Number(i);
    }
    for i in 0..plan.processes.len() {
        node_at[base_process + i] = Node::Process(i);
    }

    let watched_rank: Vec<usize> = {
        let mut v = vec![usize::MAX; plan.processes.len()];
        for (k, &p) in watched.iter().enumerate() {
            v[p] = k;
        }
        v
    };

    // Who uses each node (the reverse of `Graph::deps`), as adjacency lists
    // in one flat array.
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for (to, &n) in node_at.iter().enumerate() {
        if let Node::Process(p) = n
            && watched_rank[p] == usize::MAX
        {
            continue;
        }
        for d in g.deps(n) {
            if let Some(from) = dense(d) {
                edges.push((from, to));
            }
        }
    }
    edges.sort_unstable();
    edges.dedup();
    let mut start = vec![0usize; total + 1];
    for &(from, _) in &edges {
        start[from + 1] += 1;
    }
    for i in 0..total {
        start[i + 1] += start[i];
    }
    let users: Vec<usize> = edges.iter().map(|&(_, to)| to).collect();

    // Only assets that some watched process depends on can matter.
    let mut relevant = vec![false; n_assets];
    let mut stack: Vec<Node> = watched.iter().flat_map(|&p| g.process_needs[p].iter().copied()).collect();
    let mut seen = vec![false; total];
    while let Some(n) = stack.pop() {
        let Some(i) = dense(n) else { continue };
        if !seen[i] {
            seen[i] = true;
            if let Node::Asset(a) = n {
                relevant[a] = true;
            }
            g.push_deps(n, &mut stack);
        }
    }

    let mut out = Vec::new();
    let mut cone: Vec<usize> = Vec::new();
    let mut in_cone = vec![usize::MAX; total];
    let mut r = vec![0.0f64; total];
    for asset in (0..n_assets).filter(|&a| relevant[a]) {
        cone.clear();
        let root = asset_pos[asset];
        let mut stack = vec![root];
        in_cone[root] = asset;
        while let Some(i) = stack.pop() {
            cone.push(i);
            for &u in &users[start[i]..start[i + 1]] {
                if in_cone[u] != asset {
                    in_cone[u] = asset;
                    stack.push(u);
                }
            }
        }
        cone.sort_unstable();
        let hit = Hit::single_asset(g, asset);
        let mut worst: Option<(usize, f64)> = None;
        for &i in &cone {
            let look = |x: Node| dense(x).map_or(0.0, |j| r[j]);
            let t = match node_at[i] {
                Node::Asset(a) => recovery::asset(g, &hit, a, &look).0,
                Node::Data(d) => recovery::data(g, &hit, d, &look).r,
                Node::App(a) => recovery::app(g, &hit, a, &look).0,
                Node::Number(n) => recovery::number(g, &hit, n, &look).0,
                Node::Process(p) => recovery::process(g, p, (0.0, Workplace::AtOnce), &look).0,
                Node::Party(_) | Node::Location(_) => 0.0,
            };
            r[i] = t;
            if let Node::Process(p) = node_at[i] {
                let rto = plan.processes[p].rto_hours.map_or(f64::INFINITY, |h| h.get());
                // `watched` is in order of importance: keep the first that misses.
                if t > rto && worst.is_none_or(|(q, _)| watched_rank[p] < watched_rank[q]) {
                    worst = Some((p, t));
                }
            }
        }
        for &i in &cone {
            r[i] = 0.0;
        }
        if let Some((p, t)) = worst {
            out.push((asset, p, t));
        }
    }
    out
}
