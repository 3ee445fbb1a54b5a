//! The pages of incident mode: activate, work through the checklist, keep
//! the log, watch it live, close, and get the report.

// Handlers answer with a page either way; boxing the error page buys nothing.
#![allow(clippy::result_large_err)]

use std::convert::Infallible;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use draaiboek_plan::{Effect, Hits, Id, Language};
use draaiboek_store::{Conflict, IncidentFull, ItemChange, NewIncident, StoreError};

use crate::auth::Ctx;
use crate::form::Values;
use crate::i18n::L;
use crate::incident::{self, ON_THE_SPOT};
use crate::pages::{
    Done, OrgCtx, Page, error_page, flash, internal, lang_of, load, not_found_page, org_ctx, org_page, see_other, when,
};
use crate::{App, now};

type Res = Result<Response, Response>;

pub struct IncidentRow {
    number: i64,
    title: String,
    exercise: bool,
    activated: String,
    closed: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "incidents.html")]
struct IncidentsPage {
    p: Page,
    slug: String,
    can_edit: bool,
    incidents: Vec<IncidentRow>,
    scenarios: Vec<(String, String)>,
    locations: Vec<(String, String)>,
    assets: Vec<(String, String)>,
    parties: Vec<(String, String)>,
    /// Exercises of the plan not yet performed, to run.
    planned: Vec<(String, String)>,
    errors: Vec<String>,
}

fn pairs<'a>(items: impl Iterator<Item = (&'a Id, &'a str)>) -> Vec<(String, String)> {
    items.map(|(id, name)| (id.to_string(), format!("{name} ({id})"))).collect()
}

