//! The pages. Every handler that shows an organisation first finds it for
//! the signed-in user: an organisation the user may not see does not exist
//! for them (404), whatever the URL.

// Handlers answer with a page either way; boxing the error page buys nothing.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use draaiboek_plan::{Language, ORGANISATION_ROW};
use draaiboek_store::{Conflict, Org, Put, Role, Snapshot, StoreError};
use serde::Deserialize;

use crate::auth::{self, Auth, Ctx, FORM_COOKIE, SESSION_COOKIE, SESSION_SECONDS};
use crate::cache::Loaded;
use crate::form::{self, Values};
use crate::i18n::{L, negotiate};
use crate::schema::{self, Kind, ORGANISATION, SECTIONS, Section};
use crate::{App, now};

type Res = Result<Response, Response>;

// ---------------------------------------------------------------- framing

pub struct Page {
    pub l: L,
    pub title: String,
    pub user: Option<String>,
    pub admin: bool,
    pub csrf: String,
    pub org: Option<OrgNav>,
    pub flash: Option<String>,
}

pub struct OrgNav {
    pub slug: String,
    pub name: String,
    pub here: String,
    pub sections: Vec<(String, String)>,
}

pub(crate) fn page(ctx: &Ctx, title: impl Into<String>) -> Page {
    Page {
        l: ctx.l,
        title: title.into(),
        user: Some(ctx.user.name.clone()),
        admin: ctx.user.admin,
        csrf: ctx.csrf.clone(),
        org: None,
        flash: None,
    }
}

pub(crate) fn org_page(ctx: &Ctx, oc: &OrgCtx, title: impl Into<String>, here: &str) -> Page {
    let mut p = page(ctx, title);
    p.org = Some(OrgNav {
        slug: oc.org.slug.clone(),
        name: oc.org.name.clone(),
        here: here.to_owned(),
        sections: SECTIONS.iter().map(|s| (s.key.to_owned(), s.name(ctx.l).to_owned())).collect(),
    });
    p
}

fn anonymous(l: L, title: impl Into<String>, form_token: &str) -> Page {
    Page { l, title: title.into(), user: None, admin: false, csrf: form_token.to_owned(), org: None, flash: None }
}

#[derive(Template, WebTemplate)]
#[template(path = "message.html")]
struct Message {
    p: Page,
    message: String,
}

pub fn error_page(l: L, status: StatusCode, message: &str) -> Response {
    let title = match status {
        StatusCode::NOT_FOUND => l.s("Not found", "Niet gevonden"),
        StatusCode::FORBIDDEN => l.s("Not allowed", "Niet toegestaan"),
        StatusCode::TOO_MANY_REQUESTS => l.s("Please wait", "Even wachten"),
        s if s.is_server_error() => l.s("Something went wrong", "Er ging iets mis"),
        _ => l.s("Cannot do that", "Dat kan niet"),
    };
    (status, Message { p: anonymous(l, title, ""), message: message.to_owned() }).into_response()
}

pub(crate) fn not_found_page(l: L) -> Response {
    error_page(
        l,
        StatusCode::NOT_FOUND,
        l.s("There is no such page, or you may not see it.", "Deze pagina bestaat niet, of u mag haar niet zien."),
    )
}

pub async fn not_found(headers: HeaderMap) -> Response {
    not_found_page(negotiate(None, &headers))
}

pub(crate) fn forbidden(l: L) -> Response {
    error_page(
        l,
        StatusCode::FORBIDDEN,
        l.s(
            "Your role in this organisation does not allow changes. Ask an owner if you need to edit.",
            "Uw rol in deze organisatie staat geen wijzigingen toe. Vraag een eigenaar als u moet bewerken.",
        ),
    )
}

pub(crate) fn internal(l: L, e: impl std::fmt::Display) -> Response {
    eprintln!("error: {e}");
    error_page(
        l,
        StatusCode::INTERNAL_SERVER_ERROR,
        l.s(
            "The server could not do this. Nothing was changed. Try again; if it keeps happening, tell the administrator.",
            "De server kon dit niet doen. Er is niets veranderd. Probeer het opnieuw; blijft het gebeuren, meld het dan aan de beheerder.",
        ),
    )
}

pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

pub(crate) fn flash(l: L, done: Option<&str>) -> Option<String> {
    Some(
        match done? {
            "saved" => l.s("Saved.", "Opgeslagen."),
            "deleted" => l.s("Deleted.", "Verwijderd."),
            "imported" => l.s("The plan was imported.", "Het plan is geïmporteerd."),
            "published" => l.s("Published.", "Gepubliceerd."),
            "created" => l.s("Created.", "Aangemaakt."),
            "closed" => {
                l.s("The incident is closed. Its report is ready.", "Het incident is afgesloten. Het verslag is klaar.")
            }
            _ => return None,
        }
        .to_owned(),
    )
}

#[derive(Deserialize, Default)]
pub struct Done {
    pub(crate) done: Option<String>,
}

pub struct OrgCtx {
    pub org: Org,
    pub role: Role,
}

impl OrgCtx {
    pub(crate) fn can_edit(&self) -> bool {
        self.role >= Role::Editor
    }
}

/// The organisation for this user, or 404: administrators see all, others
/// only those they are a member of.
pub(crate) async fn org_ctx(app: &App, ctx: &Ctx, slug: &str) -> Result<OrgCtx, Response> {
    let org = match app.db.org(slug).await {
        Ok(o) => o,
        Err(StoreError::NotFound) => return Err(not_found_page(ctx.l)),
        Err(e) => return Err(internal(ctx.l, e)),
    };
    if ctx.user.admin {
        return Ok(OrgCtx { org, role: Role::Owner });
    }
    match app.db.role(ctx.user.id, org.id).await {
        Ok(Some(role)) => Ok(OrgCtx { org, role }),
        Ok(None) => Err(not_found_page(ctx.l)),
        Err(e) => Err(internal(ctx.l, e)),
    }
}

pub(crate) async fn editable(app: &App, ctx: &Ctx, slug: &str) -> Result<OrgCtx, Response> {
    let oc = org_ctx(app, ctx, slug).await?;
    if !oc.can_edit() {
        return Err(forbidden(ctx.l));
    }
    Ok(oc)
}

pub(crate) async fn load(app: &App, l: L, oc: &OrgCtx) -> Result<Arc<Loaded>, Response> {
    app.cache.load(app.db.as_ref(), oc.org.id).await.map_err(|e| internal(l, e))
}

pub(crate) fn lang_of(l: L) -> Language {
    l.0
}

pub(crate) fn when(at: i64, l: L) -> String {
    let day = draaiboek_plan::Date::from_unix_days(at.div_euclid(86_400));
    let secs = at.rem_euclid(86_400);
    format!("{} {:02}:{:02} UTC", draaiboek_render::doc::date(day, lang_of(l)), secs / 3600, secs / 60 % 60)
}

// ---------------------------------------------------------------- assets

const STYLE: &str = include_str!("../assets/style.css");
const ICON: &str = include_str!("../assets/icon.svg");
const INCIDENT_JS: &str = include_str!("../assets/incident.js");
const FORM_JS: &str = include_str!("../assets/form.js");

pub async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let (body, kind) = match file.as_str() {
        "style.css" => (STYLE, "text/css; charset=utf-8"),
        "icon.svg" => (ICON, "image/svg+xml"),
        "incident.js" => (INCIDENT_JS, "text/javascript; charset=utf-8"),
        "form.js" => (FORM_JS, "text/javascript; charset=utf-8"),
        _ => return not_found(headers).await,
    };
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

// ---------------------------------------------------------------- signing in

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    p: Page,
    error: Option<String>,
    next: String,
    email: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The anti-forgery token for forms shown before signing in, and the
/// cookie that carries it when it is new.
fn form_token(auth: &Auth, app: &App) -> (String, Option<HeaderValue>) {
    match &auth.form_token {
        Some(t) => (t.clone(), None),
        None => {
            let t = auth::token();
            let c = auth::set_cookie(FORM_COOKIE, &t, 3600 * 12, app.config.secure_cookies, "Strict");
            (t, HeaderValue::from_str(&c).ok())
        }
    }
}

