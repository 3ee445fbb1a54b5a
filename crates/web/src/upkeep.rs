//! Keeping the plan alive: the year planner of exercises, the calendar
//! feed to subscribe to, and reviewing the plan.

// Handlers answer with a page either way; boxing the error page buys nothing.
#![allow(clippy::result_large_err)]

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use draaiboek_analysis::planner::{Proposal, year_plan};
use draaiboek_plan::{Date, ExerciseKind, ORGANISATION_ROW};
use draaiboek_store::StoreError;

use crate::App;
use crate::auth::{self, Ctx};
use crate::form::Values;
use crate::pages::{
    Done, Page, apply_values, editable, error_page, flash, internal, lang_of, load, not_found_page, org_ctx, org_page,
    see_other,
};
use crate::schema::{self, ORGANISATION};

type Res = Result<Response, Response>;

const PER_MONTH_KEY: &str = "planner.per_month";
const SKIP_PREFIX: &str = "planner.skip.";
const CALENDAR_KEY: &str = "calendar.token";

pub struct ProposalRow {
    key: String,
    month: String,
    date: String,
    kind: String,
    what: Vec<String>,
    covers: Vec<String>,
    why: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "planner.html")]
struct PlannerPage {
    p: Page,
    can_edit: bool,
    per_month: usize,
    rows: Vec<ProposalRow>,
    skipped: usize,
    kinds: Vec<(String, String)>,
    errors: Vec<String>,
}

/// The proposals, without what was skipped and what a planned exercise
/// already covers.
async fn proposals(
    app: &App,
    org: i64,
    plan: &draaiboek_plan::Plan,
    today: Date,
    per_month: usize,
    l: crate::i18n::L,
) -> Result<(Vec<Proposal>, usize), StoreError> {
    let skipped: Vec<String> =
        app.db.settings(org, SKIP_PREFIX).await?.into_iter().map(|(k, _)| k[SKIP_PREFIX.len()..].to_owned()).collect();
    let upcoming: Vec<&draaiboek_plan::Exercise> =
        plan.exercises.iter().filter(|e| e.performed.is_none() && e.planned.is_some_and(|d| d >= today)).collect();
    let planned = |t: &draaiboek_analysis::planner::Target| {
        upcoming
            .iter()
            .any(|e| if t.covers.is_empty() { e.kind == t.kind } else { t.covers.iter().all(|c| e.covers.contains(c)) })
    };
    let mut out = Vec::new();
    for mut p in year_plan(plan, today, per_month, lang_of(l)) {
        p.targets.retain(|t| !planned(t));
        if p.targets.is_empty() {
            continue;
        }
        if skipped.contains(&p.key()) {
            continue;
        }
        out.push(p);
    }
    Ok((out, skipped.len()))
}

