//! Signing in: argon2id password hashes, sessions kept on the server by a
//! hash of the cookie's token, an anti-forgery token on every form, and
//! failed sign-ins slowed down.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use draaiboek_store::{Session, User};
use sha2::{Digest, Sha256};

use crate::i18n::{L, negotiate};
use crate::{App, now};

pub const SESSION_COOKIE: &str = "draaiboek_session";
/// Carries the anti-forgery token of forms shown before signing in.
pub const FORM_COOKIE: &str = "draaiboek_form";
pub const CSRF_FIELD: &str = "_csrf";
/// How long a session lasts.
pub const SESSION_SECONDS: i64 = 14 * 24 * 3600;
/// The largest request body: a plan file of the largest size the reader
/// takes, sent by someone signed in to the import.
pub const BODY_LIMIT: usize = draaiboek_plan::MAX_FILE_BYTES + 1024 * 1024;
/// The largest body of any other form (axum's own limit for forms): no one
/// makes the server hold 65 MB by posting to the sign-in page.
pub const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// A random token of 32 bytes, as 64 hex digits.
pub fn token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Tokens are kept in the database only as this hash.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hash_password(password: &str) -> String {
    Argon2::default().hash_password(password.as_bytes()).expect("argon2id with default parameters").to_string()
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// A hash to verify against when the account does not exist, so that the
/// answer takes as long either way.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a password of anyone"))
}

/// Equal in time whatever the contents.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool, same_site: &str) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// What the guard found out about the request, for the handlers.
#[derive(Clone)]
pub struct Auth {
    pub session: Option<Session>,
    /// The session's token hash, to end it.
    pub session_hash: Option<String>,
    /// The anti-forgery token for forms shown before signing in.
    pub form_token: Option<String>,
}

/// Runs before every handler: finds the session, and refuses any POST
/// whose anti-forgery token is missing or wrong. Forms send it as the field
/// `_csrf`; file uploads (multipart) in the form's URL.
pub async fn guard(State(app): State<App>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let session_hash = cookie(headers, SESSION_COOKIE).map(|t| token_hash(&t));
    let session = match &session_hash {
        // An unknown or expired session is no session; a database that
        // does not answer is an error, not a reason to sign anyone out.
        Some(h) => match app.db.session(h, now()).await {
            Ok(s) => Some(s),
            Err(draaiboek_store::StoreError::NotFound) => None,
            Err(e) => return crate::pages::internal(negotiate(None, headers), e),
        },
        None => None,
    };
    let form_token = cookie(headers, FORM_COOKIE);
    let l = negotiate(session.as_ref().and_then(|s| s.user.lang.as_deref()), headers);
    let urlencoded = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let mut req = req;
    if req.method() == Method::POST {
        let expected = session.as_ref().map(|s| s.csrf.clone()).or_else(|| form_token.clone());
        let from_query = |q: Option<&str>| {
            q.and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
                .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v))
        };
        let (parts, body) = req.into_parts();
        let import = session.is_some() && parts.uri.path().ends_with("/import");
        let bytes = match axum::body::to_bytes(body, if import { BODY_LIMIT } else { FORM_LIMIT }).await {
            Ok(b) => b,
            Err(_) => {
                let msg = match (import, l.en()) {
                    (true, true) => format!(
                        "The upload is larger than {} MB, more than any plan file; nothing was changed.",
                        draaiboek_plan::MAX_FILE_BYTES >> 20
                    ),
                    (true, false) => format!(
                        "Het bestand is groter dan {} MB, groter dan een planbestand ooit is; er is niets veranderd.",
                        draaiboek_plan::MAX_FILE_BYTES >> 20
                    ),
                    (false, true) => format!("The form is larger than {} MB; nothing was changed.", FORM_LIMIT >> 20),
                    (false, false) => {
                        format!("Het formulier is groter dan {} MB; er is niets veranderd.", FORM_LIMIT >> 20)
                    }
                };
                return crate::pages::error_page(l, StatusCode::PAYLOAD_TOO_LARGE, &msg);
            }
        };
        let sent = if urlencoded {
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                .ok()
                .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v))
        } else {
            from_query(parts.uri.query())
        };
        let ok = matches!((&expected, &sent), (Some(e), Some(s)) if same(e, s));
        if !ok {
            let msg = l.s(
                "This form has expired or did not come from this site, so nothing was changed. Go back, reload the page and try again.",
                "Dit formulier is verlopen of kwam niet van deze site; er is niets veranderd. Ga terug, laad de pagina opnieuw en probeer het nog eens.",
            );
            return crate::pages::error_page(l, StatusCode::FORBIDDEN, msg);
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    req.extensions_mut().insert(Auth { session, session_hash, form_token });
    next.run(req).await
}

/// A signed-in user, for handlers that need one; without a session the
/// request is sent to the sign-in page, and back here after it.
pub struct Ctx {
    pub user: User,
    pub csrf: String,
    pub l: L,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Ctx, Response> {
        let auth = parts.extensions.get::<Auth>().cloned();
        match auth.and_then(|a| a.session) {
            Some(s) => {
                let l = negotiate(s.user.lang.as_deref(), &parts.headers);
                Ok(Ctx { user: s.user, csrf: s.csrf, l })
            }
            None => {
                let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                let next = if parts.method == Method::GET && here != "/" {
                    format!("/login?next={}", urlencode(here))
                } else {
                    "/login".to_owned()
                };
                Err(Redirect::to(&next).into_response())
            }
        }
    }
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|e| e[1..].to_owned()).unwrap_or_default()
}

/// Where to go after signing in: only a path on this site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// Failed sign-ins per account: after five, each further try must wait
/// twice as long as the one before (up to 15 minutes) since the last failure.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

const FREE_TRIES: u32 = 5;

impl Throttle {
    /// How long `key` must still wait before it may try again.
    pub fn wait(&self, key: &str) -> Option<Duration> {
        let map = self.failures.lock().expect("not poisoned");
        let (n, last) = *map.get(key)?;
        if n < FREE_TRIES {
            return None;
        }
        let delay = Duration::from_secs(1u64 << (n - FREE_TRIES).min(10)).min(Duration::from_secs(900));
        delay.checked_sub(last.elapsed()).filter(|d| !d.is_zero())
    }

    pub fn failed(&self, key: &str) {
        let mut map = self.failures.lock().expect("not poisoned");
        // Forget old failures so that the map stays small.
        if map.len() > 10_000 {
            map.retain(|_, (_, last)| last.elapsed() < Duration::from_secs(3600));
        }
        let e = map.entry(key.to_owned()).or_insert((0, Instant::now()));
        *e = (e.0 + 1, Instant::now());
    }

    pub fn succeeded(&self, key: &str) {
        self.failures.lock().expect("not poisoned").remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse battery");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batter", &h));
        assert_ne!(h, hash_password("correct horse battery"), "salted");
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (token(), token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn the_next_page_stays_on_this_site() {
        assert_eq!(safe_next(Some("/o/acme")), "/o/acme");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn failed_sign_ins_are_slowed_down_after_five() {
        let t = Throttle::default();
        for _ in 0..5 {
            assert_eq!(t.wait("a@x.nl"), None);
            t.failed("a@x.nl");
        }
        assert!(t.wait("a@x.nl").is_some());
        assert_eq!(t.wait("b@x.nl"), None, "per account");
        t.succeeded("a@x.nl");
        assert_eq!(t.wait("a@x.nl"), None);
    }
}
