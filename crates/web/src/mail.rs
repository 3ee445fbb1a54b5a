//! E-mail, when it is configured: reminders of reviews and exercises that
//! are due, and the news of an activated plan to the call tree. Messages go
//! by SMTP to a relay (a local Postfix, the mail server of the network) or
//! to a provider's submission server (Microsoft 365, Google) with STARTTLS
//! or TLS and a login. Certificates are checked against the web's root
//! certificates, built in, and any of the installation's own.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain SMTP: for a relay on this machine or a trusted network.
    None,
    /// Plain at first, then TLS before anything else is said (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl Security {
    /// The usual protection for a port: TLS on 465, STARTTLS on 587, else none.
    pub fn for_port(port: u16) -> Security {
        match port {
            465 => Security::Tls,
            587 => Security::StartTls,
            _ => Security::None,
        }
    }
}

/// Where mail goes, and who it is from.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// The server's host and port, as `localhost:25` or `smtp.office365.com:587`.
    pub relay: String,
    pub from: String,
    pub security: Security,
    /// User name and password, for servers that want a login.
    login: Option<(String, String)>,
    tls: Arc<rustls::ClientConfig>,
}

impl MailConfig {
    /// Mail through `relay`, protected as is usual for its port.
    pub fn new(relay: &str, from: &str) -> Result<MailConfig, String> {
        let (_, port) = split_host_port(relay)?;
        Ok(MailConfig {
            relay: relay.to_owned(),
            from: address(from)?.to_owned(),
            security: Security::for_port(port),
            login: None,
            tls: tls_config(&[])?,
        })
    }

    pub fn with_security(mut self, security: Security) -> MailConfig {
        self.security = security;
        self
    }

    /// Log in with a user name and password. Refused over a plain connection
    /// to another machine: the password would cross the network readable.
    pub fn with_login(mut self, user: &str, password: &str) -> Result<MailConfig, String> {
        let (host, _) = split_host_port(&self.relay)?;
        let local = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if self.security == Security::None && !local {
            return Err(format!(
                "the mail server {} is reached without encryption, so the password would cross the network readable: use STARTTLS (port 587) or TLS (port 465)",
                self.relay
            ));
        }
        self.login = Some((user.to_owned(), password.to_owned()));
        Ok(self)
    }

    /// Also trust the certificates in this PEM text: a mail server with a
    /// certificate of the organisation's own authority.
    pub fn trusting(mut self, pem: &[u8]) -> Result<MailConfig, String> {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let extra: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<_, _>>()
            .map_err(|e| format!("cannot read the certificates: {e}"))?;
        if extra.is_empty() {
            return Err("no certificate (-----BEGIN CERTIFICATE-----) in the file".into());
        }
        self.tls = tls_config(&extra)?;
        Ok(self)
    }
}

fn tls_config(extra: &[rustls::pki_types::CertificateDer<'static>]) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    for c in extra {
        roots.add(c.clone()).map_err(|e| format!("cannot use the certificate: {e}"))?;
    }
    // ring, not aws-lc: no C++ tool chain to build. Its lack of post-quantum
    // key exchange (the deprecation) does not matter for mail submission.
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// `host:port`, `[::1]:25`: the host (without brackets) and the port.
fn split_host_port(relay: &str) -> Result<(&str, u16), String> {
    let bad = || format!("the mail server must be given as HOST:PORT, as smtp.example.nl:587, not {relay:?}");
    let (host, port) = relay.rsplit_once(':').ok_or_else(bad)?;
    let port = port.parse().map_err(|_| bad())?;
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    if host.is_empty() {
        return Err(bad());
    }
    Ok((host, port))
}

/// One message of plain text.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A header value: as it is in ASCII, else encoded (RFC 2047).
fn header_text(s: &str) -> String {
    if s.is_ascii() && !s.contains(['\r', '\n']) {
        s.to_owned()
    } else {
        format!("=?UTF-8?B?{}?=", base64(s.replace(['\r', '\n'], " ").as_bytes()))
    }
}

/// The date as RFC 5322 wants it, in UTC.
fn rfc5322(unix: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let days = unix.div_euclid(86_400);
    let d = draaiboek_plan::Date::from_unix_days(days);
    let secs = unix.rem_euclid(86_400);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} +0000",
        DAYS[days.rem_euclid(7) as usize],
        d.day(),
        MONTHS[d.month() as usize - 1],
        d.year(),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// An address as it goes in the SMTP envelope; refused when it could break the dialogue.
fn address(a: &str) -> Result<&str, String> {
    let a = a.trim();
    if a.contains(['<', '>', '\r', '\n', ' ']) || !a.contains('@') {
        return Err(format!("not an e-mail address: {a:?}"));
    }
    Ok(a)
}

/// The server's reply: its lines' text when the code is one of `expect`.
async fn reply<S: AsyncRead + AsyncWrite + Unpin>(r: &mut BufReader<S>, expect: &[u16]) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        let n = r.read_line(&mut line).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the mail server closed the connection".into());
        }
        let code: u16 = line.get(..3).and_then(|c| c.parse().ok()).ok_or_else(|| format!("mail server: {line:?}"))?;
        lines.push(line.get(4..).unwrap_or_default().trim_end().to_owned());
        // "250-..." continues, "250 ..." ends.
        if line.as_bytes().get(3) == Some(&b'-') {
            continue;
        }
        return if expect.contains(&code) { Ok(lines) } else { Err(format!("mail server: {}", line.trim_end())) };
    }
}