async fn planner_view(app: &App, ctx: &Ctx, slug: &str, errors: Vec<String>, done: Option<&str>) -> Res {
    let oc = org_ctx(app, ctx, slug).await?;
    let l = ctx.l;
    let loaded = load(app, l, &oc).await?;
    let plan = loaded.plan.as_ref().map_err(|_| {
        error_page(l, StatusCode::CONFLICT, l.s("The plan cannot be read.", "Het plan is niet te lezen."))
    })?;
    let per_month: usize = app
        .db
        .setting(oc.org.id, PER_MONTH_KEY)
        .await
        .map_err(|e| internal(l, e))?
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let (list, skipped) =
        proposals(app, oc.org.id, plan, loaded.today, per_month, l).await.map_err(|e| internal(l, e))?;
    let lang = lang_of(l);
    let rows = list
        .iter()
        .map(|p| ProposalRow {
            key: p.key(),
            month: draaiboek_render::doc::date(p.date, lang).split_whitespace().skip(1).collect::<Vec<_>>().join(" "),
            date: p.date.to_string(),
            kind: p.kind.as_str().to_owned(),
            what: p.targets.iter().map(|t| t.label.clone()).collect(),
            covers: p.covers().iter().map(|c| c.to_string()).collect(),
            why: p
                .targets
                .iter()
                .map(|t| match t.last_tested {
                    None => l.s("never tested", "nooit getest").to_owned(),
                    Some(d) => {
                        format!("{} {}", l.s("last tested", "laatst getest"), draaiboek_render::doc::date(d, lang))
                    }
                })
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let mut p = org_page(ctx, &oc, l.s("Year planner", "Jaarplanner"), "planner");
    p.flash = flash(l, done);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((
        status,
        PlannerPage {
            p,
            can_edit: oc.can_edit(),
            per_month,
            rows,
            skipped,
            kinds: ExerciseKind::ALL.iter().map(|k| (k.as_str().to_owned(), schema::keyword(k.as_str(), l))).collect(),
            errors,
        },
    )
        .into_response())
}

pub async fn planner(State(app): State<App>, ctx: Ctx, Path(slug): Path<String>, Query(d): Query<Done>) -> Res {
    planner_view(&app, &ctx, &slug, Vec::new(), d.done.as_deref()).await
}

/// Accept a proposal (as proposed, or with another date or kind), skip it,
/// bring skipped ones back, or set how many exercises a month.
pub async fn planner_change(
    State(app): State<App>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Res {
    let oc = editable(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let v = Values::from_pairs(form);
    match v.one("action") {
        "per_month" => {
            let n: usize = v.one("per_month").parse().unwrap_or(0);
            if !(1..=8).contains(&n) {
                return planner_view(
                    &app,
                    &ctx,
                    &slug,
                    vec![l.s("Choose 1 to 8 exercises a month.", "Kies 1 tot 8 oefeningen per maand.").into()],
                    None,
                )
                .await;
            }
            app.db.set_setting(oc.org.id, PER_MONTH_KEY, Some(&n.to_string())).await.map_err(|e| internal(l, e))?;
        }
        "skip" => {
            let key = format!("{SKIP_PREFIX}{}", v.one("key"));
            app.db
                .set_setting(oc.org.id, &key, Some(&crate::cache::today().to_string()))
                .await
                .map_err(|e| internal(l, e))?;
        }
        "unskip" => {
            for (k, _) in app.db.settings(oc.org.id, SKIP_PREFIX).await.map_err(|e| internal(l, e))? {
                app.db.set_setting(oc.org.id, &k, None).await.map_err(|e| internal(l, e))?;
            }
        }
        "accept" => {
            let date = v.one("date").to_owned();
            let kind = v.one("kind").to_owned();
            let covers: Vec<String> = v.all("covers").iter().map(|s| (*s).to_owned()).collect();
            let mut errors = Vec::new();
            if Date::parse(&date).is_err() {
                errors.push(l.s("Give a date as 2027-03-15.", "Geef een datum, zoals 2027-03-15.").to_owned());
            }
            if ExerciseKind::parse(&kind).is_none() {
                errors.push(l.s("Choose the kind of exercise.", "Kies de soort oefening.").to_owned());
            }
            if errors.is_empty() {
                let loaded = load(&app, l, &oc).await?;
                let mut n = 1;
                let id = loop {
                    let id = format!(
                        "ex-{date}-{}{}",
                        kind.replace('_', "-"),
                        if n > 1 { format!("-{n}") } else { String::new() }
                    );
                    if loaded.entity(&id).is_none() {
                        break id;
                    }
                    n += 1;
                };
                let section = schema::section("exercises").expect("a section");
                let applied = apply_values(&app, &ctx.user.email, &oc, section, &id, l, |values| {
                    values.0.insert("kind".into(), vec![kind.clone()]);
                    values.0.insert("planned".into(), vec![date.clone()]);
                    values.0.insert("covers".into(), covers.clone());
                })
                .await;
                if let Err(problems) = applied {
                    errors.extend(problems);
                }
            }
            if !errors.is_empty() {
                return planner_view(&app, &ctx, &slug, errors, None).await;
            }
        }
        _ => return Err(error_page(l, StatusCode::BAD_REQUEST, l.s("Unknown action.", "Onbekende actie."))),
    }
    Ok(see_other(&format!("/o/{slug}/planner?done=saved")))
}

#[derive(Template, WebTemplate)]
#[template(path = "calendar.html")]
struct CalendarPage {
    p: Page,
    can_edit: bool,
    on: bool,
    link: Option<String>,
}

async fn calendar_view(app: &App, ctx: &Ctx, slug: &str, link: Option<String>, done: Option<&str>) -> Res {
    let oc = org_ctx(app, ctx, slug).await?;
    let l = ctx.l;
    let on = app.db.setting(oc.org.id, CALENDAR_KEY).await.map_err(|e| internal(l, e))?.is_some();
    let mut p = org_page(ctx, &oc, l.s("Calendar feed", "Agenda-abonnement"), "calendar");
    p.flash = flash(l, done);
    Ok(CalendarPage { p, can_edit: oc.can_edit(), on, link }.into_response())
}

pub async fn calendar(State(app): State<App>, ctx: Ctx, Path(slug): Path<String>, Query(d): Query<Done>) -> Res {
    calendar_view(&app, &ctx, &slug, None, d.done.as_deref()).await
}

/// A new secret address (the old one stops working), or none at all.
pub async fn calendar_change(
    State(app): State<App>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Res {
    let oc = editable(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let v = Values::from_pairs(form);
    match v.one("action") {
        "new" => {
            let token = auth::token();
            app.db
                .set_setting(oc.org.id, CALENDAR_KEY, Some(&auth::token_hash(&token)))
                .await
                .map_err(|e| internal(l, e))?;
            let link = format!("{}/feed/{token}.ics", app.config.public_url.trim_end_matches('/'));
            calendar_view(&app, &ctx, &slug, Some(link), None).await
        }
        "stop" => {
            app.db.set_setting(oc.org.id, CALENDAR_KEY, None).await.map_err(|e| internal(l, e))?;
            Ok(see_other(&format!("/o/{slug}/calendar?done=saved")))
        }
        _ => Err(error_page(l, StatusCode::BAD_REQUEST, l.s("Unknown action.", "Onbekende actie."))),
    }
}

/// The calendar feed: planned exercises and the next review, as iCalendar,
/// for whoever has the secret address (a calendar program has no session).
pub async fn feed(State(app): State<App>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    let l = crate::i18n::negotiate(None, &headers);
    let Some(token) = file.strip_suffix(".ics") else { return not_found_page(l) };
    let org = match app.db.org_with_setting(CALENDAR_KEY, &auth::token_hash(token)).await {
        Ok(o) => o,
        Err(_) => return not_found_page(l),
    };
    let loaded = match app.cache.load(app.db.as_ref(), org.id).await {
        Ok(x) => x,
        Err(e) => return internal(l, e),
    };
    let Ok(plan) = &loaded.plan else { return internal(l, "the plan cannot be read") };
    let lang = draaiboek_analysis::language(plan, None);
    let ics = draaiboek_render::calendar(plan, lang, loaded.today);
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=900")),
        ],
        ics,
    )
        .into_response()
}

/// "Mark as reviewed": a named person reviewed the plan today, with a note.
/// Sets `last_reviewed` and publishes the plan as a version with the note.
pub async fn review(
    State(app): State<App>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Res {
    let oc = editable(&app, &ctx, &slug).await?;
    let l = ctx.l;
    let v = Values::from_pairs(form);
    let loaded = load(&app, l, &oc).await?;
    let person = v.one("person").to_owned();
    let name = loaded
        .plan
        .as_ref()
        .ok()
        .and_then(|p| p.people.iter().find(|x| x.id.as_str() == person).map(|x| x.name.clone()));
    let Some(name) = name else {
        return Err(error_page(
            l,
            StatusCode::UNPROCESSABLE_ENTITY,
            l.s("Choose who reviewed the plan.", "Kies wie het plan heeft doorgelopen."),
        ));
    };
    let today = crate::cache::today().to_string();
    apply_values(&app, &ctx.user.email, &oc, &ORGANISATION, ORGANISATION_ROW, l, |values| {
        values.0.insert("last_reviewed".into(), vec![today.clone()]);
    })
    .await
    .map_err(|problems| error_page(l, StatusCode::UNPROCESSABLE_ENTITY, &problems.join("; ")))?;
    let note = v.one("note").trim();
    let text = if l.en() { format!("Reviewed by {name}") } else { format!("Doorgelopen door {name}") };
    let text = if note.is_empty() { text } else { format!("{text}: {note}") };
    app.db.publish(oc.org.id, &text, &ctx.user.email).await.map_err(|e| internal(l, e))?;
    Ok(see_other(&format!("/o/{slug}?done=reviewed")))
}

/// How many entities changed since the last published version, and the
/// number of that version; counted once per revision of the plan.
pub async fn changed_since_published(
    app: &App,
    loaded: &crate::cache::Loaded,
    org: i64,
) -> Result<Option<(i64, usize)>, StoreError> {
    let Some(last) = app.db.versions(org).await?.into_iter().next() else { return Ok(None) };
    if let Some((n, count)) = *loaded.changed_since.lock().expect("not poisoned")
        && n == last.number
    {
        return Ok(Some((n, count)));
    }
    let count = app.db.count_changes_since(org, last.number).await?;
    *loaded.changed_since.lock().expect("not poisoned") = Some((last.number, count));
    Ok(Some((last.number, count)))
}
