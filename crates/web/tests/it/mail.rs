//! E-mail to a real SMTP dialogue: a small relay on loopback, started by
//! the test, takes what the application sends.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use draaiboek_plan::Date;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::client::World;

#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub data: String,
}

/// An SMTP server that accepts everything and keeps it.
async fn relay() -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let inbox: Arc<Mutex<Vec<Received>>> = Arc::default();
    let keep = inbox.clone();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let keep = keep.clone();
            tokio::spawn(async move {
                let mut r = BufReader::new(stream);
                r.get_mut().write_all(b"220 test relay\r\n").await.unwrap();
                let mut to = Vec::new();
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).await.unwrap() == 0 {
                        return;
                    }
                    let upper = line.to_ascii_uppercase();
                    if upper.starts_with("EHLO") {
                        r.get_mut().write_all(b"250-test relay\r\n250 8BITMIME\r\n").await.unwrap();
                    } else if upper.starts_with("RCPT TO:") {
                        to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
                        r.get_mut().write_all(b"250 ok\r\n").await.unwrap();
                    } else if upper.starts_with("DATA") {
                        r.get_mut().write_all(b"354 go on\r\n").await.unwrap();
                        let mut data = String::new();
                        loop {
                            let mut l = String::new();
                            r.read_line(&mut l).await.unwrap();
                            if l == ".\r\n" {
                                break;
                            }
                            data.push_str(&l);
                        }
                        keep.lock().unwrap().push(Received { to: std::mem::take(&mut to), data });
                        r.get_mut().write_all(b"250 queued\r\n").await.unwrap();
                    } else if upper.starts_with("QUIT") {
                        r.get_mut().write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        r.get_mut().write_all(b"250 ok\r\n").await.unwrap();
                    }
                }
            });
        }
    });
    (addr, inbox)
}

fn to_acme(inbox: &Arc<Mutex<Vec<Received>>>) -> Vec<Received> {
    inbox.lock().unwrap().iter().filter(|m| m.to.iter().any(|t| t.ends_with("@acme.nl"))).cloned().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_of_a_due_review_and_an_exercise_go_once_to_owners_and_editors() {
    let (addr, inbox) = relay().await;
    let w = World::with_mail(Some(draaiboek_web::MailConfig { relay: addr, from: "plan@example.nl".into() })).await;
    // The review is due on 20 February 2027; ten days before, it is time.
    let sent = draaiboek_web::reminders::send_due(&w.app, Date::parse("2027-02-10").unwrap()).await.unwrap();
    assert!(sent >= 1);
    let mail = to_acme(&inbox);
    assert_eq!(mail.len(), 1, "{mail:?}");
    let mut to = mail[0].to.clone();
    to.sort();
    assert_eq!(to, ["editor@acme.nl", "owner@acme.nl"], "owners and editors, not viewers");
    assert!(mail[0].data.contains("Subject: Northfield") || mail[0].data.contains("Subject: acme"), "{}", mail[0].data);
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
    let w = World::with_mail(Some(draaiboek_web::MailConfig { relay: addr, from: "plan@example.nl".into() })).await;
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
