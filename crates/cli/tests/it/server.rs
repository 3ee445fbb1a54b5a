//! The server as a user runs it: `draaiboek serve` in its own process,
//! spoken to over loopback HTTP, and killed without warning.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Server {
    pub child: Child,
    pub base: String,
    /// The first administrator's link, when the server printed one.
    pub setup: Option<String>,
}

impl Server {
    // The child is waited for by `kill` or by `Drop`.
    #[allow(clippy::zombie_processes)]
    pub fn start(data: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_draaiboek"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .env_remove("DRAAIBOEK_PUBLIC_URL")
            .env_remove("DRAAIBOEK_LISTEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut setup = None;
        loop {
            let line = lines.next().expect("the server says where it serves").unwrap();
            if let Some(at) = line.find("/setup/") {
                setup = Some(line[at..].trim().to_owned());
            }
            if let Some(rest) = line.strip_prefix("Draaiboek serves ") {
                let base = rest.split_whitespace().next().unwrap().to_owned();
                // Keep reading what it prints, so that it never blocks on a full pipe.
                std::thread::spawn(move || for _ in lines {});
                return Server { child, base, setup };
            }
        }
    }

    pub fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_owned()
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Response {
    pub status: u16,
    pub body: String,
}

impl Response {
    pub fn csrf(&self) -> String {
        let marker = "name=\"_csrf\" value=\"";
        let at = self.body.find(marker).expect("a form") + marker.len();
        self.body[at..].split('"').next().unwrap().to_owned()
    }
}

/// A browser in miniature: cookies and one request per connection.
#[derive(Default)]
pub struct Http {
    pub addr: String,
    pub cookies: BTreeMap<String, String>,
}

impl Http {
    pub fn new(addr: &str) -> Http {
        Http { addr: addr.to_owned(), cookies: BTreeMap::new() }
    }

    pub fn request(&mut self, method: &str, path: &str, body: Option<&str>) -> std::io::Result<Response> {
        let mut stream = TcpStream::connect(&self.addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        if !self.cookies.is_empty() {
            let c: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req.push_str(&format!("Cookie: {}\r\n", c.join("; ")));
        }
        if let Some(b) = body {
            req.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                b.len()
            ));
        }
        req.push_str("\r\n");
        if let Some(b) = body {
            req.push_str(b);
        }
        stream.write_all(req.as_bytes())?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").ok_or(std::io::ErrorKind::UnexpectedEof)?;
        let mut lines = head.lines();
        let status: u16 = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or(std::io::ErrorKind::InvalidData)?;
        let headers: Vec<(String, String)> =
            lines.filter_map(|l| l.split_once(": ").map(|(k, v)| (k.to_owned(), v.to_owned()))).collect();
        for (k, v) in &headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                let pair = v.split(';').next().unwrap();
                let (name, value) = pair.split_once('=').unwrap();
                if v.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let body = if headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v == "chunked") {
            unchunk(body)
        } else {
            body.to_owned()
        };
        Ok(Response { status, body })
    }

    pub fn get(&mut self, path: &str) -> std::io::Result<Response> {
        self.request("GET", path, None)
    }

    pub fn post(&mut self, path: &str, form: &[(&str, &str)]) -> std::io::Result<Response> {
        let body: Vec<String> = form.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect();
        self.request("POST", path, Some(&body.join("&")))
    }

    /// Creates the first administrator through the printed link, signed in after.
    pub fn set_up_admin(&mut self, setup_path: &str, email: &str, password: &str) {
        let form = self.get(setup_path).unwrap();
        assert_eq!(form.status, 200, "{}", form.body);
        let csrf = form.csrf();
        let r = self
            .post(
                setup_path,
                &[
                    ("_csrf", &csrf),
                    ("name", "Admin"),
                    ("email", email),
                    ("password", password),
                    ("password2", password),
                ],
            )
            .unwrap();
        assert_eq!(r.status, 303, "{}", r.body);
    }

    pub fn sign_in(&mut self, email: &str, password: &str) {
        let csrf = self.get("/login").unwrap().csrf();
        let r = self.post("/login", &[("_csrf", &csrf), ("email", email), ("password", password)]).unwrap();
        assert_eq!(r.status, 303, "{}", r.body);
    }
}

fn unchunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
