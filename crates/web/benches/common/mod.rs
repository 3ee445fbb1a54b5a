//! What both benchmarks need: a store with one organisation's plan in a
//! temporary folder, the server on loopback with a signed-in session, and
//! plain HTTP/1.1 over a socket, so that what is measured is the server.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use draaiboek_store::{Accounts, Db, Org, SqliteStore, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Bench {
    pub store: Arc<SqliteStore>,
    pub org: Org,
    dir: PathBuf,
}

impl Bench {
    /// A new database holding `plan` as organisation `slug`.
    pub async fn new(name: &str, slug: &str, plan: &draaiboek_plan::Plan) -> Self {
        let dir = std::env::temp_dir().join(format!("draaiboek-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = SqliteStore::open(&format!("sqlite://{}", dir.join("bench.db").display())).await.unwrap();
        let rows: Vec<(String, String, String)> =
            draaiboek_plan::split(plan).into_iter().map(|r| (r.kind.to_owned(), r.id, r.body)).collect();
        let org = store.create_org(slug, &plan.organisation.name).await.unwrap();
        store.replace_all(org.id, &rows, "bench").await.unwrap();
        Bench { store: Arc::new(store), org, dir }
    }

    /// Starts the server; returns its address and the cookie of a signed-in
    /// administrator whose anti-forgery token is `csrf`.
    pub async fn serve(&self) -> (std::net::SocketAddr, String) {
        let user = self.store.create_user("bench@example.nl", "Bench", "not used", true).await.unwrap();
        let token = draaiboek_web::token();
        self.store.create_session(&draaiboek_web::token_hash(&token), user.id, "csrf", i64::MAX).await.unwrap();
        let db: Arc<dyn Db> = self.store.clone();
        let app = draaiboek_web::App::new(
            db,
            draaiboek_web::Config {
                secure_cookies: false,
                public_url: String::new(),
                renderer: draaiboek_web::Renderer::InProcess,
                mail: None,
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(draaiboek_web::serve(app, listener));
        (addr, format!("draaiboek_session={token}"))
    }
}

impl Drop for Bench {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Sends `req` and reads one response with a Content-Length into `buf`;
/// returns its status line, lower-cased, and the length of its body.
pub async fn exchange(s: &mut TcpStream, buf: &mut Vec<u8>, req: &[u8]) -> (String, usize) {
    s.write_all(req).await.unwrap();
    buf.clear();
    let mut chunk = [0u8; 64 * 1024];
    loop {
        let n = s.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the server closed the connection");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let len: usize =
                head.lines().find_map(|l| l.strip_prefix("content-length:")).map_or(0, |v| v.trim().parse().unwrap());
            while buf.len() < end + 4 + len {
                let n = s.read(&mut chunk).await.unwrap();
                assert!(n > 0, "the server closed the connection");
                buf.extend_from_slice(&chunk[..n]);
            }
            return (head.lines().next().unwrap_or_default().to_owned(), len);
        }
    }
}

/// The `p` quantile of sorted latencies, in milliseconds.
pub fn pct(l: &[Duration], p: f64) -> f64 {
    let i = ((l.len() as f64 * p).ceil() as usize).clamp(1, l.len()) - 1;
    l[i].as_secs_f64() * 1000.0
}
