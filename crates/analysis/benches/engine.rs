//! Reading, analysing all scenarios, and the full check (with SPF001) of
//! generated plans of 1,000, 10,000 and 100,000 assets, in the proportions
//! of `Size::benchmark`: 1 application and 1 data set per 5 assets, 1
//! process per 20, 20 scenarios.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use draaiboek_analysis::Analysis;
use draaiboek_plan::generate::{Size, plan};
use draaiboek_plan::{Date, Language};

fn engine(c: &mut Criterion) {
    let today = Date::parse("2026-12-01").unwrap();
    for assets in [1_000usize, 10_000, 100_000] {
        let p = plan(42, Size::benchmark(assets));
        let yaml = draaiboek_plan::to_yaml(&p);
        let mut group = c.benchmark_group(format!("{assets}-assets"));
        group.throughput(Throughput::Elements(assets as u64));
        if assets >= 100_000 {
            group.sample_size(10).measurement_time(Duration::from_secs(30));
        } else if assets >= 10_000 {
            group.sample_size(20).measurement_time(Duration::from_secs(10));
        }
        group.bench_function(BenchmarkId::new("read", assets), |b| {
            b.iter(|| draaiboek_plan::from_str(&yaml, "bench.yaml").unwrap())
        });
        group.bench_function(BenchmarkId::new("analyse-all-scenarios", assets), |b| b.iter(|| Analysis::new(&p)));
        group.bench_function(BenchmarkId::new("check", assets), |b| {
            b.iter(|| Analysis::new(&p).check(today, Language::En))
        });
        group.bench_function(BenchmarkId::new("read-and-check", assets), |b| {
            b.iter(|| {
                let plan = draaiboek_plan::from_str(&yaml, "bench.yaml").unwrap();
                Analysis::new(&plan).check(today, Language::En).findings.len()
            })
        });
        group.finish();
    }
}

criterion_group!(benches, engine);
criterion_main!(benches);
