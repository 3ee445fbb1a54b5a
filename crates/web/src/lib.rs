//! The web application: organisations keep their plans together in a
//! browser. Server-rendered pages (askama) that work without script; the
//! store behind one trait; every form checked by the plan reader.

mod auth;
mod cache;
mod diff;
mod form;
mod i18n;
mod incident;
mod incident_pages;
mod mail;
mod pages;
pub mod reminders;
mod schema;
mod tel;
mod upkeep;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::routing::{MethodRouter, get, post};
use draaiboek_store::{Db, Invite, Role};

pub use auth::{hash_password, token, token_hash};
pub use mail::{MailConfig, Message, Security as MailSecurity};
pub use pages::render_command;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Send cookies only over HTTPS (behind a reverse proxy that serves it).
    pub secure_cookies: bool,
    /// The address people reach the server at, for the links it prints.
    pub public_url: String,
    pub renderer: Renderer,
    /// E-mail (reminders, activation), when configured.
    pub mail: Option<MailConfig>,
}

/// How PDFs are made.
#[derive(Debug, Clone)]
pub enum Renderer {
    /// In the server's own process.
    InProcess,
    /// By running this `draaiboek` executable (`render`, `card`): the
    /// memory typesetting a long plan takes (a gigabyte for 400 pages) goes
    /// back to the system when it exits, instead of staying with the server.
    Command(std::path::PathBuf),
}

#[derive(Clone)]
pub struct App {
    pub(crate) db: Arc<dyn Db>,
    pub(crate) config: Arc<Config>,
    pub(crate) throttle: Arc<auth::Throttle>,
    pub(crate) cache: Arc<cache::Cache>,
    /// One writer at a time per organisation: a change is checked against
    /// the whole plan, so two changes checked side by side could each be
    /// valid and together not (a reference to what the other deletes).
    writers: Arc<std::sync::Mutex<std::collections::HashMap<i64, Arc<tokio::sync::Mutex<()>>>>>,
    /// One PDF at a time: each takes a core and much memory while it runs.
    pub(crate) renders: Arc<tokio::sync::Semaphore>,
    pub(crate) live: Arc<Live>,
}

/// Who watches which incident, by organisation and incident number: every
/// change is announced to the pages that show it (server-sent events).
#[derive(Default)]
pub(crate) struct Live {
    channels: std::sync::Mutex<std::collections::HashMap<(i64, i64), tokio::sync::broadcast::Sender<i64>>>,
}

impl Live {
    pub(crate) fn subscribe(&self, incident: (i64, i64)) -> tokio::sync::broadcast::Receiver<i64> {
        let mut map = self.channels.lock().expect("not poisoned");
        // Channels nobody listens to any more are dropped here.
        map.retain(|_, tx| tx.receiver_count() > 0);
        map.entry(incident).or_insert_with(|| tokio::sync::broadcast::channel(64).0).subscribe()
    }

    /// Ends every stream of events, so that the pages' connections close.
    pub(crate) fn close_all(&self) {
        self.channels.lock().expect("not poisoned").clear();
    }

    pub(crate) fn announce(&self, incident: (i64, i64), event: i64) {
        if let Some(tx) = self.channels.lock().expect("not poisoned").get(&incident) {
            let _ = tx.send(event);
        }
    }
}

impl App {
    pub fn new(db: Arc<dyn Db>, config: Config) -> App {
        App {
            db,
            config: Arc::new(config),
            throttle: Arc::default(),
            cache: Arc::default(),
            writers: Arc::default(),
            renders: Arc::new(tokio::sync::Semaphore::new(1)),
            live: Arc::default(),
        }
    }

    /// Held while a change to the organisation's plan is checked and stored.
    pub(crate) async fn writing(&self, org: i64) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = self.writers.lock().expect("not poisoned").entry(org).or_default().clone();
        lock.lock_owned().await
    }
}

pub(crate) fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// How long a one-time link to create an account stays valid.
pub const INVITE_SECONDS: i64 = 7 * 24 * 3600;

/// Makes a one-time link that creates an account: an administrator, or a
/// member of `org` with `role`. Returns the link.
pub async fn invite_link(
    db: &dyn Db,
    public_url: &str,
    admin: bool,
    org: Option<(i64, Role)>,
    by: &str,
) -> draaiboek_store::Result<String> {
    let token = auth::token();
    let invite = Invite {
        admin,
        org: org.map(|o| o.0),
        role: org.map(|o| o.1),
        created_by: by.to_owned(),
        expires_at: now() + INVITE_SECONDS,
    };
    db.create_invite(&auth::token_hash(&token), &invite).await?;
    Ok(format!("{}/setup/{token}", public_url.trim_end_matches('/')))
}