async fn incidents_view(app: &App, ctx: &Ctx, oc: &OrgCtx, errors: Vec<String>, done: Option<&str>) -> Res {
    let l = ctx.l;
    let loaded = load(app, l, oc).await?;
    let list = app.db.incidents(oc.org.id).await.map_err(|e| internal(l, e))?;
    let mut p = org_page(ctx, oc, l.s("Incidents and exercises", "Incidenten en oefeningen"), "incidents");
    p.flash = flash(l, done);
    let planned = match &loaded.plan {
        Ok(plan) => plan
            .exercises
            .iter()
            .filter(|e| e.performed.is_none())
            .map(|e| {
                let when =
                    e.planned.map(|d| format!(", {}", draaiboek_render::doc::date(d, lang_of(l)))).unwrap_or_default();
                (e.id.to_string(), format!("{} ({}{when})", e.id, crate::schema::keyword(e.kind.as_str(), l)))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    let (scenarios, locations, assets, parties) = match &loaded.plan {
        Ok(plan) => (
            pairs(plan.scenarios.iter().map(|x| (&x.id, x.name.as_str()))),
            pairs(plan.locations.iter().map(|x| (&x.id, x.name.as_str()))),
            pairs(plan.assets.iter().map(|x| (&x.id, x.name.as_str()))),
            pairs(plan.parties.iter().map(|x| (&x.id, x.name.as_str()))),
        ),
        Err(_) => Default::default(),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((
        status,
        IncidentsPage {
            p,
            slug: oc.org.slug.clone(),
            can_edit: oc.can_edit() || loaded.plan.as_ref().is_ok_and(|p| may_activate(p, &ctx.user.email)),
            incidents: list
                .into_iter()
                .map(|i| IncidentRow {
                    number: i.number,
                    title: i.title,
                    exercise: i.exercise,
                    activated: format!("{} · {}", when(i.activated_at, l), i.activated_by),
                    closed: i.closed_at.is_some(),
                })
                .collect(),
            scenarios,
            locations,
            assets,
            parties,
            planned,
            errors,
        },
    )
        .into_response())
}

pub async fn incidents(State(app): State<App>, ctx: Ctx, Path(slug): Path<String>, Query(d): Query<Done>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    incidents_view(&app, &ctx, &oc, Vec::new(), d.done.as_deref()).await
}

/// Activates the plan: for a scenario of the plan, or for what is hit,
/// chosen on the spot.
pub async fn activate(
    State(app): State<App>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Res {
    let l = ctx.l;
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let loaded = load(&app, l, &oc).await?;
    // Editors and owners may activate; so may whoever the plan names to
    // activate it or to coordinate (or their deputies), by e-mail address.
    if !oc.can_edit() && !loaded.plan.as_ref().is_ok_and(|p| may_activate(p, &ctx.user.email)) {
        return Err(crate::pages::forbidden(l));
    }
    let v = Values::from_pairs(form);
    let Ok(plan) = &loaded.plan else {
        return incidents_view(
            &app,
            &ctx,
            &oc,
            vec![l.s("The plan cannot be read.", "Het plan is niet te lezen.").into()],
            None,
        )
        .await;
    };
    let lang = lang_of(l);
    let exercise = v.one("exercise") == "1";
    let scenario = v.one("scenario").to_owned();
    let mut errors = Vec::new();
    let ids = |key: &str| -> Vec<Id> { v.all(key).iter().filter_map(|s| Id::new(s).ok()).collect() };
    let (plan_used, scenario_id, hits_json, default_title) = if scenario == ON_THE_SPOT {
        let hits = Hits { locations: ids("hits.locations"), assets: ids("hits.assets"), parties: ids("hits.parties") };
        if hits.locations.is_empty() && hits.assets.is_empty() && hits.parties.is_empty() {
            errors.push(
                l.s(
                    "Choose what is hit: a location, an asset or a party.",
                    "Kies wat er getroffen is: een locatie, een ICT-middel of een partij.",
                )
                .to_owned(),
            );
        }
        let effect = if v.one("effect") == "unavailable" { Effect::Unavailable } else { Effect::Destroyed };
        let json = hits_to_json(&hits);
        let title = l.s("Chosen on the spot", "Ter plekke gekozen").to_owned();
        (Some(incident::with_scenario_on_the_spot(plan, hits, effect, lang)), None, json, title)
    } else {
        match plan.scenarios.iter().find(|s| s.id.as_str() == scenario) {
            Some(s) => (None, Some(scenario.clone()), hits_to_json(&s.hits), s.name.clone()),
            None => {
                errors.push(l.s("Choose a scenario.", "Kies een scenario.").to_owned());
                (None, None, String::new(), String::new())
            }
        }
    };
    if !errors.is_empty() {
        return incidents_view(&app, &ctx, &oc, errors, None).await;
    }
    let used = plan_used.as_ref().unwrap_or(plan);
    let which = scenario_id.clone().unwrap_or_else(|| ON_THE_SPOT.to_owned());
    let items = incident::checklist(used, &which, lang).ok_or_else(|| internal(l, "no such scenario"))?;
    let title = if v.one("title").trim().is_empty() { default_title } else { v.one("title").trim().to_owned() };
    let new = NewIncident {
        exercise,
        title,
        scenario: scenario_id,
        hits: hits_json,
        exercise_id: Some(v.one("exercise_id").to_owned()).filter(|s| !s.is_empty()),
        by: ctx.user.email.clone(),
        items,
    };
    let created = app.db.create_incident(oc.org.id, &new).await.map_err(|e| internal(l, e))?;
    if let Some(mail) = app.config.mail.clone() {
        let link = format!("{}/o/{slug}/incidents/{}", app.config.public_url.trim_end_matches('/'), created.number);
        let message = crate::reminders::activation_message(used, &created.title, &ctx.user.name, &link, exercise);
        // The page answers now; the mail goes on its own.
        tokio::spawn(async move {
            if let Err(e) = mail.send(&message).await {
                eprintln!("activation mail: {e}");
            }
        });
    }
    Ok(see_other(&format!("/o/{slug}/incidents/{}", created.number)))
}

/// The organisation, for someone who may work an incident: an editor or
/// owner, or whoever the plan names to activate or coordinate (and deputies).
async fn actor(app: &App, ctx: &Ctx, slug: &str) -> Result<OrgCtx, Response> {
    let oc = org_ctx(app, ctx, slug).await?;
    if oc.can_edit() {
        return Ok(oc);
    }
    let loaded = load(app, ctx.l, &oc).await?;
    if loaded.plan.as_ref().is_ok_and(|p| may_activate(p, &ctx.user.email)) {
        return Ok(oc);
    }
    Err(crate::pages::forbidden(ctx.l))
}

/// Whether the plan names the person with this e-mail address to activate
/// it or to coordinate, or as the deputy of one who does.
pub fn may_activate(plan: &draaiboek_plan::Plan, email: &str) -> bool {
    let o = &plan.organisation;
    let named: Vec<&Id> = [&o.plan_activator, &o.crisis_coordinator].into_iter().flatten().collect();
    let mut ids: Vec<&Id> = named.clone();
    for id in named {
        if let Some(d) = plan.people.iter().find(|p| &p.id == id).and_then(|p| p.deputy.as_ref()) {
            ids.push(d);
        }
    }
    let email = email.trim().to_lowercase();
    plan.people
        .iter()
        .filter(|p| ids.contains(&&p.id))
        .any(|p| [&p.email, &p.private_email].into_iter().flatten().any(|a| a.trim().to_lowercase() == email))
}

fn hits_to_json(h: &Hits) -> String {
    let list = |ids: &[Id]| ids.iter().map(|i| i.to_string()).collect::<Vec<_>>();
    serde_json::json!({"locations": list(&h.locations), "assets": list(&h.assets), "parties": list(&h.parties)})
        .to_string()
}

pub struct ItemView {
    seq: i64,
    title: String,
    owner: String,
    owner_name: String,
    /// The owner is a person of the plan (else a party, shown as it is).
    owner_known: bool,
    /// Whom to call, with the numbers as `tel:` links.
    call: crate::tel::Pieces,
    procedure: String,
    state: String,
    state_label: &'static str,
    reason: String,
    changed: String,
    planned: String,
    planned_when: String,
    /// A process the situation does not hit.
    not_hit: bool,
    /// first_hour, call, step, task or process.
    kind: String,
    late: bool,
    error: Option<String>,
}

pub struct IncidentView {
    exercise: bool,
    scenario: String,
    activated: String,
    elapsed: String,
    closed: Option<String>,
    groups: Vec<(String, Vec<ItemView>)>,
    processes: Vec<ItemView>,
    log: Vec<(String, String, String)>,
    people: Vec<(String, String)>,
    base: String,
    last_event: i64,
    states: Vec<(&'static str, &'static str)>,
    /// Hours since activation, as a number for the exercise's measured time.
    elapsed_hours: String,
    /// A problem with the whole page's form (log, closing).
    general_error: Option<String>,
    /// After an exercise: the findings about what it covered, with where to fix them.
    follow_up: Vec<(String, Option<String>)>,
}

fn state_label(state: &str, l: L) -> &'static str {
    match state {
        "todo" => l.s("to do", "te doen"),
        "doing" => l.s("under way", "bezig"),
        "done" => l.s("done", "gedaan"),
        _ => l.s("skipped", "overgeslagen"),
    }
}

fn view(
    full: &IncidentFull,
    slug: &str,
    plan: Option<&draaiboek_plan::Plan>,
    l: L,
    error: Option<(i64, String)>,
) -> IncidentView {
    let i = &full.incident;
    let lang = lang_of(l);
    let end = i.closed_at.unwrap_or_else(now);
    let name_of = |id: &str| -> String {
        plan.and_then(|p| {
            p.people
                .iter()
                .find(|x| x.id.as_str() == id)
                .map(|x| x.name.clone())
                .or_else(|| p.parties.iter().find(|x| x.id.as_str() == id).map(|x| x.name.clone()))
        })
        .unwrap_or_else(|| id.to_owned())
    };
    let item_view = |x: &draaiboek_store::Item| {
        let label =
            if x.kind == "call" && x.state == "done" { l.s("reached", "bereikt") } else { state_label(&x.state, l) };
        let planned_at = x.planned_hours.map(|h| i.activated_at + (h * 3600.0) as i64);
        let not_hit = incident::not_hit(x);
        let late = !not_hit
            && match (planned_at, x.state.as_str(), x.changed_at) {
                (Some(p), "done", Some(c)) => c > p,
                (Some(_), "skipped", _) => false,
                (Some(p), _, _) => end > p,
                _ => false,
            };
        // Under the "Plan" column the time stands alone; in a list it says it is the plan's.
        let planned_when = match (x.kind.as_str(), x.planned_hours) {
            _ if not_hit => l.s("not hit: works on", "niet getroffen: werkt door").to_owned(),
            (_, Some(h)) => format!(
                "{} {} ({})",
                l.s("after", "na"),
                draaiboek_analysis::text::hours(h, lang),
                when(i.activated_at + (h * 3600.0) as i64, l)
            ),
            ("process", None) => l.s("never back", "komt nooit terug").to_owned(),
            _ => String::new(),
        };
        let planned =
            if planned_when.is_empty() { String::new() } else { format!("{} {planned_when}", l.s("plan:", "plan:")) };
        let changed = match (&x.changed_by, x.changed_at) {
            (Some(by), Some(at)) => {
                let after = incident::hours_between(i.activated_at, at, lang);
                if l.en() {
                    format!("{label} by {by}, {} ({after} after activation)", when(at, l))
                } else {
                    format!("{label} door {by}, {} ({after} na activering)", when(at, l))
                }
            }
            _ => String::new(),
        };
        ItemView {
            seq: x.seq,
            title: x.title.clone(),
            owner: x.owner.clone().unwrap_or_default(),
            owner_name: x.owner.as_deref().map(name_of).unwrap_or_default(),
            owner_known: x
                .owner
                .as_deref()
                .is_some_and(|o| plan.is_some_and(|p| p.people.iter().any(|q| q.id.as_str() == o))),
            call: crate::tel::pieces(&x.call),
            procedure: x.procedure.clone(),
            state: x.state.clone(),
            state_label: label,
            reason: x.reason.clone().unwrap_or_default(),
            changed,
            planned,
            planned_when,
            not_hit,
            kind: x.kind.clone(),
            late,
            error: error.as_ref().filter(|(s, _)| *s == x.seq).map(|(_, m)| m.clone()),
        }
    };
    let group = |kind: &str| full.items.iter().filter(|x| x.kind == kind).map(item_view).collect::<Vec<_>>();
    let mut groups = Vec::new();
    for (kind, en, nl) in [
        ("first_hour", "First hour", "Eerste uur"),
        ("call", "Call tree", "Belboom"),
        ("step", "Recovery steps, in order", "Herstelstappen, op volgorde"),
        ("task", "Tasks", "Taken"),
    ] {
        let items = group(kind);
        if !items.is_empty() {
            groups.push((l.s(en, nl).to_owned(), items));
        }
    }
    IncidentView {
        exercise: i.exercise,
        scenario: incident::scenario_label(i.scenario.as_deref(), plan, lang),
        activated: format!("{} · {}", when(i.activated_at, l), i.activated_by),
        elapsed: incident::hours_between(i.activated_at, end, lang),
        closed: i.closed_at.map(|c| format!("{} · {}", when(c, l), i.closed_by.clone().unwrap_or_default())),
        groups,
        processes: group("process"),
        log: full
            .events
            .iter()
            .rev()
            .filter(|e| e.kind == "log")
            .map(|e| (when(e.at, l), e.by.clone(), e.text.clone()))
            .collect(),
        people: plan.map(|p| p.people.iter().map(|x| (x.id.to_string(), x.name.clone())).collect()).unwrap_or_default(),
        base: format!("/o/{slug}/incidents/{}", i.number),
        last_event: full.events.last().map_or(0, |e| e.seq),
        states: ["todo", "doing", "done", "skipped"].into_iter().map(|s| (s, state_label(s, l))).collect(),
        elapsed_hours: format!("{:.1}", (end - i.activated_at).max(0) as f64 / 3600.0),
        general_error: error.as_ref().filter(|(s, _)| *s == 0).map(|(_, m)| m.clone()),
        follow_up: Vec::new(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "incident.html")]
struct IncidentPage {
    p: Page,
    v: IncidentView,
    can_edit: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "incident_live.html")]
struct IncidentLive {
    p: Page,
    v: IncidentView,
    can_edit: bool,
}

async fn full(app: &App, l: L, oc: &OrgCtx, number: i64) -> Result<IncidentFull, Response> {
    match app.db.incident(oc.org.id, number).await {
        Ok(f) => Ok(f),
        Err(StoreError::NotFound) => Err(not_found_page(l)),
        Err(e) => Err(internal(l, e)),
    }
}

async fn incident_view(
    app: &App,
    ctx: &Ctx,
    oc: &OrgCtx,
    number: i64,
    error: Option<(i64, String)>,
    done: Option<&str>,
) -> Res {
    let l = ctx.l;
    let f = full(app, l, oc, number).await?;
    let loaded = load(app, l, oc).await?;
    let mut v = view(&f, &oc.org.slug, loaded.plan.as_ref().ok(), l, error.clone());
    if f.incident.exercise && f.incident.closed_at.is_some() {
        v.follow_up = follow_up(&f, &loaded, &oc.org.slug, l).await;
    }
    let title = format!(
        "{} {}: {}",
        if f.incident.exercise { l.s("Exercise", "Oefening") } else { l.s("Incident", "Incident") },
        f.incident.number,
        f.incident.title
    );
    let mut p = org_page(ctx, oc, title, "incidents");
    p.flash = flash(l, done);
    let may = oc.can_edit() || loaded.plan.as_ref().is_ok_and(|p| may_activate(p, &ctx.user.email));
    let page = IncidentPage { p, v, can_edit: may && f.incident.closed_at.is_none() };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, page).into_response())
}

pub async fn incident_page(
    State(app): State<App>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, i64)>,
    Query(d): Query<Done>,
) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    incident_view(&app, &ctx, &oc, number, None, d.done.as_deref()).await
}

