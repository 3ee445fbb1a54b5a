//! E-mail, when it is configured: reminders of reviews and exercises that
//! are due, and the news of an activated plan to the call tree. Messages go
//! by plain SMTP to a relay (a local Postfix or msmtp, or the mail server
//! of the network), which takes care of encryption and delivery.

use std::fmt::Write as _;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Where mail goes, and who it is from.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// The relay's host and port, as `localhost:25`.
    pub relay: String,
    pub from: String,
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

async fn reply(r: &mut BufReader<TcpStream>, expect: &[u16]) -> Result<(), String> {
    loop {
        let mut line = String::new();
        let n = r.read_line(&mut line).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the mail relay closed the connection".into());
        }
        let code: u16 = line.get(..3).and_then(|c| c.parse().ok()).ok_or_else(|| format!("mail relay: {line:?}"))?;
        // "250-..." continues, "250 ..." ends.
        if line.as_bytes().get(3) == Some(&b'-') {
            continue;
        }
        return if expect.contains(&code) { Ok(()) } else { Err(format!("mail relay: {}", line.trim_end())) };
    }
}

impl MailConfig {
    /// Sends one message; every address is checked before anything is sent.
    pub async fn send(&self, m: &Message) -> Result<(), String> {
        let from = address(&self.from)?;
        let to: Vec<&str> = m.to.iter().map(|a| address(a)).collect::<Result<_, _>>()?;
        if to.is_empty() {
            return Ok(());
        }
        let stream = tokio::time::timeout(Duration::from_secs(20), TcpStream::connect(&self.relay))
            .await
            .map_err(|_| format!("the mail relay {} does not answer", self.relay))?
            .map_err(|e| format!("cannot reach the mail relay {}: {e}", self.relay))?;
        let mut r = BufReader::new(stream);
        let dialogue = async {
            reply(&mut r, &[220]).await?;
            r.get_mut().write_all(b"EHLO draaiboek\r\n").await.map_err(|e| e.to_string())?;
            reply(&mut r, &[250]).await?;
            r.get_mut().write_all(format!("MAIL FROM:<{from}>\r\n").as_bytes()).await.map_err(|e| e.to_string())?;
            reply(&mut r, &[250]).await?;
            for t in &to {
                r.get_mut().write_all(format!("RCPT TO:<{t}>\r\n").as_bytes()).await.map_err(|e| e.to_string())?;
                reply(&mut r, &[250, 251]).await?;
            }
            r.get_mut().write_all(b"DATA\r\n").await.map_err(|e| e.to_string())?;
            reply(&mut r, &[354]).await?;
            let mut data = String::new();
            let _ = write!(data, "From: Draaiboek <{from}>\r\n");
            let _ = write!(data, "To: {}\r\n", to.join(", "));
            let _ = write!(data, "Subject: {}\r\n", header_text(&m.subject));
            let _ = write!(data, "Date: {}\r\n", rfc5322(crate::now()));
            let _ = write!(data, "Message-ID: <{}@draaiboek>\r\n", &crate::auth::token()[..32]);
            data.push_str("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
            for line in m.body.lines() {
                // A line that starts with a dot gets another (RFC 5321 4.5.2).
                if line.starts_with('.') {
                    data.push('.');
                }
                data.push_str(line);
                data.push_str("\r\n");
            }
            data.push_str(".\r\n");
            r.get_mut().write_all(data.as_bytes()).await.map_err(|e| e.to_string())?;
            reply(&mut r, &[250]).await?;
            r.get_mut().write_all(b"QUIT\r\n").await.map_err(|e| e.to_string())?;
            Ok::<(), String>(())
        };
        tokio::time::timeout(Duration::from_secs(60), dialogue)
            .await
            .map_err(|_| "the mail relay took too long".to_owned())?
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
}
