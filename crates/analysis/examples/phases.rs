//! Times each phase of `check` on a generated plan of N assets.

use std::time::Instant;

fn main() {
    let assets = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let plan = draaiboek_plan::generate::plan(42, draaiboek_plan::generate::Size::benchmark(assets));
    let yaml = draaiboek_plan::to_yaml(&plan);
    let t = Instant::now();
    let mut parser = yaml_rust2::parser::Parser::new_from_str(&yaml);
    let mut events = 0;
    while parser.next_token().unwrap().0 != yaml_rust2::parser::Event::StreamEnd {
        events += 1;
    }
    println!("  events  {:?} ({events})", t.elapsed());
    let t = Instant::now();
    let tree = draaiboek_plan::yaml::parse(&yaml).unwrap();
    println!("  tree    {:?}", t.elapsed());
    drop(tree);
    let t = Instant::now();
    let plan = draaiboek_plan::from_str(&yaml, "x").unwrap();
    println!("read      {:?}", t.elapsed());
    let t = Instant::now();
    let g = draaiboek_analysis::Graph::new(&plan);
    println!("  graph   {:?}", t.elapsed());
    let t = Instant::now();
    for s in 0..plan.scenarios.len() {
        let t = Instant::now();
        let r = draaiboek_analysis::scenario::evaluate(&g, s);
        if std::env::var_os("PER_SCENARIO").is_some() {
            println!(
                "    {} {:?} hit {} steps {}",
                plan.scenarios[s].kind,
                t.elapsed(),
                r.asset_hit.iter().filter(|h| **h).count(),
                r.steps.len()
            );
        }
    }
    println!("  scen    {:?}", t.elapsed());
    let t = Instant::now();
    let a = draaiboek_analysis::Analysis::new(&plan);
    println!("analyse   {:?}", t.elapsed());
    let t = Instant::now();
    let r = a.check(draaiboek_plan::Date::parse("2026-12-01").unwrap(), draaiboek_plan::Language::En);
    println!("check     {:?} ({} findings)", t.elapsed(), r.findings.len());
}