/// The findings of the checks about what a closed exercise covered (and
/// about the exercise itself), each with the form where the plan changes.
async fn follow_up(
    f: &IncidentFull,
    loaded: &std::sync::Arc<crate::cache::Loaded>,
    slug: &str,
    l: L,
) -> Vec<(String, Option<String>)> {
    let Ok(plan) = &loaded.plan else { return Vec::new() };
    let today = crate::cache::today();
    let id = f.incident.exercise_id.clone().unwrap_or_else(|| format!("ex-{today}-run-{}", f.incident.number));
    let Some(ex) = plan.exercises.iter().find(|e| e.id.as_str() == id) else { return Vec::new() };
    let Some(derived) = loaded.derived(lang_of(l)).await else { return Vec::new() };
    derived
        .report
        .findings
        .iter()
        .filter(|x| ex.covers.iter().any(|c| c.as_str() == x.subject) || x.message.contains(ex.id.as_str()))
        .map(|x| (format!("{}: {}", x.check.code, x.message), crate::pages::href_for(slug, loaded, &x.subject)))
        .collect()
}

/// The part of the incident page that changes, for the page's script.
pub async fn incident_live(State(app): State<App>, ctx: Ctx, Path((slug, number)): Path<(String, i64)>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let f = full(&app, l, &oc, number).await?;
    let loaded = load(&app, l, &oc).await?;
    let v = view(&f, &slug, loaded.plan.as_ref().ok(), l, None);
    let p = org_page(&ctx, &oc, String::new(), "incidents");
    let may = oc.can_edit() || loaded.plan.as_ref().is_ok_and(|p| may_activate(p, &ctx.user.email));
    Ok(IncidentLive { p, v, can_edit: may && f.incident.closed_at.is_none() }.into_response())
}

