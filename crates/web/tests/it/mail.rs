//! E-mail to a real SMTP dialogue: small mail servers on loopback, started by
//! the test, take what the application sends.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use draaiboek_plan::Date;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

use crate::client::World;

#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub data: String,
    /// The login given before the message (mechanism, user, password), if any.
    pub login: Option<(String, String, String)>,
    /// Whether the message came over TLS.
    pub encrypted: bool,
}

/// What the test's mail server offers.
#[derive(Clone, Copy, Default)]
struct Offers {
    /// STARTTLS on a plain connection.
    starttls: bool,
    /// TLS from the first byte.
    implicit_tls: bool,
    /// A login, with this mechanism (PLAIN or LOGIN), once encrypted.
    login: Option<&'static str>,
}

type Inbox = Arc<Mutex<Vec<Received>>>;

/// A certificate for `localhost` and its key, and the certificate as PEM to trust.
fn certificate() -> (Arc<rustls::ServerConfig>, String) {
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(signing_key.serialize_der().into());
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], key)
        .unwrap();
    (Arc::new(config), cert.pem())
}

/// An SMTP server that accepts everything and keeps it.
async fn relay() -> (String, Inbox) {
    let (addr, inbox, _) = server(Offers::default()).await;
    (addr, inbox)
}

/// A mail server on loopback offering `offers`; its address, what it
/// received, and the PEM of its certificate.
async fn server(offers: Offers) -> (String, Inbox, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let inbox: Inbox = Arc::default();
    let keep = inbox.clone();
    let (tls, pem) = certificate();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let keep = keep.clone();
            let acceptor = tokio_rustls::TlsAcceptor::from(tls.clone());
            tokio::spawn(async move {
                if offers.implicit_tls {
                    let Ok(tls) = acceptor.accept(stream).await else { return };
                    let mut r = BufReader::new(tls);
                    r.get_mut().write_all(b"220 test server\r\n").await.unwrap();
                    dialogue(&mut r, offers, true, &keep).await;
                } else {
                    let mut r = BufReader::new(stream);
                    r.get_mut().write_all(b"220 test server\r\n").await.unwrap();
                    if dialogue(&mut r, offers, false, &keep).await {
                        let Ok(tls) = acceptor.accept(r.into_inner()).await else { return };
                        dialogue(&mut BufReader::new(tls), offers, true, &keep).await;
                    }
                }
            });
        }
    });
    (addr, inbox, pem)
}