/// Every route of the application: its path and what answers it.
fn routes() -> Vec<(&'static str, MethodRouter<App>)> {
    use pages::*;
    vec![
        ("/", get(home)),
        ("/login", get(login_page).post(login)),
        ("/logout", post(logout)),
        ("/logout-everywhere", post(logout_everywhere)),
        ("/setup/{token}", get(setup_page).post(setup)),
        ("/account", get(account_page).post(account)),
        ("/orgs/new", get(new_org_page).post(new_org)),
        ("/users", get(users_page).post(users_invite)),
        ("/assets/{file}", get(asset)),
        ("/o/{org}", get(dashboard)),
        ("/o/{org}/members", get(members_page).post(members)),
        ("/o/{org}/settings", get(settings_page).post(settings_save)),
        ("/o/{org}/s/{section}", get(list)),
        ("/o/{org}/s/{section}/new", get(new_page).post(create)),
        ("/o/{org}/s/{section}/{id}", get(edit_page).post(save)),
        ("/o/{org}/s/{section}/{id}/delete", post(delete)),
        ("/o/{org}/scenario/{id}", get(scenario)),
        // A plan file may be as large as the plan reader takes (64 MiB, and
        // room for the form around it), not only as large as a form (2 MB).
        (
            "/o/{org}/import",
            get(import_page)
                .post(import)
                .layer(axum::extract::DefaultBodyLimit::max(draaiboek_plan::MAX_FILE_BYTES + (1 << 20))),
        ),
        ("/o/{org}/export", get(export)),
        ("/o/{org}/documents", get(documents)),
        ("/o/{org}/download/{file}", get(download)),
        ("/o/{org}/audit", get(audit)),
        ("/o/{org}/versions", get(versions).post(publish)),
        ("/o/{org}/compare", get(compare)),
        ("/o/{org}/incidents", get(incident_pages::incidents).post(incident_pages::activate)),
        ("/o/{org}/incidents/{number}", get(incident_pages::incident_page)),
        ("/o/{org}/incidents/{number}/live", get(incident_pages::incident_live)),
        ("/o/{org}/incidents/{number}/events", get(incident_pages::incident_events)),
        ("/o/{org}/incidents/{number}/items/{seq}", post(incident_pages::change_item)),
        ("/o/{org}/incidents/{number}/log", post(incident_pages::add_log)),
        ("/o/{org}/incidents/{number}/close", post(incident_pages::close)),
        ("/o/{org}/incidents/{number}/report.pdf", get(incident_pages::report)),
        ("/o/{org}/planner", get(upkeep::planner).post(upkeep::planner_change)),
        ("/o/{org}/calendar", get(upkeep::calendar).post(upkeep::calendar_change)),
        ("/o/{org}/review", post(upkeep::review)),
        ("/feed/{file}", get(upkeep::feed)),
    ]
}

/// The paths of every route, for tests that must cover them all.
pub fn route_paths() -> Vec<&'static str> {
    routes().into_iter().map(|(p, _)| p).collect()
}

/// The application with every route, behind the guard that finds the
/// session and refuses forged forms.
pub fn router(app: App) -> Router {
    let mut r = Router::new();
    for (path, handler) in routes() {
        r = r.route(path, handler);
    }
    r.fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(app.clone(), auth::guard))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(app)
}

/// What the browser may do with our pages: scripts, styles and images from
/// this server only, nothing inline; no framing by other sites (a page in
/// a frame could be clicked on unseen); no guessing of content types; and
/// no address with a token in it passed on to another site as referrer.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
    connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

async fn security_headers(mut r: axum::response::Response) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let h = r.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    r
}

/// Serves on `listener` until interrupted (Ctrl-C or SIGTERM); requests
/// under way finish.
pub async fn serve(app: App, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let live = app.live.clone();
    let stop = async move {
        shutdown().await;
        // Pages watching an incident hold their connection open: end those
        // streams, or the server would wait for them forever.
        live.close_all();
    };
    axum::serve(listener, router(app)).with_graceful_shutdown(stop).await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
