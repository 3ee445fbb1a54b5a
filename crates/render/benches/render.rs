//! Rendering the plan document as PDF, fonts included: each example plan,
//! and a generated plan of 1,000 assets.

use criterion::{Criterion, criterion_group, criterion_main};
use draaiboek_analysis::Analysis;
use draaiboek_plan::generate::{Size, plan};
use draaiboek_plan::{Date, Plan};

fn pdf(plan: &Plan, today: Date) -> usize {
    let a = Analysis::new(plan);
    let lang = draaiboek_analysis::language(plan, None);
    let report = a.check(today, lang);
    draaiboek_render::pdf(&draaiboek_render::document(&a, &report, lang, today), today).unwrap().len()
}

fn render(c: &mut Criterion) {
    let today = Date::parse("2026-12-01").unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut group = c.benchmark_group("pdf");
    group.sample_size(10);
    for name in ["accountantskantoor.yaml", "northfield-logistics.yaml"] {
        let text = std::fs::read_to_string(root.join(name)).unwrap();
        let p = draaiboek_plan::from_str(&text, name).unwrap();
        group.bench_function(name, |b| b.iter(|| pdf(&p, today)));
    }
    let big = plan(42, Size::benchmark(1_000));
    group.bench_function("generated-1000-assets", |b| b.iter(|| pdf(&big, today)));
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