fn with_cookie(mut r: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(c) = cookie {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

pub async fn login_page(
    State(app): State<App>,
    axum::Extension(auth): axum::Extension<Auth>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    if auth.session.is_some() {
        return see_other(&auth::safe_next(q.next.as_deref()));
    }
    let l = negotiate(None, &headers);
    let (token, cookie) = form_token(&auth, &app);
    let page = LoginPage {
        p: anonymous(l, l.s("Sign in", "Aanmelden"), &token),
        error: None,
        next: auth::safe_next(q.next.as_deref()),
        email: String::new(),
    };
    with_cookie(page.into_response(), cookie)
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

fn session_cookie(app: &App, token: &str, max_age: i64) -> HeaderValue {
    HeaderValue::from_str(&auth::set_cookie(SESSION_COOKIE, token, max_age, app.config.secure_cookies, "Lax"))
        .expect("a cookie of hex digits")
}

async fn start_session(app: &App, user: i64, l: L, to: &str) -> Response {
    let token = auth::token();
    if let Err(e) =
        app.db.create_session(&auth::token_hash(&token), user, &auth::token(), now() + SESSION_SECONDS).await
    {
        return internal(l, e);
    }
    let mut r = see_other(to);
    r.headers_mut().append(header::SET_COOKIE, session_cookie(app, &token, SESSION_SECONDS));
    r
}

pub async fn login(
    State(app): State<App>,
    axum::Extension(auth): axum::Extension<Auth>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<LoginForm>,
) -> Response {
    let l = negotiate(None, &headers);
    let key = f.email.trim().to_lowercase();
    let next = auth::safe_next(f.next.as_deref());
    let (token, _) = form_token(&auth, &app);
    let again = |status: StatusCode, error: String| {
        let page = LoginPage {
            p: anonymous(l, l.s("Sign in", "Aanmelden"), &token),
            error: Some(error),
            next: next.clone(),
            email: f.email.clone(),
        };
        (status, page).into_response()
    };
    if let Some(wait) = app.throttle.wait(&key) {
        let secs = wait.as_secs().max(1);
        let msg = if l.en() {
            format!("Too many failed attempts. Wait {secs} seconds, then try again.")
        } else {
            format!("Te veel mislukte pogingen. Wacht {secs} seconden en probeer het dan opnieuw.")
        };
        return again(StatusCode::TOO_MANY_REQUESTS, msg);
    }
    let found = app.db.user_by_email(&key).await;
    let (user, hash) = match found {
        Ok((u, h)) => (Some(u), h),
        Err(StoreError::NotFound) => (None, auth::dummy_hash().to_owned()),
        Err(e) => return internal(l, e),
    };
    let password = f.password.clone();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash)).await.unwrap_or(false);
    match user {
        Some(user) if ok => {
            app.throttle.succeeded(&key);
            start_session(&app, user.id, l, &next).await
        }
        _ => {
            app.throttle.failed(&key);
            again(
                StatusCode::UNAUTHORIZED,
                l.s("The e-mail address or the password is wrong.", "Het e-mailadres of het wachtwoord klopt niet.")
                    .into(),
            )
        }
    }
}

fn clear_session(app: &App, mut r: Response) -> Response {
    r.headers_mut().append(header::SET_COOKIE, session_cookie(app, "", 0));
    r
}

pub async fn logout(State(app): State<App>, axum::Extension(auth): axum::Extension<Auth>) -> Response {
    if let Some(h) = &auth.session_hash {
        let _ = app.db.delete_session(h).await;
    }
    clear_session(&app, see_other("/login"))
}

pub async fn logout_everywhere(State(app): State<App>, ctx: Ctx) -> Response {
    if let Err(e) = app.db.delete_sessions_of(ctx.user.id).await {
        return internal(ctx.l, e);
    }
    clear_session(&app, see_other("/login"))
}

#[derive(Template, WebTemplate)]
#[template(path = "setup.html")]
struct SetupPage {
    p: Page,
    admin: bool,
    org: Option<String>,
    errors: Vec<String>,
    name: String,
    email: String,
}

fn link_used(l: L) -> Response {
    error_page(
        l,
        StatusCode::NOT_FOUND,
        l.s(
            "This link has been used already or has expired. Ask for a new one.",
            "Deze link is al gebruikt of verlopen. Vraag om een nieuwe.",
        ),
    )
}

pub async fn setup_page(
    State(app): State<App>,
    axum::Extension(auth): axum::Extension<Auth>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let l = negotiate(None, &headers);
    let invite = match app.db.invite(&auth::token_hash(&token), now()).await {
        Ok(i) => i,
        Err(StoreError::NotFound) => return link_used(l),
        Err(e) => return internal(l, e),
    };
    let org = match invite.org {
        Some(id) => app.db.orgs().await.ok().and_then(|os| os.into_iter().find(|o| o.id == id)).map(|o| o.name),
        None => None,
    };
    let (ft, cookie) = form_token(&auth, &app);
    let page = SetupPage {
        p: anonymous(l, l.s("Create your account", "Maak uw account aan"), &ft),
        admin: invite.admin,
        org,
        errors: Vec::new(),
        name: String::new(),
        email: String::new(),
    };
    with_cookie(page.into_response(), cookie)
}

#[derive(Deserialize)]
pub struct SetupForm {
    name: String,
    email: String,
    password: String,
    password2: String,
}

fn password_problems(l: L, password: &str, again: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if password.chars().count() < 10 {
        errors.push(
            l.s("The password needs at least 10 characters.", "Het wachtwoord moet minstens 10 tekens hebben.").into(),
        );
    }
    if password != again {
        errors.push(l.s("The two passwords differ.", "De twee wachtwoorden verschillen.").into());
    }
    errors
}

pub async fn setup(
    State(app): State<App>,
    axum::Extension(auth): axum::Extension<Auth>,
    headers: HeaderMap,
    Path(token): Path<String>,
    axum::Form(f): axum::Form<SetupForm>,
) -> Response {
    let l = negotiate(None, &headers);
    let hash = auth::token_hash(&token);
    let invite = match app.db.invite(&hash, now()).await {
        Ok(i) => i,
        Err(StoreError::NotFound) => return link_used(l),
        Err(e) => return internal(l, e),
    };
    let mut errors = Vec::new();
    if f.name.trim().is_empty() {
        errors.push(l.s("Fill in your name.", "Vul uw naam in.").to_owned());
    }
    let email = f.email.trim();
    if !email.contains('@') || email.contains(char::is_whitespace) {
        errors.push(
            l.s("Fill in an e-mail address, as name@example.nl.", "Vul een e-mailadres in, zoals naam@voorbeeld.nl.")
                .into(),
        );
    }
    errors.extend(password_problems(l, &f.password, &f.password2));
    let mut user = None;
    if errors.is_empty() {
        let password = f.password.clone();
        let pw_hash = match tokio::task::spawn_blocking(move || auth::hash_password(&password)).await {
            Ok(h) => h,
            Err(e) => return internal(l, e),
        };
        match app.db.accept_invite(&hash, now(), email, f.name.trim(), &pw_hash).await {
            Ok(u) => user = Some(u),
            Err(StoreError::Conflict(Conflict::Exists)) => errors.push(
                l.s(
                    "There is an account with this e-mail address already. Sign in with it instead.",
                    "Er is al een account met dit e-mailadres. Meld u daarmee aan.",
                )
                .into(),
            ),
            Err(StoreError::NotFound) => return link_used(l),
            Err(e) => return internal(l, e),
        }
    }
    match user {
        Some(u) => start_session(&app, u.id, l, "/").await,
        None => {
            let (ft, _) = form_token(&auth, &app);
            let page = SetupPage {
                p: anonymous(l, l.s("Create your account", "Maak uw account aan"), &ft),
                admin: invite.admin,
                org: None,
                errors,
                name: f.name,
                email: f.email,
            };
            (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
        }
    }
}

// ---------------------------------------------------------------- account

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
struct AccountPage {
    p: Page,
    name: String,
    email: String,
    lang: String,
    errors: Vec<String>,
}

fn account_view(ctx: &Ctx, errors: Vec<String>, done: Option<&str>) -> AccountPage {
    let mut p = page(ctx, ctx.l.s("Your account", "Uw account"));
    p.flash = flash(ctx.l, done);
    AccountPage {
        p,
        name: ctx.user.name.clone(),
        email: ctx.user.email.clone(),
        lang: ctx.user.lang.clone().unwrap_or_default(),
        errors,
    }
}

pub async fn account_page(ctx: Ctx, Query(d): Query<Done>) -> Response {
    account_view(&ctx, Vec::new(), d.done.as_deref()).into_response()
}

#[derive(Deserialize)]
pub struct AccountForm {
    action: String,
    lang: Option<String>,
    current: Option<String>,
    password: Option<String>,
}

pub async fn account(State(app): State<App>, ctx: Ctx, axum::Form(f): axum::Form<AccountForm>) -> Response {
    let l = ctx.l;
    match f.action.as_str() {
        "lang" => {
            let lang = f.lang.as_deref().filter(|v| Language::parse(v).is_some());
            if let Err(e) = app.db.set_user_lang(ctx.user.id, lang).await {
                return internal(l, e);
            }
            see_other("/account?done=saved")
        }
        "password" => {
            let (current, new) = (f.current.unwrap_or_default(), f.password.unwrap_or_default());
            let hash = match app.db.user_by_email(&ctx.user.email).await {
                Ok((_, h)) => h,
                Err(e) => return internal(l, e),
            };
            let ok = tokio::task::spawn_blocking(move || auth::verify_password(&current, &hash)).await.unwrap_or(false);
            let mut errors = password_problems(l, &new, &new);
            if !ok {
                errors.insert(0, l.s("The current password is wrong.", "Het huidige wachtwoord klopt niet.").into());
            }
            if !errors.is_empty() {
                return (StatusCode::UNPROCESSABLE_ENTITY, account_view(&ctx, errors, None)).into_response();
            }
            let hash = match tokio::task::spawn_blocking(move || auth::hash_password(&new)).await {
                Ok(h) => h,
                Err(e) => return internal(l, e),
            };
            if let Err(e) = app.db.set_password(ctx.user.id, &hash).await {
                return internal(l, e);
            }
            see_other("/account?done=saved")
        }
        _ => error_page(l, StatusCode::BAD_REQUEST, l.s("Unknown action.", "Onbekende actie.")),
    }
}

// ---------------------------------------------------------------- organisations

struct OrgRow {
    slug: String,
    name: String,
    score: String,
    critical: usize,
    review: String,
    review_overdue: bool,
    exercise: String,
    role: String,
    /// Incidents and exercises under way: number, title, exercise.
    active: Vec<(i64, String, bool)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct Home {
    p: Page,
    orgs: Vec<OrgRow>,
}

fn role_label(r: Role, l: L) -> &'static str {
    match r {
        Role::Owner => l.s("owner", "eigenaar"),
        Role::Editor => l.s("editor", "bewerker"),
        Role::Viewer => l.s("viewer", "lezer"),
    }
}

pub async fn home(State(app): State<App>, ctx: Ctx) -> Response {
    let l = ctx.l;
    let orgs: Vec<(Org, Role)> = if ctx.user.admin {
        match app.db.orgs().await {
            Ok(os) => os.into_iter().map(|o| (o, Role::Owner)).collect(),
            Err(e) => return internal(l, e),
        }
    } else {
        match app.db.memberships(ctx.user.id).await {
            Ok(m) => m,
            Err(e) => return internal(l, e),
        }
    };
    let mut rows = Vec::new();
    for (org, role) in orgs {
        let loaded = match app.cache.load(app.db.as_ref(), org.id).await {
            Ok(x) => x,
            Err(e) => return internal(l, e),
        };
        let mut row = OrgRow {
            slug: org.slug.clone(),
            name: org.name.clone(),
            score: "—".into(),
            critical: 0,
            review: "—".into(),
            review_overdue: false,
            exercise: "—".into(),
            role: if ctx.user.admin { l.s("administrator", "beheerder").into() } else { role_label(role, l).into() },
            active: match active_incidents(&app, org.id).await {
                Ok(a) => a,
                Err(e) => return internal(l, e),
            },
        };
        if let (Ok(plan), Some(d)) = (&loaded.plan, loaded.derived(lang_of(l)).await) {
            row.score = d.report.score.overall.map_or("—".into(), |s| s.to_string());
            row.critical =
                d.report.findings.iter().filter(|f| f.check.severity == draaiboek_analysis::Severity::Critical).count();
            let due = draaiboek_render::icalendar::review_due(plan, loaded.today);
            row.review = draaiboek_render::doc::date(due, lang_of(l));
            row.review_overdue = due < loaded.today;
            if let Some(next) = plan
                .exercises
                .iter()
                .filter(|e| e.performed.is_none())
                .filter_map(|e| e.planned)
                .filter(|d| *d >= loaded.today)
                .min()
            {
                row.exercise = draaiboek_render::doc::date(next, lang_of(l));
            }
        }
        rows.push(row);
    }
    Home { p: page(&ctx, l.s("Organisations", "Organisaties")), orgs: rows }.into_response()
}

/// The incidents and exercises of an organisation that are not closed.
async fn active_incidents(app: &App, org: i64) -> Result<Vec<(i64, String, bool)>, StoreError> {
    Ok(app
        .db
        .incidents(org)
        .await?
        .into_iter()
        .filter(|i| i.closed_at.is_none())
        .map(|i| (i.number, i.title, i.exercise))
        .collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "new_org.html")]
struct NewOrg {
    p: Page,
    errors: Vec<String>,
    name: String,
    slug: String,
}

fn admin_only(ctx: &Ctx) -> Result<(), Response> {
    if ctx.user.admin {
        Ok(())
    } else {
        Err(error_page(
            ctx.l,
            StatusCode::FORBIDDEN,
            ctx.l.s("Only an administrator can do this.", "Alleen een beheerder kan dit doen."),
        ))
    }
}

pub async fn new_org_page(ctx: Ctx) -> Res {
    admin_only(&ctx)?;
    Ok(NewOrg {
        p: page(&ctx, ctx.l.s("New organisation", "Nieuwe organisatie")),
        errors: vec![],
        name: "".into(),
        slug: "".into(),
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct NewOrgForm {
    name: String,
    slug: String,
    language: String,
}

pub async fn new_org(State(app): State<App>, ctx: Ctx, axum::Form(f): axum::Form<NewOrgForm>) -> Res {
    admin_only(&ctx)?;
    let l = ctx.l;
    let slug = f.slug.trim().to_lowercase();
    let mut errors = Vec::new();
    if f.name.trim().is_empty() {
        errors.push(l.s("Fill in the name.", "Vul de naam in.").to_owned());
    }
    let slug_ok = !slug.is_empty()
        && slug.len() <= 60
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-');
    if !slug_ok {
        errors.push(
            l.s(
                "The short name takes lower-case letters, digits and -, and starts with a letter or digit.",
                "De korte naam bestaat uit kleine letters, cijfers en -, en begint met een letter of cijfer.",
            )
            .into(),
        );
    }
    let lang = Language::parse(&f.language).unwrap_or(Language::Nl);
    if errors.is_empty() {
        match app.db.create_org(&slug, f.name.trim()).await {
            Ok(org) => {
                let body = format!("name: {}\nlanguage: {lang}\n", draaiboek_plan::quote(f.name.trim()));
                let put = Put {
                    id: ORGANISATION_ROW,
                    kind: "organisation",
                    body: &body,
                    expected: None,
                    by: &ctx.user.email,
                };
                app.db.put(org.id, put).await.map_err(|e| internal(l, e))?;
                return Ok(see_other(&format!("/o/{slug}?done=created")));
            }
            Err(StoreError::Conflict(Conflict::Exists)) => errors.push(
                l.s("This short name is taken; choose another.", "Deze korte naam is al in gebruik; kies een andere.")
                    .into(),
            ),
            Err(e) => return Err(internal(l, e)),
        }
    }
    let page =
        NewOrg { p: page(&ctx, l.s("New organisation", "Nieuwe organisatie")), errors, name: f.name, slug: f.slug };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "users.html")]
struct UsersPage {
    p: Page,
    users: Vec<(String, String, bool)>,
    link: Option<String>,
}

async fn users_view(app: &App, ctx: &Ctx, link: Option<String>) -> Res {
    admin_only(ctx)?;
    let users = app.db.users().await.map_err(|e| internal(ctx.l, e))?;
    Ok(UsersPage {
        p: page(ctx, ctx.l.s("Users", "Gebruikers")),
        users: users.into_iter().map(|u| (u.name, u.email, u.admin)).collect(),
        link,
    }
    .into_response())
}

pub async fn users_page(State(app): State<App>, ctx: Ctx) -> Res {
    users_view(&app, &ctx, None).await
}

pub async fn users_invite(State(app): State<App>, ctx: Ctx) -> Res {
    admin_only(&ctx)?;
    let link = crate::invite_link(app.db.as_ref(), &app.config.public_url, true, None, &ctx.user.email)
        .await
        .map_err(|e| internal(ctx.l, e))?;
    users_view(&app, &ctx, Some(link)).await
}

#[derive(Template, WebTemplate)]
#[template(path = "members.html")]
struct MembersPage {
    p: Page,
    members: Vec<(String, String, String, i64)>,
    roles: Vec<(String, String)>,
    can_manage: bool,
    link: Option<String>,
    others: Vec<(i64, String)>,
}

async fn members_view(app: &App, ctx: &Ctx, oc: &OrgCtx, link: Option<String>, done: Option<&str>) -> Res {
    let l = ctx.l;
    let members = app.db.members(oc.org.id).await.map_err(|e| internal(l, e))?;
    let can_manage = oc.role == Role::Owner;
    let others = if ctx.user.admin {
        let all = app.db.users().await.map_err(|e| internal(l, e))?;
        all.into_iter()
            .filter(|u| !members.iter().any(|(m, _)| m.id == u.id))
            .map(|u| (u.id, format!("{} <{}>", u.name, u.email)))
            .collect()
    } else {
        Vec::new()
    };
    let mut p = org_page(ctx, oc, l.s("Members", "Leden"), "members");
    p.flash = flash(l, done);
    Ok(MembersPage {
        p,
        members: members.into_iter().map(|(u, r)| (u.name, u.email, r.as_str().to_owned(), u.id)).collect(),
        roles: Role::ALL.iter().map(|r| (r.as_str().to_owned(), role_label(*r, l).to_owned())).collect(),
        can_manage,
        link,
        others,
    }
    .into_response())
}

pub async fn members_page(State(app): State<App>, ctx: Ctx, Path(slug): Path<String>, Query(d): Query<Done>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    members_view(&app, &ctx, &oc, None, d.done.as_deref()).await
}

#[derive(Deserialize)]
pub struct MemberForm {
    action: String,
    user: Option<i64>,
    role: Option<String>,
}

pub async fn members(
    State(app): State<App>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<MemberForm>,
) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let l = ctx.l;
    if oc.role != Role::Owner {
        return Err(forbidden(l));
    }
    let role = f.role.as_deref().and_then(Role::parse);
    match f.action.as_str() {
        "invite" => {
            let role = role.unwrap_or(Role::Viewer);
            let link = crate::invite_link(
                app.db.as_ref(),
                &app.config.public_url,
                false,
                Some((oc.org.id, role)),
                &ctx.user.email,
            )
            .await
            .map_err(|e| internal(l, e))?;
            members_view(&app, &ctx, &oc, Some(link), None).await
        }
        "role" => {
            let user = f.user.ok_or_else(|| error_page(l, StatusCode::BAD_REQUEST, "user?"))?;
            // Only a member, or any user for an administrator, can be given a role here.
            let known = app.db.role(user, oc.org.id).await.map_err(|e| internal(l, e))?.is_some();
            if !known && !ctx.user.admin {
                return Err(not_found_page(l));
            }
            app.db.set_role(user, oc.org.id, role).await.map_err(|e| internal(l, e))?;
            Ok(see_other(&format!("/o/{slug}/members?done=saved")))
        }
        _ => Err(error_page(l, StatusCode::BAD_REQUEST, l.s("Unknown action.", "Onbekende actie."))),
    }
}

// ---------------------------------------------------------------- dashboard

struct FindingRow {
    code: &'static str,
    subject: String,
    message: String,
    fix: String,
    href: Option<String>,
}

struct ScenarioRow {
    id: String,
    name: String,
    missed: usize,
    cost: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct Dashboard {
    p: Page,
    slug: String,
    broken: Option<String>,
    overall: String,
    areas: Vec<(String, u32)>,
    review: String,
    scenarios: Vec<ScenarioRow>,
    findings: Vec<((&'static str, String), Vec<FindingRow>, usize)>,
    findings_total: usize,
    can_edit: bool,
    last_reviewed: String,
    review_overdue: bool,
    /// Since the last published version: its number and how many entities changed.
    changed: Option<(i64, usize)>,
    people: Vec<(String, String)>,
    /// Incidents and exercises under way: number, title, exercise.
    active: Vec<(i64, String, bool)>,
}

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    done: Option<String>,
    /// Show every finding, not the first of each severity.
    all: Option<String>,
}

/// Findings shown per severity before "show all".
const FINDINGS_SHOWN: usize = 25;

/// Where the thing a finding is about is fixed: its form, the section, or
/// the organisation's settings.
pub(crate) fn href_for(slug: &str, loaded: &Loaded, subject: &str) -> Option<String> {
    if subject == "organisation" || subject.is_empty() {
        return Some(format!("/o/{slug}/settings"));
    }
    if let Some(e) = loaded.entity(subject)
        && e.kind != "organisation"
        && e.kind != "extra"
    {
        return Some(format!("/o/{slug}/s/{}/{}", e.kind, e.id));
    }
    if let Ok(plan) = &loaded.plan
        && let Some(d) = plan.data.iter().find(|d| d.backups.iter().any(|b| b.id.as_str() == subject))
    {
        return Some(format!("/o/{slug}/s/data/{}", d.id));
    }
    if schema::section(subject).is_some() {
        return Some(format!("/o/{slug}/s/{subject}"));
    }
    None
}

pub async fn dashboard(
    State(app): State<App>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(d): Query<DashboardQuery>,
) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let loaded = load(&app, l, &oc).await?;
    let mut p = org_page(&ctx, &oc, l.s("Dashboard", "Dashboard"), "dashboard");
    p.flash = flash(l, d.done.as_deref());
    let mut page = Dashboard {
        p,
        slug: slug.clone(),
        broken: None,
        overall: "—".into(),
        areas: Vec::new(),
        review: String::new(),
        scenarios: Vec::new(),
        findings: Vec::new(),
        findings_total: 0,
        can_edit: oc.can_edit(),
        last_reviewed: String::new(),
        review_overdue: false,
        changed: crate::upkeep::changed_since_published(&app, &loaded, oc.org.id).await.map_err(|e| internal(l, e))?,
        people: Vec::new(),
        active: active_incidents(&app, oc.org.id).await.map_err(|e| internal(l, e))?,
    };
    let plan = match &loaded.plan {
        Ok(p) => p,
        Err(e) => {
            page.broken = Some(e.report());
            return Ok(page.into_response());
        }
    };
    let derived = loaded.derived(lang_of(l)).await.ok_or_else(|| internal(l, "analysis failed"))?;
    let report = &derived.report;
    page.overall = report.score.overall.map_or("—".into(), |s| s.to_string());
    page.areas = report.score.areas.iter().map(|(a, s)| (a.label(lang_of(l)).to_owned(), *s)).collect();
    page.people = plan.people.iter().map(|x| (x.id.to_string(), x.name.clone())).collect();
    page.last_reviewed = match plan.organisation.last_reviewed {
        Some(d) => draaiboek_render::doc::date(d, lang_of(l)),
        None => l.s("never", "nooit").to_owned(),
    };
    let due = draaiboek_render::icalendar::review_due(plan, loaded.today);
    page.review = draaiboek_render::doc::date(due, lang_of(l));
    page.review_overdue = due < loaded.today;
    for sev in [
        draaiboek_analysis::Severity::Critical,
        draaiboek_analysis::Severity::Error,
        draaiboek_analysis::Severity::Warning,
        draaiboek_analysis::Severity::Info,
    ] {
        let all: Vec<_> = report.findings.iter().filter(|f| f.check.severity == sev).collect();
        let shown = if d.all.is_some() { all.len() } else { all.len().min(FINDINGS_SHOWN) };
        let items: Vec<FindingRow> = all
            .iter()
            .take(shown)
            .map(|f| FindingRow {
                code: f.check.code,
                subject: f.subject.clone(),
                message: f.message.clone(),
                fix: f.fix.clone(),
                href: href_for(&slug, &loaded, &f.subject),
            })
            .collect();
        if !all.is_empty() {
            page.findings_total += all.len();
            page.findings.push(((sev.as_str(), sev.label(lang_of(l)).to_owned()), items, all.len() - shown));
        }
    }
    for sc in &derived.scenarios {
        page.scenarios.push(ScenarioRow {
            id: sc.id.clone(),
            name: sc.name.clone(),
            missed: sc.missed,
            cost: draaiboek_analysis::text::euros(sc.cost_eur, lang_of(l)),
        });
    }
    Ok(page.into_response())
}

// ---------------------------------------------------------------- lists

struct Column {
    label: String,
    href: String,
    sorted: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "list.html")]
struct ListPage {
    p: Page,
    slug: String,
    section: String,
    q: String,
    sort: String,
    dir: String,
    can_edit: bool,
    new_label: String,
    summary: String,
    columns: Vec<Column>,
    /// Per row its id and cells, a number with its `tel:` address.
    rows: Vec<(String, crate::tel::Pieces)>,
    pages: Vec<(usize, String, bool)>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<usize>,
    done: Option<String>,
}

const PAGE_ROWS: usize = 100;

fn cmp_cells(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.to_lowercase().cmp(&b.to_lowercase()),
    }
}

pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Path((slug, key)): Path<(String, String)>,
    Query(q): Query<ListQuery>,
) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let section = schema::section(&key).ok_or_else(|| not_found_page(l))?;
    let loaded = load(&app, l, &oc).await?;
    let table = loaded.table(section);
    let needle = q.q.as_deref().unwrap_or("").trim().to_lowercase();
    let mut rows: Vec<&crate::cache::ListRow> =
        table.iter().filter(|r| needle.is_empty() || r.haystack.contains(&needle)).collect();
    let sort = q.sort.clone().unwrap_or_default();
    let desc = q.dir.as_deref() == Some("desc");
    let sort_col = section.columns.iter().position(|c| *c == sort);
    if let Some(c) = sort_col {
        rows.sort_by(|a, b| cmp_cells(&a.cells[c], &b.cells[c]).then_with(|| a.id.cmp(&b.id)));
    } else if sort == "id" {
        rows.sort_by(|a, b| a.id.cmp(&b.id));
    }
    if desc {
        rows.reverse();
    }
    let total = rows.len();
    let pages = total.div_ceil(PAGE_ROWS).max(1);
    let page_no = q.page.unwrap_or(1).clamp(1, pages);
    let base = format!("/o/{slug}/s/{key}");
    let qs = |sort: &str, dir: &str, page: usize| {
        let mut pairs = vec![];
        if !needle.is_empty() {
            pairs.push(("q", q.q.clone().unwrap_or_default()));
        }
        if !sort.is_empty() {
            pairs.push(("sort", sort.to_owned()));
            pairs.push(("dir", dir.to_owned()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        let s = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if s.is_empty() { base.clone() } else { format!("{base}?{s}") }
    };
    let mut columns = Vec::new();
    for (key, label) in std::iter::once(("id", "Id"))
        .chain(section.columns.iter().map(|c| (*c, section.field(c).map_or(*c, |f| f.label(l)))))
    {
        let here = sort == key;
        let next_dir = if here && !desc { "desc" } else { "asc" };
        columns.push(Column {
            label: label.to_owned(),
            href: qs(key, next_dir, 1),
            sorted: match (here, desc) {
                (true, false) => "ascending",
                (true, true) => "descending",
                _ => "",
            },
        });
    }
    let kinds: Vec<Option<Kind>> = section.columns.iter().map(|c| section.field(c).map(|f| f.kind)).collect();
    let shown: Vec<(String, crate::tel::Pieces)> = rows
        .iter()
        .skip((page_no - 1) * PAGE_ROWS)
        .take(PAGE_ROWS)
        .map(|r| {
            let cells = r
                .cells
                .iter()
                .zip(&kinds)
                .map(|(c, k)| match k {
                    Some(Kind::Keyword(_)) => (schema::keyword(c, l), None),
                    Some(Kind::Phone) => (c.clone(), crate::tel::href(c)),
                    _ => (c.clone(), None),
                })
                .collect();
            (r.id.clone(), cells)
        })
        .collect();
    let summary = match (l.en(), needle.is_empty()) {
        (true, true) => format!("{total} in all"),
        (true, false) => format!("{total} found of {}", table.len()),
        (false, true) => format!("{total} in totaal"),
        (false, false) => format!("{total} gevonden van {}", table.len()),
    };
    let mut p = org_page(&ctx, &oc, section.name(l), section.key);
    p.flash = flash(l, q.done.as_deref());
    Ok(ListPage {
        p,
        slug: slug.clone(),
        section: key.clone(),
        q: q.q.clone().unwrap_or_default(),
        sort: sort.clone(),
        dir: if desc { "desc".into() } else { "asc".into() },
        can_edit: oc.can_edit(),
        new_label: format!("{} {}", l.s("New", "Nieuw:"), section.one(l)),
        summary,
        columns,
        rows: shown,
        pages: if pages > 1 {
            (1..=pages).map(|n| (n, qs(&sort, if desc { "desc" } else { "asc" }, n), n == page_no)).collect()
        } else {
            Vec::new()
        },
    }
    .into_response())
}

// ---------------------------------------------------------------- forms

struct ConflictView {
    message: String,
    changes: Vec<(String, String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "form.html")]
struct FormPage {
    p: Page,
    action: String,
    back: String,
    version: i64,
    inputs: Vec<form::Input>,
    can_edit: bool,
    can_delete: bool,
    general: Vec<String>,
    field_errors: Vec<(String, String, String)>,
    conflict: Option<ConflictView>,
    referrers: Vec<(String, Option<String>)>,
    meta: Option<String>,
    /// The audit log of this entity.
    history: Option<String>,
    /// For a scenario: its analysis page.
    analysis: Option<String>,
}

/// Everything a form shows besides its fields.
#[derive(Default)]
struct FormState {
    errors: BTreeMap<String, String>,
    general: Vec<String>,
    conflict: Option<ConflictView>,
    referrers: Vec<(String, Option<String>)>,
    flash: Option<String>,
}

/// The entities a reference field may choose from: (id, "name (id)").
fn choices(loaded: &Loaded, sections: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(plan) = &loaded.plan else {
        return out;
    };
    let mut add = |id: &draaiboek_plan::Id, name: &str| out.push((id.to_string(), format!("{name} ({id})")));
    for s in sections {
        match *s {
            "locations" => plan.locations.iter().for_each(|x| add(&x.id, &x.name)),
            "people" => plan.people.iter().for_each(|x| add(&x.id, &x.name)),
            "departments" => plan.departments.iter().for_each(|x| add(&x.id, &x.name)),
            "parties" => plan.parties.iter().for_each(|x| add(&x.id, &x.name)),
            "assets" => plan.assets.iter().for_each(|x| add(&x.id, &x.name)),
            "telephony" => {
                plan.telephony.iter().for_each(|x| add(&x.id, x.label.as_deref().unwrap_or(x.number.as_str())))
            }
            "applications" => plan.applications.iter().for_each(|x| add(&x.id, &x.name)),
            "data" => plan.data.iter().for_each(|x| add(&x.id, &x.name)),
            "backups" => plan.data.iter().flat_map(|d| d.backups.iter().map(move |b| (d, b))).for_each(|(d, b)| {
                add(&b.id, &format!("{} · {}", d.name, b.kind));
            }),
            "processes" => plan.processes.iter().for_each(|x| add(&x.id, &x.name)),
            "scenarios" => plan.scenarios.iter().for_each(|x| add(&x.id, &x.name)),
            "tasks" => plan.tasks.iter().for_each(|x| add(&x.id, &x.title)),
            _ => {}
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    ctx: &Ctx,
    oc: &OrgCtx,
    loaded: &Loaded,
    section: &Section,
    id: Option<&str>,
    values: &Values,
    version: i64,
    state: FormState,
) -> FormPage {
    let l = ctx.l;
    let slug = &oc.org.slug;
    let new = id.is_none();
    let options = |to: &[&str]| choices(loaded, to);
    let inputs = form::inputs(section, values, &state.errors, &options, l, new);
    let (title, action, back, here) = if section.key == "organisation" {
        (
            l.s("Organisation and call tree", "Organisatie en belboom").to_owned(),
            format!("/o/{slug}/settings"),
            format!("/o/{slug}"),
            "organisation",
        )
    } else if let Some(id) = id {
        (
            format!("{}: {id}", capitalise(section.one(l))),
            format!("/o/{slug}/s/{}/{id}", section.key),
            format!("/o/{slug}/s/{}", section.key),
            section.key,
        )
    } else {
        (
            format!("{} {}", l.s("New", "Nieuw:"), section.one(l)),
            format!("/o/{slug}/s/{}/new", section.key),
            format!("/o/{slug}/s/{}", section.key),
            section.key,
        )
    };
    let field_errors = state
        .errors
        .iter()
        .map(|(name, e)| {
            let label = label_of(section, name, l);
            (name.clone(), label, e.clone())
        })
        .collect();
    let meta = id.and_then(|id| loaded.entity(row_id(section, id))).map(|e| {
        if l.en() {
            format!("Version {}, last changed by {} on {}.", e.version, e.updated_by, when(e.updated_at, l))
        } else {
            format!("Versie {}, laatst gewijzigd door {} op {}.", e.version, e.updated_by, when(e.updated_at, l))
        }
    });
    let history = meta.as_ref().and(id).map(|id| {
        format!(
            "/o/{slug}/audit?{}",
            serde_urlencoded::to_string([("entity", row_id(section, id))]).unwrap_or_default()
        )
    });
    let mut p = org_page(ctx, oc, title, here);
    p.flash = state.flash;
    FormPage {
        p,
        action,
        back,
        version,
        inputs,
        can_edit: oc.can_edit(),
        can_delete: oc.can_edit() && !new && section.has_ids(),
        general: state.general,
        field_errors,
        conflict: state.conflict,
        referrers: state.referrers,
        meta,
        history,
        analysis: id.filter(|_| section.key == "scenarios").map(|id| format!("/o/{slug}/scenario/{id}")),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

fn label_of(section: &Section, name: &str, l: L) -> String {
    if let Some(f) = section.field(name) {
        return f.label(l).to_owned();
    }
    // A field of a group row: "Backups 2: Every (hours)".
    let mut parts = name.splitn(3, '.');
    if let (Some(g), Some(n), Some(sub)) = (parts.next(), parts.next(), parts.next())
        && let Some(group) = section.field(g)
        && let Kind::Group(subs) = group.kind
        && let Some(s) = subs.iter().find(|s| s.key == sub)
    {
        let n: usize = n.parse().unwrap_or(0);
        return format!("{} {}: {}", group.label(l), n + 1, s.label(l));
    }
    name.to_owned()
}

fn row_id<'a>(section: &Section, id: &'a str) -> &'a str {
    if section.key == "organisation" { ORGANISATION_ROW } else { id }
}

pub async fn settings_page(State(app): State<App>, ctx: Ctx, Path(slug): Path<String>, Query(d): Query<Done>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let loaded = load(&app, ctx.l, &oc).await?;
    let (values, version) = match loaded.entity(ORGANISATION_ROW) {
        Some(e) => (form::values_of(&ORGANISATION, &e.body), e.version),
        None => (Values::default(), 0),
    };
    let state = FormState { flash: flash(ctx.l, d.done.as_deref()), ..Default::default() };
    Ok(form_page(&ctx, &oc, &loaded, &ORGANISATION, Some(ORGANISATION_ROW), &values, version, state).into_response())
}

pub async fn settings_save(
    State(app): State<App>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Res {
    let oc = editable(&app, &ctx, &slug).await?;
    save_entity(&app, &ctx, &oc, &ORGANISATION, Some(ORGANISATION_ROW.to_owned()), pairs).await
}

fn section_of(key: &str, l: L) -> Result<&'static Section, Response> {
    schema::section(key).ok_or_else(|| not_found_page(l))
}

pub async fn new_page(State(app): State<App>, ctx: Ctx, Path((slug, key)): Path<(String, String)>) -> Res {
    let oc = editable(&app, &ctx, &slug).await?;
    let section = section_of(&key, ctx.l)?;
    let loaded = load(&app, ctx.l, &oc).await?;
    Ok(form_page(&ctx, &oc, &loaded, section, None, &Values::default(), 0, FormState::default()).into_response())
}

pub async fn create(
    State(app): State<App>,
    ctx: Ctx,
    Path((slug, key)): Path<(String, String)>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Res {
    let oc = editable(&app, &ctx, &slug).await?;
    let section = section_of(&key, ctx.l)?;
    save_entity(&app, &ctx, &oc, section, None, pairs).await
}

pub async fn edit_page(
    State(app): State<App>,
    ctx: Ctx,
    Path((slug, key, id)): Path<(String, String, String)>,
    Query(d): Query<Done>,
) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let section = section_of(&key, ctx.l)?;
    let loaded = load(&app, ctx.l, &oc).await?;
    let e = loaded.entity(&id).filter(|e| e.kind == section.key).ok_or_else(|| not_found_page(ctx.l))?;
    let values = form::values_of(section, &e.body);
    let state = FormState { flash: flash(ctx.l, d.done.as_deref()), ..Default::default() };
    Ok(form_page(&ctx, &oc, &loaded, section, Some(&id), &values, e.version, state).into_response())
}

pub async fn save(
    State(app): State<App>,
    ctx: Ctx,
    Path((slug, key, id)): Path<(String, String, String)>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Res {
    let oc = editable(&app, &ctx, &slug).await?;
    let section = section_of(&key, ctx.l)?;
    save_entity(&app, &ctx, &oc, section, Some(id), pairs).await
}

/// Changes one entity without a form (the year planner, reviews, the
/// results of an exercise): `change` edits its values (empty for a new
/// one), and the whole plan is read before anything is stored, as for a
/// form. Gives the problems when it does not read.
pub(crate) async fn apply_values(
    app: &App,
    by: &str,
    oc: &OrgCtx,
    section: &'static Section,
    id: &str,
    l: L,
    change: impl FnOnce(&mut Values),
) -> Result<(), Vec<String>> {
    let _writing = app.writing(oc.org.id).await;
    let loaded = app.cache.load(app.db.as_ref(), oc.org.id).await.map_err(|e| vec![e.to_string()])?;
    let row = row_id(section, id);
    let old = loaded.entity(row).filter(|e| e.kind == section.key);
    let mut values = old.map(|e| form::values_of(section, &e.body)).unwrap_or_default();
    if section.has_ids() {
        values.0.insert("id".into(), vec![id.to_owned()]);
    }
    change(&mut values);
    let body = form::body_of(section, &values, old.map(|e| e.body.as_str()));
    let mut rows: Vec<(&str, &str)> = Vec::with_capacity(loaded.entities.len() + 1);
    let mut placed = false;
    for e in &loaded.entities {
        if e.kind == section.key && e.id == row && old.is_some() {
            rows.push((section.key, &body));
            placed = true;
        } else {
            rows.push((e.kind.as_str(), e.body.as_str()));
        }
    }
    if !placed {
        rows.push((section.key, &body));
    }
    let text = draaiboek_plan::join(rows.iter().copied());
    let mut plan = draaiboek_plan::from_str_in(&text, "plan", Some(lang_of(l)))
        .map_err(|e| e.problems.iter().map(|p| format!("{}: {}", p.path, p.message)).collect::<Vec<_>>())?;
    if let Ok(before) = &loaded.plan {
        keep_nested_extra(&mut plan, before, section.key, row);
    }
    let canonical = draaiboek_plan::split(&plan)
        .into_iter()
        .find(|r| r.kind == section.key && r.id == row)
        .map(|r| r.body)
        .unwrap_or(body);
    let put = Put { id: row, kind: section.key, body: &canonical, expected: old.map(|e| e.version), by };
    app.db.put(oc.org.id, put).await.map(|_| ()).map_err(|e| vec![e.to_string()])
}

/// Checks a form with the plan reader against the plan as it is, and
/// stores the entity if the whole plan reads; otherwise shows the form
/// again with every problem next to its field.
async fn save_entity(
    app: &App,
    ctx: &Ctx,
    oc: &OrgCtx,
    section: &'static Section,
    id: Option<String>,
    pairs: Vec<(String, String)>,
) -> Res {
    let l = ctx.l;
    let version: i64 = pairs.iter().find(|(k, _)| k == "_version").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut values = Values::from_pairs(pairs);
    let _writing = app.writing(oc.org.id).await;
    let loaded = load(app, l, oc).await?;
    let old = id.as_deref().and_then(|id| loaded.entity(id)).filter(|e| e.kind == section.key);
    if let Some(id) = &id {
        // The id of an entity is kept: others refer to it by it.
        if section.has_ids() {
            values.0.insert("id".into(), vec![id.clone()]);
        }
        if old.is_none() && section.has_ids() {
            return Err(not_found_page(l));
        }
    }
    let body = form::body_of(section, &values, old.map(|e| e.body.as_str()));
    let row = match &id {
        Some(id) => id.clone(),
        None => values.one("id").trim().to_owned(),
    };
    // The plan with this entity in it, in file order.
    let mut rows: Vec<(&str, &str)> = Vec::with_capacity(loaded.entities.len() + 1);
    let mut index = 0;
    let mut placed = false;
    for e in &loaded.entities {
        if e.kind == section.key && e.id == row && old.is_some() {
            rows.push((section.key, &body));
            placed = true;
        } else {
            if e.kind == section.key && !placed {
                index += 1;
            }
            rows.push((e.kind.as_str(), e.body.as_str()));
        }
    }
    if !placed {
        rows.push((section.key, &body));
    }
    let text = draaiboek_plan::join(rows.iter().copied());
    let prefix =
        if section.key == "organisation" { "organisation".to_owned() } else { format!("{}[{index}]", section.key) };
    let parsed = tokio::task::spawn_blocking(move || draaiboek_plan::from_str_in(&text, "plan", Some(lang_of(l))))
        .await
        .map_err(|e| internal(l, e))?;
    let mut state = FormState::default();
    let mut shown_version = version;
    match parsed {
        Ok(mut plan) => {
            if let Ok(before) = &loaded.plan {
                keep_nested_extra(&mut plan, before, section.key, &row);
            }
            let canonical = draaiboek_plan::split(&plan)
                .into_iter()
                .find(|r| r.kind == section.key && r.id == row)
                .map(|r| r.body)
                .unwrap_or(body);
            let put = Put {
                id: &row,
                kind: section.key,
                body: &canonical,
                expected: if old.is_some() { Some(version) } else { None },
                by: &ctx.user.email,
            };
            match app.db.put(oc.org.id, put).await {
                Ok(_) => {
                    let to = if section.key == "organisation" {
                        format!("/o/{}/settings?done=saved", oc.org.slug)
                    } else {
                        format!("/o/{}/s/{}/{}?done=saved", oc.org.slug, section.key, row)
                    };
                    return Ok(see_other(&to));
                }
                Err(StoreError::Conflict(Conflict::Stale { current })) => {
                    let theirs = form::values_of(section, &current.body);
                    let changes = section
                        .fields
                        .iter()
                        .flat_map(|f| match f.kind {
                            Kind::Group(subs) => {
                                let mut rows = theirs.group_rows(f.key);
                                rows.extend(values.group_rows(f.key));
                                rows.sort_unstable();
                                rows.dedup();
                                rows.into_iter()
                                    .flat_map(|i| subs.iter().map(move |s| format!("{}.{i}.{}", f.key, s.key)))
                                    .collect::<Vec<_>>()
                            }
                            _ => vec![f.key.to_owned()],
                        })
                        .filter(|name| theirs.all(name) != values.all(name))
                        .map(|name| (label_of(section, &name, l), theirs.all(&name).join(", "), values.all(&name).join(", ")))
                        .collect();
                    let message = if l.en() {
                        format!(
                            "Not saved: {} saved this in the meantime ({}). Nothing was overwritten. This is what differs:",
                            current.updated_by,
                            when(current.updated_at, l)
                        )
                    } else {
                        format!(
                            "Niet opgeslagen: {} heeft dit intussen opgeslagen ({}). Er is niets overschreven. Dit verschilt:",
                            current.updated_by,
                            when(current.updated_at, l)
                        )
                    };
                    shown_version = current.version;
                    state.conflict = Some(ConflictView { message, changes });
                }
                Err(StoreError::Conflict(Conflict::Gone)) => state.general.push(
                    l.s(
                        "Not saved: someone deleted this in the meantime. Create it anew if it is still needed.",
                        "Niet opgeslagen: iemand heeft dit intussen verwijderd. Maak het opnieuw aan als het nog nodig is.",
                    )
                    .into(),
                ),
                Err(StoreError::Conflict(Conflict::Exists)) => {
                    state.errors.insert(
                        "id".into(),
                        l.s("this id is taken already; choose another", "dit id is al in gebruik; kies een ander").into(),
                    );
                }
                Err(e) => return Err(internal(l, e)),
            }
        }
        Err(err) => {
            for problem in err.problems {
                let mut message = problem.message.clone();
                if let Some(h) = &problem.hint {
                    message.push_str(" (");
                    message.push_str(h);
                    message.push(')');
                }
                // "missing required field `x`" is about the field x inside the path.
                let inner = problem
                    .message
                    .split('`')
                    .nth(1)
                    .and_then(|word| form::field_of(section, &prefix, &format!("{}.{word}", problem.path)));
                match form::field_of(section, &prefix, &problem.path).or(inner) {
                    Some(field) => {
                        state
                            .errors
                            .entry(field)
                            .and_modify(|m| {
                                m.push_str("; ");
                                m.push_str(&message);
                            })
                            .or_insert(message);
                    }
                    None if problem.path.is_empty() || problem.path == prefix => state.general.push(message),
                    None => state.general.push(format!("{}: {message}", problem.path)),
                }
            }
        }
    }
    let shown_id = if id.is_some() { Some(row.as_str()) } else { None };
    let page = form_page(ctx, oc, &loaded, section, shown_id, &values, shown_version, state);
    let status = if page.conflict.is_some() { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, page).into_response())
}

/// The free `extra` data inside an entity (of its replacement, of each
/// backup by id) is not in the form; it stays as it was.
fn keep_nested_extra(plan: &mut draaiboek_plan::Plan, before: &draaiboek_plan::Plan, section: &str, id: &str) {
    match section {
        "assets" => {
            let old = before.assets.iter().find(|a| a.id.as_str() == id).and_then(|a| a.replacement.as_ref());
            let new = plan.assets.iter_mut().find(|a| a.id.as_str() == id).and_then(|a| a.replacement.as_mut());
            if let (Some(old), Some(new)) = (old, new)
                && new.extra.is_empty()
            {
                new.extra = old.extra.clone();
            }
        }
        "data" => {
            let (Some(old), Some(new)) =
                (before.data.iter().find(|d| d.id.as_str() == id), plan.data.iter_mut().find(|d| d.id.as_str() == id))
            else {
                return;
            };
            for b in new.backups.iter_mut().filter(|b| b.extra.is_empty()) {
                if let Some(o) = old.backups.iter().find(|o| o.id == b.id) {
                    b.extra = o.extra.clone();
                }
            }
        }
        _ => {}
    }
}

pub async fn delete(
    State(app): State<App>,
    ctx: Ctx,
    Path((slug, key, id)): Path<(String, String, String)>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Res {
    let oc = editable(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let section = section_of(&key, l)?;
    let version: i64 = pairs.iter().find(|(k, _)| k == "_version").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let _writing = app.writing(oc.org.id).await;
    let loaded = load(&app, l, &oc).await?;
    let e = loaded.entity(&id).filter(|e| e.kind == section.key).ok_or_else(|| not_found_page(l))?;
    let mut state = FormState::default();
    if let Ok(plan) = &loaded.plan {
        // What refers to it, or to a backup inside it.
        let mut ids = vec![id.clone()];
        if let Some(d) = plan.data.iter().find(|d| d.id.as_str() == id) {
            ids.extend(d.backups.iter().map(|b| b.id.to_string()));
        }
        for target in ids {
            let Ok(target) = draaiboek_plan::Id::new(&target) else { continue };
            for r in draaiboek_plan::referrers(plan, &target) {
                if r.entity.as_ref().is_some_and(|e| e.as_str() == id) {
                    continue;
                }
                let href = match &r.entity {
                    Some(who) => loaded.entity(who.as_str()).map(|w| format!("/o/{slug}/s/{}/{}", w.kind, w.id)),
                    None => Some(format!("/o/{slug}/settings")),
                };
                state
                    .referrers
                    .push((referrer_label(&loaded, r.entity.as_ref().map(|e| e.as_str()), &r.path, l), href));
            }
        }
    }
    if state.referrers.is_empty() {
        match app.db.delete(oc.org.id, &id, version, &ctx.user.email).await {
            Ok(()) => return Ok(see_other(&format!("/o/{slug}/s/{key}?done=deleted"))),
            Err(StoreError::Conflict(Conflict::Stale { current })) => state.general.push(if l.en() {
                format!(
                    "Not deleted: {} changed this in the meantime ({}). Look at it again before you delete it.",
                    current.updated_by,
                    when(current.updated_at, l)
                )
            } else {
                format!(
                    "Niet verwijderd: {} heeft dit intussen gewijzigd ({}). Bekijk het opnieuw voordat u het verwijdert.",
                    current.updated_by,
                    when(current.updated_at, l)
                )
            }),
            Err(StoreError::Conflict(Conflict::Gone)) => {
                return Ok(see_other(&format!("/o/{slug}/s/{key}?done=deleted")));
            }
            Err(e) => return Err(internal(l, e)),
        }
    }
    let values = form::values_of(section, &e.body);
    let page = form_page(&ctx, &oc, &loaded, section, Some(&id), &values, e.version, state);
    Ok((StatusCode::CONFLICT, page).into_response())
}

/// "Asset srv-erp (ERP server): Depends on" for `assets[0].depends_on[1]`.
fn referrer_label(loaded: &Loaded, entity: Option<&str>, path: &str, l: L) -> String {
    let (section, rest) = match entity.and_then(|id| loaded.entity(id)) {
        Some(e) => (schema::section(&e.kind).unwrap_or(&ORGANISATION), path.split_once("].").map_or("", |(_, r)| r)),
        None => (&ORGANISATION, path.strip_prefix("organisation.").unwrap_or(path)),
    };
    let key: String = rest.chars().take_while(|c| *c != '[' && *c != '.').collect();
    let field = section.field(&key).map_or(key.clone(), |f| f.label(l).to_owned());
    match entity {
        Some(id) => {
            let name = loaded.table(section).iter().find(|r| r.id == id).and_then(|r| r.cells.first().cloned());
            match name {
                Some(n) if !n.is_empty() && section.columns.first() == Some(&"name") => {
                    format!("{} {id} ({n}): {field}", capitalise(section.one(l)))
                }
                _ => format!("{} {id}: {field}", capitalise(section.one(l))),
            }
        }
        None => format!("{}: {field}", ORGANISATION.name(l)),
    }
}

// ---------------------------------------------------------------- scenario

#[derive(Template, WebTemplate)]
#[template(path = "scenario.html")]
struct ScenarioPage {
    p: Page,
    slug: String,
    id: String,
    body: String,
}

pub async fn scenario(State(app): State<App>, ctx: Ctx, Path((slug, id)): Path<(String, String)>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let loaded = load(&app, l, &oc).await?;
    let doc = loaded.document(lang_of(l)).await.ok_or_else(|| not_found_page(l))?;
    let anchor = format!("scenario-{id}");
    let chapter = doc.chapters.iter().find(|c| c.anchor == anchor).ok_or_else(|| not_found_page(l))?;
    Ok(ScenarioPage {
        p: org_page(&ctx, &oc, chapter.title.clone(), "scenarios"),
        slug,
        id,
        body: draaiboek_render::html::fragment(chapter),
    }
    .into_response())
}

// ---------------------------------------------------------------- import, export, documents

#[derive(Template, WebTemplate)]
#[template(path = "import.html")]
struct ImportPage {
    p: Page,
    slug: String,
    can_edit: bool,
    problems: Vec<String>,
}

pub async fn import_page(State(app): State<App>, ctx: Ctx, Path(slug): Path<String>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    Ok(ImportPage {
        p: org_page(&ctx, &oc, ctx.l.s("Import and export", "Importeren en exporteren"), "import"),
        slug,
        can_edit: oc.can_edit(),
        problems: vec![],
    }
    .into_response())
}

pub async fn import(State(app): State<App>, ctx: Ctx, Path(slug): Path<String>, mut multipart: Multipart) -> Res {
    let oc = editable(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let mut file: Option<(String, Vec<u8>)> = None;
    // A broken upload is said to be one, not taken for a missing file.
    let broke = |e: axum::extract::multipart::MultipartError| {
        let what =
            l.s("The upload broke off; nothing was imported", "Het uploaden is afgebroken; er is niets geïmporteerd");
        error_page(l, e.status(), &format!("{what}: {e}"))
    };
    while let Some(field) = multipart.next_field().await.map_err(broke)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("plan.yaml").to_owned();
            let bytes = field.bytes().await.map_err(broke)?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let (name, bytes) = file.ok_or_else(|| {
        error_page(
            l,
            StatusCode::BAD_REQUEST,
            l.s("Choose a plan file to import.", "Kies een planbestand om te importeren."),
        )
    })?;
    let lang = lang_of(l);
    let read_name = name.clone();
    let parsed = tokio::task::spawn_blocking(move || draaiboek_plan::from_bytes_in(&bytes, &read_name, Some(lang)))
        .await
        .map_err(|e| internal(l, e))?;
    match parsed {
        Ok(plan) => {
            let rows: Vec<(String, String, String)> =
                draaiboek_plan::split(&plan).into_iter().map(|r| (r.kind.to_owned(), r.id, r.body)).collect();
            let _writing = app.writing(oc.org.id).await;
            app.db.replace_all(oc.org.id, &rows, &ctx.user.email).await.map_err(|e| internal(l, e))?;
            Ok(see_other(&format!("/o/{slug}?done=imported")))
        }
        Err(e) => {
            let problems = e.problems.iter().map(|p| p.display(&name, e.lang).to_string()).collect();
            let page = ImportPage {
                p: org_page(&ctx, &oc, l.s("Import and export", "Importeren en exporteren"), "import"),
                slug,
                can_edit: true,
                problems,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

fn attachment(kind: &str, name: &str, body: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_str(kind).expect("a content type")),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn export(State(app): State<App>, ctx: Ctx, Path(slug): Path<String>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let loaded = load(&app, ctx.l, &oc).await?;
    Ok(attachment("application/yaml; charset=utf-8", &format!("{slug}.yaml"), loaded.text().into_bytes()))
}

const DOCUMENTS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "plan.pdf",
        "The plan (PDF, to print)",
        "Het plan (PDF, om te printen)",
        "A4, with contents and page numbers",
        "A4, met inhoud en paginanummers",
    ),
    (
        "plan.html",
        "The plan (one web page)",
        "Het plan (één webpagina)",
        "works offline, on a phone too",
        "werkt zonder internet, ook op een telefoon",
    ),
    ("plan.md", "The plan (Markdown)", "Het plan (Markdown)", "for a wiki", "voor een wiki"),
    (
        "card.pdf",
        "Wallet card (PDF)",
        "Pasje (PDF)",
        "85.6 × 54 mm, front and back",
        "85,6 × 54 mm, voor- en achterkant",
    ),
    (
        "cards.pdf",
        "Ten wallet cards on A4 (PDF)",
        "Tien pasjes op A4 (PDF)",
        "with cut marks, print double-sided",
        "met snijtekens, dubbelzijdig printen",
    ),
    (
        "contacts.vcf",
        "Crisis contacts (vCard)",
        "Crisiscontacten (vCard)",
        "for the phone's address book",
        "voor het adresboek van de telefoon",
    ),
    (
        "calendar.ics",
        "Exercises and review (iCalendar)",
        "Oefeningen en doorlopen van het plan (iCalendar)",
        "for Outlook or a phone's calendar",
        "voor Outlook of de agenda van een telefoon",
    ),
];

#[derive(Template, WebTemplate)]
#[template(path = "documents.html")]
struct DocumentsPage {
    p: Page,
    slug: String,
    files: Vec<(&'static str, &'static str, &'static str)>,
}

pub async fn documents(State(app): State<App>, ctx: Ctx, Path(slug): Path<String>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let l = ctx.l;
    Ok(DocumentsPage {
        p: org_page(&ctx, &oc, l.s("Documents", "Documenten"), "documents"),
        slug,
        files: DOCUMENTS.iter().map(|d| (d.0, l.s(d.1, d.2), l.s(d.3, d.4))).collect(),
    }
    .into_response())
}

pub async fn download(State(app): State<App>, ctx: Ctx, Path((slug, file)): Path<(String, String)>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let l = ctx.l;
    if !DOCUMENTS.iter().any(|d| d.0 == file) {
        return Err(not_found_page(l));
    }
    let loaded = load(&app, l, &oc).await?;
    let plan_lang = match &loaded.plan {
        Ok(p) => draaiboek_analysis::language(p, None),
        Err(_) => {
            return Err(error_page(
                l,
                StatusCode::CONFLICT,
                l.s(
                    "The plan cannot be read, so no document can be made.",
                    "Het plan is niet te lezen, dus er kan geen document worden gemaakt.",
                ),
            ));
        }
    };
    let today = loaded.today;
    let name = |ext: &str| format!("{slug}-{file}").replace(&format!(".{ext}"), "") + "." + ext;
    let pdf = file.ends_with(".pdf");
    let (kind, out_name, bytes): (&str, String, Vec<u8>) = match file.as_str() {
        "plan.html" | "plan.md" => {
            let doc = loaded.document(plan_lang).await.ok_or_else(|| internal(l, "analysis failed"))?;
            if file == "plan.html" {
                ("text/html; charset=utf-8", name("html"), draaiboek_render::html(&doc).into_bytes())
            } else {
                ("text/markdown; charset=utf-8", name("md"), draaiboek_render::markdown(&doc).into_bytes())
            }
        }
        _ if pdf && matches!(app.config.renderer, crate::Renderer::Command(_)) => {
            let crate::Renderer::Command(exe) = app.config.renderer.clone() else { unreachable!() };
            let _one = app.renders.acquire().await.map_err(|e| internal(l, e))?;
            let text = loaded.text();
            let f = file.clone();
            let made = tokio::task::spawn_blocking(move || render_command(&exe, &text, &f, today, plan_lang))
                .await
                .map_err(|e| internal(l, e))?
                .map_err(|e| internal(l, e))?;
            ("application/pdf", name("pdf"), made)
        }
        "contacts.vcf" | "calendar.ics" | "card.pdf" | "cards.pdf" | "plan.pdf" => {
            let _one = if pdf { Some(app.renders.acquire().await.map_err(|e| internal(l, e))?) } else { None };
            let doc = if file == "plan.pdf" { loaded.document(plan_lang).await } else { None };
            let loaded = loaded.clone();
            let f = file.clone();
            let made = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
                let plan = loaded.plan.as_ref().map_err(|e| e.to_string())?;
                let analysis = draaiboek_analysis::Analysis::new(plan);
                match f.as_str() {
                    "plan.pdf" => {
                        draaiboek_render::pdf(doc.as_ref().ok_or("no document")?, today).map_err(|e| e.to_string())
                    }
                    "card.pdf" => draaiboek_render::card::pdf(
                        &draaiboek_render::card::content(&analysis, plan_lang),
                        plan_lang,
                        today,
                    )
                    .map_err(|e| e.to_string()),
                    "cards.pdf" => draaiboek_render::card::sheet_pdf(
                        &draaiboek_render::card::content(&analysis, plan_lang),
                        plan_lang,
                        today,
                    )
                    .map_err(|e| e.to_string()),
                    "contacts.vcf" => Ok(draaiboek_render::contacts(&analysis, plan_lang).into_bytes()),
                    _ => Ok(draaiboek_render::calendar(plan, plan_lang, today).into_bytes()),
                }
            })
            .await
            .map_err(|e| internal(l, e))?
            .map_err(|e| internal(l, e))?;
            let kind = match file.as_str() {
                "contacts.vcf" => "text/vcard; charset=utf-8",
                "calendar.ics" => "text/calendar; charset=utf-8",
                _ => "application/pdf",
            };
            (kind, name(file.rsplit('.').next().unwrap_or("bin")), made)
        }
        _ => return Err(not_found_page(l)),
    };
    Ok(attachment(kind, &out_name, bytes))
}

/// Makes `file` (plan.pdf, card.pdf or cards.pdf) of the plan `text` by
/// running the `draaiboek` executable `exe`, in a folder of its own that is
/// removed after.
pub fn render_command(
    exe: &std::path::Path,
    text: &str,
    file: &str,
    today: draaiboek_plan::Date,
    lang: Language,
) -> Result<Vec<u8>, String> {
    let dir = std::env::temp_dir().join(format!("draaiboek-render-{}", &auth::token()[..20]));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let result = (|| {
        let plan = dir.join("plan.yaml");
        let out = dir.join("out.pdf");
        std::fs::write(&plan, text).map_err(|e| e.to_string())?;
        let mut cmd = std::process::Command::new(exe);
        match file {
            "plan.pdf" => cmd.arg("render").arg(&plan).arg("--format").arg("pdf"),
            "card.pdf" => cmd.arg("card").arg(&plan),
            "cards.pdf" => cmd.arg("card").arg(&plan).arg("--sheet"),
            other => return Err(format!("no renderer for {other}")),
        };
        let done = cmd
            .arg("-o")
            .arg(&out)
            .arg("--today")
            .arg(today.to_string())
            .arg("--lang")
            .arg(lang.as_str())
            .env_remove("DRAAIBOEK_LANG")
            .output()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        if !done.status.success() {
            return Err(format!("{} failed: {}", exe.display(), String::from_utf8_lossy(&done.stderr)));
        }
        std::fs::read(&out).map_err(|e| e.to_string())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

// ---------------------------------------------------------------- audit and versions

struct AuditView {
    at: String,
    by: String,
    what: &'static str,
    entity: String,
    kind: String,
    before: Vec<crate::diff::Line>,
    after: Vec<crate::diff::Line>,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    p: Page,
    slug: String,
    /// The entity whose history this is, or the whole log.
    entity: Option<String>,
    entries: Vec<AuditView>,
    /// The next page back, when there are older entries.
    older: Option<String>,
}

/// Entries of the audit log on one page.
const AUDIT_PAGE: usize = 100;

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    before: Option<i64>,
    entity: Option<String>,
}

fn change_word(before: bool, after: bool, l: L) -> &'static str {
    match (before, after) {
        (false, true) => l.s("created", "aangemaakt"),
        (true, false) => l.s("deleted", "verwijderd"),
        _ => l.s("changed", "gewijzigd"),
    }
}

pub async fn audit(State(app): State<App>, ctx: Ctx, Path(slug): Path<String>, Query(q): Query<AuditQuery>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let entity = q.entity.filter(|e| !e.is_empty());
    let filter = draaiboek_store::AuditFilter { before: q.before, entity: entity.clone() };
    // One more than a page tells whether there is an older page.
    let mut log = app.db.audit(oc.org.id, &filter, AUDIT_PAGE as i64 + 1).await.map_err(|e| internal(l, e))?;
    let older = (log.len() > AUDIT_PAGE).then(|| {
        log.truncate(AUDIT_PAGE);
        let mut pairs = vec![("before", log[AUDIT_PAGE - 1].seq.to_string())];
        if let Some(e) = &entity {
            pairs.push(("entity", e.clone()));
        }
        format!("/o/{slug}/audit?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
    });
    let entries = log
        .into_iter()
        .map(|e| {
            let (before, after) =
                crate::diff::sides(e.before.as_deref().unwrap_or_default(), e.after.as_deref().unwrap_or_default());
            AuditView {
                at: when(e.at, l),
                what: change_word(e.before.is_some(), e.after.is_some(), l),
                by: e.by,
                entity: e.entity,
                kind: e.kind,
                before,
                after,
            }
        })
        .collect();
    let title = match &entity {
        Some(e) if e == draaiboek_plan::ORGANISATION_ROW => l
            .s("History of the organisation's settings", "Geschiedenis van de instellingen van de organisatie")
            .to_owned(),
        Some(e) => format!("{}: {e}", l.s("History", "Geschiedenis")),
        None => l.s("Audit log", "Logboek").to_owned(),
    };
    Ok(AuditPage { p: org_page(&ctx, &oc, title, "audit"), slug, entity, entries, older }.into_response())
}

struct VersionView {
    number: i64,
    note: String,
    when: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "versions.html")]
struct VersionsPage {
    p: Page,
    slug: String,
    can_edit: bool,
    versions: Vec<VersionView>,
}

pub async fn versions(State(app): State<App>, ctx: Ctx, Path(slug): Path<String>, Query(d): Query<Done>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let list = app.db.versions(oc.org.id).await.map_err(|e| internal(l, e))?;
    let mut p = org_page(&ctx, &oc, l.s("Published versions", "Gepubliceerde versies"), "versions");
    p.flash = flash(l, d.done.as_deref());
    Ok(VersionsPage {
        p,
        slug,
        can_edit: oc.can_edit(),
        versions: list
            .into_iter()
            .map(|v| VersionView {
                number: v.number,
                note: v.note,
                when: format!("{} · {}", when(v.published_at, l), v.published_by),
            })
            .collect(),
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct PublishForm {
    note: String,
}

pub async fn publish(
    State(app): State<App>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<PublishForm>,
) -> Res {
    let oc = editable(&app, &ctx, &slug).await?;
    app.db.publish(oc.org.id, f.note.trim(), &ctx.user.email).await.map_err(|e| internal(ctx.l, e))?;
    Ok(see_other(&format!("/o/{slug}/versions?done=published")))
}

struct ChangeView {
    what: &'static str,
    id: String,
    kind: String,
    before: Vec<crate::diff::Line>,
    after: Vec<crate::diff::Line>,
}

#[derive(Template, WebTemplate)]
#[template(path = "compare.html")]
struct ComparePage {
    p: Page,
    slug: String,
    from_label: String,
    to_label: String,
    changes: Vec<ChangeView>,
}

#[derive(Deserialize)]
pub struct CompareQuery {
    from: String,
    to: String,
}

pub async fn compare(State(app): State<App>, ctx: Ctx, Path(slug): Path<String>, Query(q): Query<CompareQuery>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let snap = |s: &str| match s {
        "now" => Some(Snapshot::Now),
        n => n.parse().ok().map(Snapshot::Version),
    };
    let label = |s: Snapshot| match s {
        Snapshot::Now => l.s("Now", "Nu").to_owned(),
        Snapshot::Version(n) => format!("{} {n}", l.s("Version", "Versie")),
    };
    let (Some(from), Some(to)) = (snap(&q.from), snap(&q.to)) else {
        return Err(not_found_page(l));
    };
    let changes = match app.db.compare(oc.org.id, from, to).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => return Err(not_found_page(l)),
        Err(e) => return Err(internal(l, e)),
    };
    let title = format!("{} → {}", label(from), label(to));
    Ok(ComparePage {
        p: org_page(&ctx, &oc, title, "versions"),
        slug,
        from_label: label(from),
        to_label: label(to),
        changes: changes
            .into_iter()
            .map(|c| {
                let (before, after) =
                    crate::diff::sides(c.before.as_deref().unwrap_or_default(), c.after.as_deref().unwrap_or_default());
                ChangeView {
                    what: change_word(c.before.is_some(), c.after.is_some(), l),
                    id: c.id,
                    kind: c.kind,
                    before,
                    after,
                }
            })
            .collect(),
    }
    .into_response())
}