/// One side of an SMTP conversation; true when the client asked for STARTTLS.
async fn dialogue<S: AsyncRead + AsyncWrite + Unpin>(
    r: &mut BufReader<S>,
    offers: Offers,
    encrypted: bool,
    keep: &Inbox,
) -> bool {
    let mut to = Vec::new();
    let mut login = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.unwrap_or(0) == 0 {
            return false;
        }
        let upper = line.to_ascii_uppercase();
        let w = r.get_mut();
        if upper.starts_with("EHLO") {
            let mut caps = String::from("250-test server\r\n");
            if offers.starttls && !encrypted {
                caps.push_str("250-STARTTLS\r\n");
            }
            if let Some(m) = offers.login.filter(|_| encrypted) {
                caps.push_str(&format!("250-AUTH {m}\r\n"));
            }
            caps.push_str("250 8BITMIME\r\n");
            w.write_all(caps.as_bytes()).await.unwrap();
        } else if upper.starts_with("STARTTLS") && offers.starttls && !encrypted {
            w.write_all(b"220 go ahead\r\n").await.unwrap();
            return true;
        } else if upper.starts_with("AUTH PLAIN ") && offers.login == Some("PLAIN") {
            let decoded = decode64(line[11..].trim());
            let parts: Vec<&str> = decoded.split('\0').collect();
            login = Some(("PLAIN".to_owned(), parts[1].to_owned(), parts[2].to_owned()));
            let ok = parts[2] == "right password";
            w.write_all(if ok { b"235 welcome\r\n" } else { b"535 wrong\r\n" }).await.unwrap();
        } else if upper.starts_with("AUTH LOGIN") && offers.login == Some("LOGIN") {
            w.write_all(b"334 VXNlcm5hbWU6\r\n").await.unwrap();
            let mut user = String::new();
            r.read_line(&mut user).await.unwrap();
            r.get_mut().write_all(b"334 UGFzc3dvcmQ6\r\n").await.unwrap();
            let mut password = String::new();
            r.read_line(&mut password).await.unwrap();
            let (user, password) = (decode64(user.trim()), decode64(password.trim()));
            let ok = password == "right password";
            login = Some(("LOGIN".to_owned(), user, password));
            r.get_mut().write_all(if ok { b"235 welcome\r\n" } else { b"535 wrong\r\n" }).await.unwrap();
        } else if upper.starts_with("RCPT TO:") {
            to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
            w.write_all(b"250 ok\r\n").await.unwrap();
        } else if upper.starts_with("DATA") {
            w.write_all(b"354 go on\r\n").await.unwrap();
            let mut data = String::new();
            loop {
                let mut l = String::new();
                r.read_line(&mut l).await.unwrap();
                if l == ".\r\n" {
                    break;
                }
                data.push_str(&l);
            }
            let received = Received { to: std::mem::take(&mut to), data, login: login.clone(), encrypted };
            keep.lock().unwrap().push(received);
            r.get_mut().write_all(b"250 queued\r\n").await.unwrap();
        } else if upper.starts_with("QUIT") {
            w.write_all(b"221 bye\r\n").await.unwrap();
            return false;
        } else if upper.starts_with("MAIL FROM:") && offers.login.is_some() && login.is_none() {
            w.write_all(b"530 log in first\r\n").await.unwrap();
        } else {
            w.write_all(b"250 ok\r\n").await.unwrap();
        }
    }
}

fn decode64(s: &str) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| *c != b'=') {
        bits = (bits << 6) | A.iter().position(|a| *a == c).unwrap() as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    String::from_utf8(out).unwrap()
}

