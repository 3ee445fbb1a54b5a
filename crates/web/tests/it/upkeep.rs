//! Upkeep through the pages: the year planner, the calendar feed, reviews.

use axum::http::StatusCode;
use draaiboek_store::Store;

use crate::client::{Client, World};

#[tokio::test(flavor = "current_thread")]
async fn the_year_planner_proposes_and_proposals_are_accepted_changed_or_skipped() {
    let w = World::new().await;
    let mut c = w.client("editor@acme.nl").await;
    let page = c.get("/o/acme/planner").await;
    assert_eq!(page.status, StatusCode::OK);
    let proposals = page.body.matches("name=\"action\" value=\"accept\"").count();
    assert!(proposals >= 3, "{}", page.body);
    // The first proposal, planned on another date.
    let key_at = page.body.find("value=\"accept\"><input type=\"hidden\" name=\"key\" value=\"").unwrap();
    let key: String = page.body[key_at + 54..].split('"').next().unwrap().to_owned();
    let covers_at = page.body[key_at..].find("name=\"covers\" value=\"").map(|i| i + key_at + 21);
    let covers: Vec<String> =
        covers_at.map(|i| page.body[i..].split('"').next().unwrap().to_owned()).into_iter().collect();
    let mut form = vec![("action", "accept"), ("key", key.as_str()), ("date", "2027-02-03"), ("kind", "walkthrough")];
    for cv in &covers {
        form.push(("covers", cv));
    }
    let r = c.post("/o/acme/planner", &form).await;
    assert_eq!(r.location.as_deref(), Some("/o/acme/planner?done=saved"), "{}", r.body);
    let org = w.db.org("acme").await.unwrap();
    let made = w.db.entity(org.id, "ex-2027-02-03-walkthrough").await.unwrap();
    assert!(made.body.contains("kind: walkthrough") && made.body.contains("planned: 2027-02-03"), "{}", made.body);
    let page = c.get("/o/acme/planner").await;
    assert_eq!(page.body.matches("value=\"accept\"").count(), proposals - 1, "what is planned is not proposed again");
    // Skipping, and bringing back.
    let key_at = page.body.find("value=\"skip\"><input type=\"hidden\" name=\"key\" value=\"").unwrap();
    let key: String = page.body[key_at + 52..].split('"').next().unwrap().to_owned();
    c.post("/o/acme/planner", &[("action", "skip"), ("key", &key)]).await;
    let page = c.get("/o/acme/planner").await;
    assert_eq!(page.body.matches("value=\"accept\"").count(), proposals - 2);
    assert!(page.body.contains("Show the skipped proposals again"));
    c.post("/o/acme/planner", &[("action", "unskip")]).await;
    assert_eq!(c.get("/o/acme/planner").await.body.matches("value=\"accept\"").count(), proposals - 1);
    // A bad date is refused, and nothing is made.
    let r =
        c.post("/o/acme/planner", &[("action", "accept"), ("key", "x"), ("date", "soon"), ("kind", "tabletop")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        c.post("/o/acme/planner", &[("action", "per_month"), ("per_month", "40")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_calendar_feed_with_a_secret_address_that_can_be_revoked() {
    let w = World::new().await;
    let mut c = w.client("editor@acme.nl").await;
    c.get("/o/acme/calendar").await;
    let r = c.post("/o/acme/calendar", &[("action", "new")]).await;
    let at = r.body.find("http://127.0.0.1:8080/feed/").expect("the address is shown once");
    let path: String = r.body[at + "http://127.0.0.1:8080".len()..].split('<').next().unwrap().to_owned();
    assert!(path.ends_with(".ics"));
    // A calendar program has no session.
    let mut program = Client::new(w.router.clone());
    let feed = program.get(&path).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.content_type.starts_with("text/calendar"));
    assert!(feed.body.starts_with("BEGIN:VCALENDAR") && feed.body.contains("BEGIN:VEVENT"));
    assert!(feed.body.contains("ex-2027-full"), "planned exercises are in it");
    // A new address: the old one stops working. Off: none works.
    c.get("/o/acme/calendar").await;
    let r = c.post("/o/acme/calendar", &[("action", "new")]).await;
    assert_eq!(program.get(&path).await.status, StatusCode::NOT_FOUND);
    let at = r.body.find("http://127.0.0.1:8080/feed/").unwrap();
    let second: String = r.body[at + "http://127.0.0.1:8080".len()..].split('<').next().unwrap().to_owned();
    assert_eq!(program.get(&second).await.status, StatusCode::OK);
    c.post("/o/acme/calendar", &[("action", "stop")]).await;
    assert_eq!(program.get(&second).await.status, StatusCode::NOT_FOUND);
    assert_eq!(program.get("/feed/nonsense.ics").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "current_thread")]
async fn marking_the_plan_as_reviewed_sets_the_date_and_publishes_a_version() {
    let w = World::new().await;
    let mut c = w.client("editor@acme.nl").await;
    let dash = c.get("/o/acme").await;
    assert!(dash.body.contains("Nothing published yet") && dash.body.contains("Mark as reviewed"));
    assert!(!dash.body.contains("overdue"), "{}", dash.body);
    // Reviewed long ago (every 12 months): the dashboard says the review is overdue.
    let v = c.get("/o/acme/settings").await.version();
    c.post(
        "/o/acme/settings",
        &[("_version", &v), ("name", "Northfield Logistics Ltd"), ("last_reviewed", "2020-01-10")],
    )
    .await;
    let dash = c.get("/o/acme").await;
    let due =
        draaiboek_render::doc::date(draaiboek_plan::Date::parse("2021-01-10").unwrap(), draaiboek_plan::Language::En);
    assert!(dash.body.contains(&format!("<dd><strong class=\"bad\">{due} · overdue</strong></dd>")), "{}", dash.body);
    let r = c.post("/o/acme/review", &[("person", "claire"), ("note", "All phone numbers checked")]).await;
    assert_eq!(r.location.as_deref(), Some("/o/acme?done=reviewed"), "{}", r.body);
    let org = w.db.org("acme").await.unwrap();
    let settings = w.db.entity(org.id, draaiboek_plan::ORGANISATION_ROW).await.unwrap().body;
    let today = draaiboek_plan::Date::from_unix_days(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 / 86_400,
    );
    assert!(settings.contains(&format!("last_reviewed: {today}")), "{settings}");
    let versions = w.db.versions(org.id).await.unwrap();
    assert_eq!(versions[0].note, "Reviewed by Claire Hughes: All phone numbers checked");
    let dash = c.get("/o/acme").await;
    assert!(dash.body.contains("No changes since the last published version (1)"), "{}", dash.body);
    assert!(!dash.body.contains("MNT001"), "the review is no longer due");
    let shown = draaiboek_render::doc::date(today, draaiboek_plan::Language::En);
    assert!(dash.body.contains(&format!("<dt>Last reviewed</dt><dd>{shown}</dd>")), "{}", dash.body);
    // A change after it shows on the dashboard.
    let page = c.get("/o/acme/settings").await;
    let v = page.version();
    c.post(
        "/o/acme/settings",
        &[("_version", &v), ("name", "Northfield Logistics Limited"), ("last_reviewed", &today.to_string())],
    )
    .await;
    let dash = c.get("/o/acme").await;
    assert!(dash.body.contains("1 change since the last published version (1)"), "{}", dash.body);
    let r = c.post("/o/acme/review", &[("person", "nobody")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}
