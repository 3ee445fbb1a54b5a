//! The web application in a real browser: headless Chromium driven through
//! WebDriver (chromedriver), against `draaiboek serve` on loopback.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// chromedriver and its browser session; both end when this is dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    pub downloads: PathBuf,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn call(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    if std::env::var("DRAAIBOEK_TRACE").is_ok() {
        eprintln!("webdriver {method} {path}");
    }
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).unwrap();
    // chromedriver may keep the connection open: read what Content-Length says.
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    let json = loop {
        let n = stream.read(&mut buf).unwrap();
        raw.extend_from_slice(&buf[..n]);
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap()));
            match length {
                Some(len) if raw.len() >= end + 4 + len => {
                    break String::from_utf8_lossy(&raw[end + 4..end + 4 + len]).into_owned();
                }
                None if n == 0 => break String::from_utf8_lossy(&raw[end + 4..]).into_owned(),
                _ => {}
            }
        }
        assert!(n > 0, "chromedriver closed the connection");
    };
    let json = json.as_str();
    let v: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    if let Some(err) = v["value"].get("error") {
        panic!("WebDriver {method} {path}: {err}: {}", v["value"]["message"]);
    }
    v["value"].clone()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium. Fails with what to
    /// install when they are missing.
    pub fn start(scratch: &Path) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is needed for the browser tests: apt-get install chromium chromium-driver");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let downloads = scratch.join("downloads");
        std::fs::create_dir_all(&downloads).unwrap();
        let profile = scratch.join("profile");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-GB",
                         format!("--user-data-dir={}", profile.display())],
                "prefs": {"download.default_directory": downloads.display().to_string(),
                          "download.prompt_for_download": false,
                          "intl.accept_languages": "en-GB,en"}
            }
        }}});
        let v = call(port, "POST", "/session", Some(&caps));
        let session = v["sessionId"].as_str().unwrap().to_owned();
        Browser { driver, port, session, downloads }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        call(self.port, method, &format!("/session/{}{path}", self.session), body.as_ref())
    }

    pub fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.cmd("GET", "/url", None).as_str().unwrap().to_owned()
    }

    /// Waits until the address ends with `tail` (a click's page has loaded).
    pub fn wait_for(&self, tail: &str) {
        let started = Instant::now();
        loop {
            let url = self.url();
            if url.ends_with(tail)
                && self.cmd("POST", "/execute/sync", Some(json!({"script": "return document.readyState", "args": []})))
                    == "complete"
            {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "waited for {tail}, still at {url}: {}", self.text());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the address is no longer `url`.
    pub fn wait_for_change(&self, url: &str) {
        let started = Instant::now();
        while self.url() == url {
            assert!(started.elapsed() < Duration::from_secs(30), "still at {url}");
            std::thread::sleep(Duration::from_millis(50));
        }
        self.wait_for("");
    }

    /// The visible text of the page.
    pub fn text(&self) -> String {
        self.cmd("POST", "/execute/sync", Some(json!({"script": "return document.body.innerText", "args": []})))
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn find(&self, css: &str) -> String {
        let v = self.cmd("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        v[ELEMENT].as_str().unwrap_or_else(|| panic!("{css}: {v}")).to_owned()
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/clear"), Some(json!({})));
        self.cmd("POST", &format!("/element/{e}/value"), Some(json!({ "text": text })));
    }

    /// Runs a script in the page and gives back what it returns.
    pub fn execute(&self, script: &str) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({"script": script, "args": []})))
    }

    /// Chooses a file in an `<input type=file>`.
    pub fn choose_file(&self, css: &str, path: &Path) {
        let e = self.find(css);
        let path = std::fs::canonicalize(path).unwrap();
        self.cmd("POST", &format!("/element/{e}/value"), Some(json!({ "text": path.display().to_string() })));
    }

    pub fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    pub fn size(&self, width: u32, height: u32) {
        self.cmd("POST", "/window/rect", Some(json!({"width": width, "height": height})));
    }

    /// The whole page as PNG.
    pub fn screenshot(&self) -> Vec<u8> {
        let b64 = self.cmd("GET", "/screenshot", None);
        base64(b64.as_str().unwrap())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(|| call(self.port, "DELETE", &format!("/session/{}", self.session), None));
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn base64(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