fn to_acme(inbox: &Inbox) -> Vec<Received> {
    inbox.lock().unwrap().iter().filter(|m| m.to.iter().any(|t| t.ends_with("@acme.nl"))).cloned().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_of_a_due_review_and_an_exercise_go_once_to_owners_and_editors() {
    let (addr, inbox) = relay().await;
    let w = World::with_mail(Some(draaiboek_web::MailConfig::new(&addr, "plan@example.nl").unwrap())).await;
    // The review is due on 20 February 2027; ten days before, it is time.
    let sent = draaiboek_web::reminders::send_due(&w.app, Date::parse("2027-02-10").unwrap()).await.unwrap();
    assert!(sent >= 1);
    let mail = to_acme(&inbox);
    assert_eq!(mail.len(), 1, "{mail:?}");
    let mut to = mail[0].to.clone();
    to.sort();
    assert_eq!(to, ["editor@acme.nl", "owner@acme.nl"], "owners and editors, not viewers");
    let subject = "Subject: acme: the calamity plan is due for review on 20 February 2027\r\n";
    assert!(mail[0].data.contains(subject), "{}", mail[0].data);
    assert!(mail[0].data.contains("due for review on 20 February 2027"), "{}", mail[0].data);
    assert!(mail[0].data.contains("Content-Type: text/plain; charset=utf-8"));
    // Not again.
    draaiboek_web::reminders::send_due(&w.app, Date::parse("2027-02-11").unwrap()).await.unwrap();
    assert_eq!(to_acme(&inbox).len(), 1);
    // The full exercise of 20 March 2027, five days before.
    draaiboek_web::reminders::send_due(&w.app, Date::parse("2027-03-15").unwrap()).await.unwrap();
    let mail = to_acme(&inbox);
    assert!(mail.iter().any(|m| m.data.contains("ex-2027-full") && m.data.contains("20 March 2027")), "{mail:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activating_the_plan_mails_the_call_tree() {
    let (addr, inbox) = relay().await;
    let w = World::with_mail(Some(draaiboek_web::MailConfig::new(&addr, "plan@example.nl").unwrap())).await;
    let mut c = w.client("editor@acme.nl").await;
    c.get("/o/acme/incidents").await;
    let r = c.post("/o/acme/incidents", &[("scenario", "ransomware")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let started = std::time::Instant::now();
    let mail = loop {
        let got: Vec<Received> =
            inbox.lock().unwrap().iter().filter(|m| m.data.contains("activated")).cloned().collect();
        if !got.is_empty() {
            break got;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no mail arrived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let m = &mail[0];
    let text = &m.data;
    assert!(text.contains("the calamity plan is activated: Ransomware"), "{text}");
    assert!(text.contains("/o/acme/incidents/2"), "with the link: {text}");
    assert!(text.contains("The call tree:"), "{text}");
    assert!(m.to.len() >= 2, "everyone in the call tree with an address: {:?}", m.to);
}

fn message() -> draaiboek_web::Message {
    draaiboek_web::Message {
        to: vec!["claire@acme.nl".into()],
        subject: "Review due".into(),
        body: "The plan is due for review.".into(),
    }
}

/// Mail by name (`localhost`, which the certificate is for) to the test
/// server at `addr`, trusting `pem` when given, logged in with `password`.
fn login_config(
    addr: &str,
    security: draaiboek_web::MailSecurity,
    pem: Option<&str>,
    password: &str,
) -> draaiboek_web::MailConfig {
    let port = addr.rsplit_once(':').unwrap().1;
    let mut config =
        draaiboek_web::MailConfig::new(&format!("localhost:{port}"), "plan@acme.nl").unwrap().with_security(security);
    if let Some(pem) = pem {
        config = config.trusting(pem.as_bytes()).unwrap();
    }
    config.with_login("plan@acme.nl", password).unwrap()
}

fn logged_in(mechanism: &str) -> Option<(String, String, String)> {
    Some((mechanism.into(), "plan@acme.nl".into(), "right password".into()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submission_server_gets_the_mail_after_starttls_and_a_login() {
    let (addr, inbox, pem) = server(Offers { starttls: true, login: Some("PLAIN"), ..Offers::default() }).await;
    let config = login_config(&addr, draaiboek_web::MailSecurity::StartTls, Some(&pem), "right password");
    config.send(&message()).await.unwrap();
    let got = inbox.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert!(got[0].encrypted, "the message went after STARTTLS");
    assert_eq!(got[0].login, logged_in("PLAIN"));
    assert!(got[0].data.contains("Subject: Review due"));

    // A wrong password: refused, and said so.
    let wrong = login_config(&addr, draaiboek_web::MailSecurity::StartTls, Some(&pem), "wrong");
    let e = wrong.send(&message()).await.unwrap_err();
    assert!(e.contains("the login was refused") && e.contains("535"), "{e}");
    assert_eq!(inbox.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implicit_tls_and_the_login_mechanism() {
    let (addr, inbox, pem) = server(Offers { implicit_tls: true, login: Some("LOGIN"), ..Offers::default() }).await;
    let config = login_config(&addr, draaiboek_web::MailSecurity::Tls, Some(&pem), "right password");
    config.send(&message()).await.unwrap();
    let got = inbox.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert!(got[0].encrypted);
    assert_eq!(got[0].login, logged_in("LOGIN"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_certificate_or_a_missing_starttls_stops_the_mail() {
    // The server's certificate is signed by nobody the web trusts.
    let (addr, inbox, _) = server(Offers { starttls: true, login: Some("PLAIN"), ..Offers::default() }).await;
    let config = login_config(&addr, draaiboek_web::MailSecurity::StartTls, None, "right password");
    let e = config.send(&message()).await.unwrap_err();
    assert!(e.contains("no secure connection") && e.contains("certificate"), "{e}");

    // STARTTLS asked for, not offered: nothing goes in clear.
    let (addr, _, _) = server(Offers::default()).await;
    let config = draaiboek_web::MailConfig::new(&addr, "plan@acme.nl")
        .unwrap()
        .with_security(draaiboek_web::MailSecurity::StartTls);
    let e = config.send(&message()).await.unwrap_err();
    assert!(e.contains("does not offer STARTTLS"), "{e}");
    assert!(inbox.lock().unwrap().is_empty());
}
