//! Load on the web application: an organisation with 2,000 assets, 32
//! connections at once on loopback, each sending its next request as soon
//! as the last is answered (keep-alive). Per page: requests per second and
//! latency percentiles. Bounded: each page is loaded for a fixed time.
//!
//! cargo bench -p draaiboek-web --bench load [-- SECONDS]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Bench, exchange, pct};
use draaiboek_plan::generate::{Size, plan};
use draaiboek_store::Store;
use tokio::net::TcpStream;

const CONNECTIONS: usize = 32;

/// One request whose answer must be 200; returns the body's length.
async fn request(stream: &mut TcpStream, buf: &mut Vec<u8>, req: &[u8]) -> usize {
    let (status, len) = exchange(stream, buf, req).await;
    assert!(status.starts_with("http/1.1 200"), "{status}");
    len
}

struct Result {
    requests: usize,
    seconds: f64,
    latencies: Vec<Duration>,
    bytes: usize,
}

async fn load(addr: std::net::SocketAddr, path: &str, cookie: &str, seconds: f64) -> Result {
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n").into_bytes();
    let req = Arc::new(req);
    // Warm up: the first request of a page builds what is cached.
    let mut s = TcpStream::connect(addr).await.unwrap();
    let bytes = request(&mut s, &mut Vec::new(), &req).await;
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let req = req.clone();
        tasks.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(addr).await.unwrap();
            s.set_nodelay(true).unwrap();
            let mut buf = Vec::new();
            let mut lat = Vec::new();
            while Instant::now() < until {
                let t = Instant::now();
                request(&mut s, &mut buf, &req).await;
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    Result { requests: latencies.len(), seconds, latencies, bytes }
}

fn main() {
    let seconds: f64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10.0);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let generated = plan(7, Size::benchmark(2_000));
        let bench = Bench::new("load", "big", &generated).await;
        let (store, org) = (bench.store.clone(), bench.org.clone());
        store.publish(org.id, "as imported", "bench").await.unwrap();
        let scenario = generated.scenarios[0].id.to_string();
        println!("organisation: {} assets, {} scenarios", generated.assets.len(), generated.scenarios.len(),);
        let (addr, cookie) = bench.serve().await;
        println!("{CONNECTIONS} connections, {seconds} s per page, 2 server threads, loopback");
        println!(
            "{:<28} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "page", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "KB"
        );
        for (name, path) in [
            ("asset list", "/o/big/s/assets".to_owned()),
            ("asset list, sorted, page 5", "/o/big/s/assets?sort=name&dir=desc&page=5".to_owned()),
            ("asset list, searched", "/o/big/s/assets?q=server".to_owned()),
            ("dashboard", "/o/big".to_owned()),
            ("scenario page", format!("/o/big/scenario/{scenario}")),
            ("asset form", format!("/o/big/s/assets/{}", generated.assets[0].id)),
        ] {
            let r = load(addr, &path, &cookie, seconds).await;
            println!(
                "{name:<28} {:>9.0} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>9}",
                r.requests as f64 / r.seconds,
                pct(&r.latencies, 0.50),
                pct(&r.latencies, 0.90),
                pct(&r.latencies, 0.99),
                pct(&r.latencies, 1.0),
                r.bytes / 1024
            );
        }
        // After every change the first dashboard runs the analysis anew.
        let mut cold = Vec::new();
        let mut s = TcpStream::connect(addr).await.unwrap();
        let req = format!("GET /o/big HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n").into_bytes();
        let mut buf = Vec::new();
        for i in 0..20 {
            let current = store.entity(org.id, draaiboek_plan::ORGANISATION_ROW).await.unwrap();
            // A new name each time: a real change that keeps the plan valid.
            let body: String = current
                .body
                .lines()
                .map(
                    |l| if l.starts_with("name:") { format!("name: Big organisation {i}\n") } else { format!("{l}\n") },
                )
                .collect();
            let put = draaiboek_store::Put {
                id: draaiboek_plan::ORGANISATION_ROW,
                kind: "organisation",
                body: &body,
                expected: Some(current.version),
                by: "bench",
            };
            store.put(org.id, put).await.unwrap();
            let t = Instant::now();
            request(&mut s, &mut buf, &req).await;
            cold.push(t.elapsed());
            assert!(String::from_utf8_lossy(&buf).contains("class=\"score\""), "the plan was analysed");
        }
        cold.sort();
        println!(
            "{:<28} {:>9} {:>9.2} {:>9.2} {:>9.2} {:>9.2}   (one at a time, the plan changed before each)",
            "dashboard after a change",
            "",
            pct(&cold, 0.5),
            pct(&cold, 0.9),
            pct(&cold, 0.99),
            pct(&cold, 1.0)
        );
    });
}