async fn say<S: AsyncRead + AsyncWrite + Unpin>(r: &mut BufReader<S>, line: &str) -> Result<(), String> {
    r.get_mut().write_all(line.as_bytes()).await.map_err(|e| e.to_string())?;
    r.get_mut().write_all(b"\r\n").await.map_err(|e| e.to_string())
}

/// EHLO, and what the server says it can do (upper case).
async fn hello<S: AsyncRead + AsyncWrite + Unpin>(r: &mut BufReader<S>) -> Result<Vec<String>, String> {
    say(r, "EHLO draaiboek").await?;
    Ok(reply(r, &[250]).await?.into_iter().skip(1).map(|l| l.to_ascii_uppercase()).collect())
}

impl MailConfig {
    /// Sends one message; every address is checked before anything is sent.
    pub async fn send(&self, m: &Message) -> Result<(), String> {
        let from = address(&self.from)?;
        let to: Vec<&str> = m.to.iter().map(|a| address(a)).collect::<Result<_, _>>()?;
        if to.is_empty() {
            return Ok(());
        }
        let data = self.data(m, from, &to);
        let tcp = tokio::time::timeout(Duration::from_secs(20), TcpStream::connect(&self.relay))
            .await
            .map_err(|_| format!("the mail server {} does not answer", self.relay))?
            .map_err(|e| format!("cannot reach the mail server {}: {e}", self.relay))?;
        let dialogue = async {
            match self.security {
                Security::None => {
                    let mut r = BufReader::new(tcp);
                    reply(&mut r, &[220]).await?;
                    let can = hello(&mut r).await?;
                    self.transaction(&mut r, &can, from, &to, &data).await
                }
                Security::Tls => {
                    let mut r = BufReader::new(self.encrypt(tcp).await?);
                    reply(&mut r, &[220]).await?;
                    let can = hello(&mut r).await?;
                    self.transaction(&mut r, &can, from, &to, &data).await
                }
                Security::StartTls => {
                    let mut r = BufReader::new(tcp);
                    reply(&mut r, &[220]).await?;
                    let can = hello(&mut r).await?;
                    if !can.iter().any(|c| c == "STARTTLS") {
                        return Err(format!("the mail server {} does not offer STARTTLS", self.relay));
                    }
                    say(&mut r, "STARTTLS").await?;
                    reply(&mut r, &[220]).await?;
                    // Nothing may follow the 220 before the handshake (RFC 3207).
                    if !r.buffer().is_empty() {
                        return Err("the mail server spoke out of turn after STARTTLS".into());
                    }
                    let mut r = BufReader::new(self.encrypt(r.into_inner()).await?);
                    let can = hello(&mut r).await?;
                    self.transaction(&mut r, &can, from, &to, &data).await
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(60), dialogue)
            .await
            .map_err(|_| "the mail server took too long".to_owned())?
    }

    async fn encrypt(&self, tcp: TcpStream) -> Result<tokio_rustls::client::TlsStream<TcpStream>, String> {
        let (host, _) = split_host_port(&self.relay)?;
        let name = rustls::pki_types::ServerName::try_from(host.to_owned())
            .map_err(|_| format!("{host} is not a name a certificate can be checked against"))?;
        tokio_rustls::TlsConnector::from(self.tls.clone())
            .connect(name, tcp)
            .await
            .map_err(|e| format!("no secure connection to the mail server {}: {e}", self.relay))
    }

    /// Log in when asked to, then hand over the message.
    async fn transaction<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        r: &mut BufReader<S>,
        can: &[String],
        from: &str,
        to: &[&str],
        data: &str,
    ) -> Result<(), String> {
        if let Some((user, password)) = &self.login {
            let mechanisms: Vec<&str> = can
                .iter()
                .filter_map(|c| c.strip_prefix("AUTH").filter(|m| m.starts_with([' ', '='])))
                .flat_map(|m| m[1..].split_whitespace())
                .collect();
            if mechanisms.contains(&"PLAIN") {
                say(r, &format!("AUTH PLAIN {}", base64(format!("\0{user}\0{password}").as_bytes()))).await?;
                reply(r, &[235]).await.map_err(|e| format!("the login was refused: {e}"))?;
            } else if mechanisms.contains(&"LOGIN") {
                say(r, "AUTH LOGIN").await?;
                reply(r, &[334]).await?;
                say(r, &base64(user.as_bytes())).await?;
                reply(r, &[334]).await?;
                say(r, &base64(password.as_bytes())).await?;
                reply(r, &[235]).await.map_err(|e| format!("the login was refused: {e}"))?;
            } else {
                return Err(format!(
                    "the mail server {} offers no login we know (PLAIN or LOGIN){}",
                    self.relay,
                    if self.security == Security::None { "; it may offer one after STARTTLS" } else { "" }
                ));
            }
        }
        say(r, &format!("MAIL FROM:<{from}>")).await?;
        reply(r, &[250]).await?;
        for t in to {
            say(r, &format!("RCPT TO:<{t}>")).await?;
            reply(r, &[250, 251]).await?;
        }
        say(r, "DATA").await?;
        reply(r, &[354]).await?;
        r.get_mut().write_all(data.as_bytes()).await.map_err(|e| e.to_string())?;
        reply(r, &[250]).await?;
        say(r, "QUIT").await?;
        r.get_mut().flush().await.map_err(|e| e.to_string())?;
        Ok(())
    }

    /// The message as it goes after DATA, with the closing dot.
    fn data(&self, m: &Message, from: &str, to: &[&str]) -> String {
        let mut data = String::new();
        let _ = write!(data, "From: Draaiboek <{from}>\r\n");
        let _ = write!(data, "To: {}\r\n", to.join(", "));
        let _ = write!(data, "Subject: {}\r\n", header_text(&m.subject));
        let _ = write!(data, "Date: {}\r\n", rfc5322(crate::now()));
        let _ = write!(data, "Message-ID: <{}@draaiboek>\r\n", &crate::auth::token()[..32]);
        data.push_str(
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
        );
        for line in m.body.lines() {
            // A line that starts with a dot gets another (RFC 5321 4.5.2).
            if line.starts_with('.') {
                data.push('.');
            }
            data.push_str(line);
            data.push_str("\r\n");
        }
        data.push_str(".\r\n");
        data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_dates_are_as_mail_wants_them() {
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(header_text("Plan activated"), "Plan activated");
        assert_eq!(
            header_text("Plan geactiveerd: brand — kantoor"),
            "=?UTF-8?B?UGxhbiBnZWFjdGl2ZWVyZDogYnJhbmQg4oCUIGthbnRvb3I=?="
        );
        assert_eq!(rfc5322(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(rfc5322(1_796_428_800 + 3_723), "Sat, 05 Dec 2026 01:02:03 +0000");
        assert!(address("a@b.nl").is_ok());
        assert!(address("a@b.nl>\r\nRCPT TO:<x@y").is_err());
    }

    #[test]
    fn the_port_says_how_the_connection_is_protected() {
        assert_eq!(MailConfig::new("smtp.office365.com:587", "a@b.nl").unwrap().security, Security::StartTls);
        assert_eq!(MailConfig::new("smtp.gmail.com:465", "a@b.nl").unwrap().security, Security::Tls);
        assert_eq!(MailConfig::new("localhost:25", "a@b.nl").unwrap().security, Security::None);
        assert_eq!(MailConfig::new("[::1]:25", "a@b.nl").unwrap().security, Security::None);
        assert!(MailConfig::new("smtp.example.nl", "a@b.nl").unwrap_err().contains("HOST:PORT"));
        assert!(MailConfig::new("smtp.example.nl:25", "not an address").is_err());
    }

    #[test]
    fn a_password_never_goes_in_clear_to_another_machine() {
        let plain = MailConfig::new("mail.example.nl:25", "a@b.nl").unwrap();
        assert!(plain.with_login("u", "p").unwrap_err().contains("without encryption"));
        assert!(MailConfig::new("localhost:25", "a@b.nl").unwrap().with_login("u", "p").is_ok());
        assert!(MailConfig::new("127.0.0.1:2525", "a@b.nl").unwrap().with_login("u", "p").is_ok());
        let tls = MailConfig::new("mail.example.nl:25", "a@b.nl").unwrap().with_security(Security::StartTls);
        assert!(tls.with_login("u", "p").is_ok());
    }

    #[test]
    fn certificates_to_trust_are_read_or_refused() {
        let c = MailConfig::new("localhost:25", "a@b.nl").unwrap();
        assert!(c.clone().trusting(b"not a certificate").unwrap_err().contains("no certificate"));
    }
}