/// Server-sent events: the number of each new event of the incident, as it happens.
pub async fn incident_events(State(app): State<App>, ctx: Ctx, Path((slug, number)): Path<(String, i64)>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    full(&app, ctx.l, &oc, number).await?;
    let rx = app.live.subscribe((oc.org.id, number));
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(seq) => {
                    return Some((Ok::<_, Infallible>(SseEvent::default().event("change").data(seq.to_string())), rx));
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let mut r = Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

fn store_refusal(l: L, e: StoreError) -> Response {
    match e {
        StoreError::Conflict(Conflict::Closed) => error_page(
            l,
            StatusCode::CONFLICT,
            l.s(
                "This incident is closed; it does not change any more.",
                "Dit incident is afgesloten; het verandert niet meer.",
            ),
        ),
        StoreError::NotFound => not_found_page(l),
        e => internal(l, e),
    }
}

pub async fn change_item(
    State(app): State<App>,
    ctx: Ctx,
    Path((slug, number, seq)): Path<(String, i64, i64)>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Res {
    let oc = actor(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let v = Values::from_pairs(form);
    let state = v.one("state").to_owned();
    if !["todo", "doing", "done", "skipped"].contains(&state.as_str()) {
        return Err(error_page(l, StatusCode::BAD_REQUEST, l.s("Unknown state.", "Onbekende status.")));
    }
    let reason = v.one("reason").trim().to_owned();
    if state == "skipped" && reason.is_empty() {
        let msg = l.s("Say why it is skipped.", "Zeg waarom het wordt overgeslagen.").to_owned();
        return incident_view(&app, &ctx, &oc, number, Some((seq, msg)), None).await;
    }
    // The quick buttons send no owner: the item keeps its own.
    let owner = v.0.get("owner").map(|_| Some(v.one("owner").to_owned()).filter(|o| !o.is_empty()));
    let change =
        ItemChange { state, reason: Some(reason).filter(|r| !r.is_empty()), owner, by: ctx.user.email.clone() };
    let (_, e) = app.db.change_item(oc.org.id, number, seq, &change).await.map_err(|e| store_refusal(l, e))?;
    app.live.announce((oc.org.id, number), e.seq);
    Ok(see_other(&format!("/o/{slug}/incidents/{number}#item-{seq}")))
}

pub async fn add_log(
    State(app): State<App>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, i64)>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Res {
    let oc = actor(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let v = Values::from_pairs(form);
    let text = v.one("text").trim().to_owned();
    if text.is_empty() {
        return incident_view(
            &app,
            &ctx,
            &oc,
            number,
            Some((0, l.s("Write what happened.", "Schrijf op wat er gebeurde.").into())),
            None,
        )
        .await;
    }
    let e = app.db.log(oc.org.id, number, &ctx.user.email, &text).await.map_err(|e| store_refusal(l, e))?;
    app.live.announce((oc.org.id, number), e.seq);
    Ok(see_other(&format!("/o/{slug}/incidents/{number}#log")))
}

pub async fn close(
    State(app): State<App>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, i64)>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Res {
    let oc = actor(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let v = Values::from_pairs(form);
    let f = full(&app, l, &oc, number).await?;
    if f.incident.closed_at.is_some() {
        return Err(store_refusal(l, StoreError::Conflict(Conflict::Closed)));
    }
    if f.incident.exercise {
        // The result goes into the plan's exercise, which the checks read (MNT003, MNT004).
        let result = v.one("result").to_owned();
        if !["passed", "partly", "failed"].contains(&result.as_str()) {
            let msg = l.s(
                "Say how the exercise went: passed, partly or failed.",
                "Zeg hoe de oefening ging: geslaagd, deels of mislukt.",
            );
            return incident_view(&app, &ctx, &oc, number, Some((0, msg.into())), None).await;
        }
        let today = crate::cache::today();
        let id = f.incident.exercise_id.clone().unwrap_or_else(|| format!("ex-{today}-run-{number}"));
        let measured = v.one("measured_hours").trim().replace(',', ".");
        let findings = v.one("findings").trim().to_owned();
        let hits: serde_json::Value = serde_json::from_str(&f.incident.hits).unwrap_or_default();
        let exercises = crate::schema::section("exercises").expect("a section");
        let applied = crate::pages::apply_values(&app, &ctx.user.email, &oc, exercises, &id, l, |values| {
            if values.one("kind").is_empty() {
                values.0.insert("kind".into(), vec!["full".into()]);
                let covers: Vec<String> = ["locations", "assets", "parties"]
                    .iter()
                    .flat_map(|k| hits[k].as_array().cloned().unwrap_or_default())
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect();
                values.0.insert("covers".into(), covers);
            }
            values.0.insert("performed".into(), vec![today.to_string()]);
            values.0.insert("result".into(), vec![result.clone()]);
            if !measured.is_empty() {
                values.0.insert("measured_hours".into(), vec![measured.clone()]);
            }
            if !findings.is_empty() {
                let before = values.one("findings").to_owned();
                let all = if before.is_empty() { findings.clone() } else { format!("{before}\n{findings}") };
                values.0.insert("findings".into(), vec![all]);
            }
        })
        .await;
        if let Err(problems) = applied {
            let msg = format!(
                "{} {}",
                l.s("The result could not be recorded:", "Het resultaat kon niet worden vastgelegd:"),
                problems.join("; ")
            );
            return incident_view(&app, &ctx, &oc, number, Some((0, msg)), None).await;
        }
    }
    app.db
        .close_incident(oc.org.id, number, &ctx.user.email, v.one("note").trim())
        .await
        .map_err(|e| store_refusal(l, e))?;
    app.live.announce((oc.org.id, number), i64::MAX);
    Ok(see_other(&format!("/o/{slug}/incidents/{number}?done=closed")))
}

/// The report of a closed incident, as PDF.
pub async fn report(State(app): State<App>, ctx: Ctx, Path((slug, number)): Path<(String, i64)>) -> Res {
    let oc = org_ctx(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let f = full(&app, l, &oc, number).await?;
    if f.incident.closed_at.is_none() {
        return Err(error_page(
            l,
            StatusCode::CONFLICT,
            l.s(
                "The report is made when the incident is closed.",
                "Het verslag wordt gemaakt als het incident is afgesloten.",
            ),
        ));
    }
    let loaded = load(&app, l, &oc).await?;
    let plan = loaded.plan.as_ref().ok();
    let lang = plan.map_or(Language::En, |p| draaiboek_analysis::language(p, None));
    let doc = incident::report(&f, &oc.org.name, plan, lang);
    let today = crate::cache::today();
    let _one = app.renders.acquire().await.map_err(|e| internal(l, e))?;
    let pdf = tokio::task::spawn_blocking(move || draaiboek_render::pdf(&doc, today))
        .await
        .map_err(|e| internal(l, e))?
        .map_err(|e| internal(l, e))?;
    let name = format!("attachment; filename=\"{slug}-incident-{number}.pdf\"");
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&name).unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        pdf,
    )
        .into_response())
}
