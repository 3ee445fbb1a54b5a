//! How fast a change to an incident reaches the people watching it: an
//! incident of 200 checklist items, 10 pages watching it (server-sent
//! events), and one person changing items one after the other. For each
//! change and each watcher: the time until the event arrives, and until the
//! watcher has fetched the changed part of the page (what the page's
//! script does), all on loopback.
//!
//! cargo bench -p draaiboek-web --bench incident [-- CHANGES]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Bench, exchange, pct};
use draaiboek_store::{Incidents, NewIncident, NewItem};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Mutex, mpsc};

const WATCHERS: usize = 10;
const ITEMS: usize = 200;

fn main() {
    let changes: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/northfield-logistics.yaml"))
                .unwrap();
        let bench = Bench::new("incident-bench", "nf", &draaiboek_plan::from_str(&text, "plan").unwrap()).await;
        let items = (0..ITEMS)
            .map(|i| NewItem {
                kind: if i % 4 == 0 { "step".into() } else { "task".into() },
                title: format!("Item {i}: restore or replace what the plan says"),
                owner: Some("claire".into()),
                call: "Kestrel IT Services 0113 496 0100".into(),
                procedure: "Follow the procedure in the plan".into(),
                planned_hours: Some(i as f64),
            })
            .collect();
        let new = NewIncident {
            exercise: false,
            title: "Benchmark".into(),
            scenario: Some("fire-office".into()),
            hits: "{}".into(),
            exercise_id: None,
            by: "bench".into(),
            items,
        };
        bench.store.create_incident(bench.org.id, &new).await.unwrap();
        let (addr, cookie) = bench.serve().await;

        let sent_at = Arc::new(Mutex::new(Instant::now()));
        let (done_tx, mut done_rx) = mpsc::unbounded_channel::<(Duration, Duration)>();
        let mut ready = Vec::new();
        for _ in 0..WATCHERS {
            let cookie = cookie.clone();
            let sent_at = sent_at.clone();
            let done_tx = done_tx.clone();
            let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<()>();
            ready.push(ready_rx);
            tokio::spawn(async move {
                let mut events = TcpStream::connect(addr).await.unwrap();
                let req = format!("GET /o/nf/incidents/1/events HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n");
                events.write_all(req.as_bytes()).await.unwrap();
                let mut page = TcpStream::connect(addr).await.unwrap();
                page.set_nodelay(true).unwrap();
                let fragment =
                    format!("GET /o/nf/incidents/1/live HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n");
                let mut buf = Vec::new();
                let mut page_buf = Vec::new();
                let mut chunk = [0u8; 8192];
                let mut seen = 0;
                let mut ready_tx = Some(ready_tx);
                loop {
                    let n = events.read(&mut chunk).await.unwrap();
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(tx) = ready_tx.take_if(|_| buf.windows(4).any(|w| w == b"\r\n\r\n")) {
                        let _ = tx.send(());
                    }
                    let count = buf.windows(13).filter(|w| w == b"event: change").count();
                    while seen < count {
                        seen += 1;
                        let event = sent_at.lock().await.elapsed();
                        let (status, _) = exchange(&mut page, &mut page_buf, fragment.as_bytes()).await;
                        assert!(status.contains("200"), "{status}");
                        let shown = sent_at.lock().await.elapsed();
                        done_tx.send((event, shown)).unwrap();
                    }
                }
            });
        }
        for r in ready {
            r.await.unwrap();
        }
        let mut writer = TcpStream::connect(addr).await.unwrap();
        writer.set_nodelay(true).unwrap();
        let mut buf = Vec::new();
        let mut events = Vec::new();
        let mut shown = Vec::new();
        let mut posts = Vec::new();
        for k in 0..changes {
            let seq = k % ITEMS + 1;
            let state = if (k / ITEMS).is_multiple_of(2) { "done" } else { "todo" };
            let body = format!("_csrf=csrf&state={state}");
            let req = format!(
                "POST /o/nf/incidents/1/items/{seq} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            *sent_at.lock().await = Instant::now();
            let t = Instant::now();
            let (status, _) = exchange(&mut writer, &mut buf, req.as_bytes()).await;
            assert!(status.contains("303"), "{status}");
            posts.push(t.elapsed());
            for _ in 0..WATCHERS {
                let (e, s) = done_rx.recv().await.unwrap();
                events.push(e);
                shown.push(s);
            }
        }
        posts.sort();
        events.sort();
        shown.sort();
        println!(
            "incident of {ITEMS} items, {WATCHERS} pages watching, {changes} changes one after the other, loopback"
        );
        println!("{:<44} {:>8} {:>8} {:>8} {:>8}", "", "p50 ms", "p90 ms", "p99 ms", "max ms");
        for (name, l) in [
            ("change saved (POST answered)", &posts),
            ("event at every watcher", &events),
            ("changed part fetched by every watcher", &shown),
        ] {
            println!("{name:<44} {:>8.2} {:>8.2} {:>8.2} {:>8.2}", pct(l, 0.5), pct(l, 0.9), pct(l, 0.99), pct(l, 1.0));
        }
    });
}
