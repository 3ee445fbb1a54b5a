//! Writes a generated plan of N assets (benchmark proportions) to standard
//! output, to measure the `draaiboek` command on large plans:
//! `cargo run --release -p draaiboek-analysis --example generate -- 10000 > big.yaml`

fn main() {
    let assets = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let plan = draaiboek_plan::generate::plan(42, draaiboek_plan::generate::Size::benchmark(assets));
    print!("{}", draaiboek_plan::to_yaml(&plan));
}
