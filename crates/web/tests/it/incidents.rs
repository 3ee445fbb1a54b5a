//! Incident mode through the pages: from activating the plan to the report.

use axum::http::StatusCode;

use crate::client::World;

fn pdf_text(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("draaiboek-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) reads the report back");
    let _ = std::fs::remove_dir_all(&dir);
    // pdftotext breaks lines and drops no-break spaces: compare without white space.
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn seq_of(body: &str, title: &str) -> String {
    let at = body.find(title).unwrap_or_else(|| panic!("no item {title}"));
    let before = &body[..at];
    let id = before.rfind("id=\"item-").expect("an item") + "id=\"item-".len();
    before[id..].split('"').next().unwrap().to_owned()
}

#[tokio::test(flavor = "current_thread")]
async fn the_full_course_of_an_incident() {
    let w = World::new().await;
    let mut c = w.client("editor@acme.nl").await;
    c.get("/o/acme/incidents").await;
    let r = c.post("/o/acme/incidents", &[("scenario", "fire-office"), ("title", "Fire in the server room")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some("/o/acme/incidents/2"), "numbered after the one there is");
    let page = c.get("/o/acme/incidents/2").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<dd>Fire at head office (fire-office)</dd>"), "the scenario by its name");
    // A process the fire does not touch is neither late nor to be marked back.
    let alarm = page.body.find("<td>Warehouse alarm monitoring</td>").expect("the alarm process");
    let row = &page.body[alarm..alarm + page.body[alarm..].find("</tr>").unwrap()];
    assert!(row.contains("not hit: works on") && row.contains("—") && !row.contains("Back now"), "{row}");
    let dash = c.get("/o/acme").await;
    assert!(
        dash.body.contains("The plan is activated:") && dash.body.contains("/o/acme/incidents/2"),
        "the dashboard says so"
    );
    let active = "href=\"/o/acme/incidents/2\">Plan activated: Fire in the server room</a>";
    assert!(c.get("/").await.body.contains(active), "so does the overview of organisations");
    for part in ["First hour", "Call tree", "Recovery steps, in order", "Processes: back when?", "plan: after"] {
        assert!(page.body.contains(part), "{part}");
    }
    assert!(page.body.contains("data-events=\"/o/acme/incidents/2/events\""));
    // One tap for the usual change; the rest behind a disclosure.
    assert!(page.body.contains("class=\"quick-done\"") && page.body.contains(">Reached<span"), "call tree items");
    assert!(page.body.contains("<summary>Skip, reassign or set back"));

    // Work through it: one done, one under way with a new owner, one skipped (with a reason).
    let first_step = {
        let at = page.body.find("Recovery steps, in order").unwrap();
        let id = page.body[at..].find("id=\"item-").unwrap() + at + "id=\"item-".len();
        page.body[id..].split('"').next().unwrap().to_owned()
    };
    let r = c.post(&format!("/o/acme/incidents/2/items/{first_step}"), &[("state", "done"), ("owner", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let call = seq_of(&page.body, "calls");
    let r = c.post(&format!("/o/acme/incidents/2/items/{call}"), &[("state", "doing"), ("owner", "david")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let insurer = seq_of(&page.body, "Notify Aviva and open a claim");
    let r = c.post(&format!("/o/acme/incidents/2/items/{insurer}"), &[("state", "skipped"), ("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "skipping needs a reason");
    assert!(r.body.contains("Say why it is skipped"));
    let r = c
        .post(
            &format!("/o/acme/incidents/2/items/{insurer}"),
            &[("state", "skipped"), ("reason", "The broker calls them for us")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let process = {
        let at = page.body.find("Processes: back when?").unwrap();
        let id = page.body[at..].find("id=\"item-").unwrap() + at + "id=\"item-".len();
        page.body[id..].split('"').next().unwrap().to_owned()
    };
    assert_eq!(
        c.post(&format!("/o/acme/incidents/2/items/{process}"), &[("state", "done")]).await.status,
        StatusCode::SEE_OTHER
    );
    for missing in ["/o/acme/incidents/2/items/9999", "/o/acme/incidents/99/items/1", "/o/acme/incidents/99/log"] {
        let r = c.post(missing, &[("state", "done"), ("text", "x")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{missing}");
    }

    // The log: entries by anyone on the team, kept in order.
    assert_eq!(c.post("/o/acme/incidents/2/log", &[("text", "")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    c.post("/o/acme/incidents/2/log", &[("text", "Fire brigade on site, building closed")]).await;
    let mut owner = w.client("owner@acme.nl").await;
    owner.get("/o/acme/incidents/2").await;
    owner.post("/o/acme/incidents/2/log", &[("text", "Insurer called: claim NF-2026-118")]).await;
    let page = c.get("/o/acme/incidents/2").await;
    assert!(page.body.contains("done by editor@acme.nl"));
    assert!(page.body.contains("skipped by editor@acme.nl") && page.body.contains("The broker calls them for us"));
    assert!(page.body.contains("under way by editor@acme.nl"));
    let live = c.get("/o/acme/incidents/2/live").await;
    assert!(live.body.contains("Insurer called: claim NF-2026-118") && !live.body.contains("<html"), "a fragment");

    // No report before closing; closing makes it, and the incident stays as it was.
    assert_eq!(c.get("/o/acme/incidents/2/report.pdf").await.status, StatusCode::CONFLICT);
    let r = c.post("/o/acme/incidents/2/close", &[("note", "All processes back")]).await;
    assert_eq!(r.location.as_deref(), Some("/o/acme/incidents/2?done=closed"));
    assert!(!c.get("/").await.body.contains(active), "closed, it leaves the overview");
    assert_eq!(c.post("/o/acme/incidents/2/log", &[("text", "too late")]).await.status, StatusCode::CONFLICT);
    assert_eq!(
        c.post(&format!("/o/acme/incidents/2/items/{first_step}"), &[("state", "todo")]).await.status,
        StatusCode::CONFLICT
    );
    let report = c.get("/o/acme/incidents/2/report.pdf").await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.content_type.starts_with("application/pdf") && report.bytes.starts_with(b"%PDF"));
    let text = pdf_text(&report.bytes);
    for part in [
        "Incident 2: Fire in the server room",
        "Fire at head office (fire-office)",
        "Timeline",
        "Steps and tasks",
        "Recovery against the plan",
        "The broker calls them for us",
        "skipped",
        "Fire brigade on site, building closed",
        "Insurer called: claim NF-2026-118",
        "owner@acme.nl",
        "All processes back",
    ] {
        assert!(text.contains(part), "the report has {part:?}: {text}");
    }

    // The list shows it closed; an incident cannot be deleted or its log edited through any address.
    let list = c.get("/o/acme/incidents").await;
    assert!(list.body.contains("Fire in the server room") && list.body.contains("closed"));
    for (method, url) in [
        ("DELETE", "/o/acme/incidents/2"),
        ("POST", "/o/acme/incidents/2/delete"),
        ("PUT", "/o/acme/incidents/2/log"),
        ("DELETE", "/o/acme/incidents/2/log"),
        ("POST", "/o/acme/incidents/2/log/1"),
        ("POST", "/o/acme/incidents/2/log/1/delete"),
        ("PATCH", "/o/acme/incidents/2/items/1"),
    ] {
        let csrf = c.csrf.clone();
        let body = format!("_csrf={csrf}&text=rewritten");
        let req = axum::http::Request::builder()
            .method(method)
            .uri(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body))
            .unwrap();
        let r = c.send(req).await;
        assert!(
            [StatusCode::NOT_FOUND, StatusCode::METHOD_NOT_ALLOWED].contains(&r.status),
            "{method} {url}: {}",
            r.status
        );
    }
    let after = c.get("/o/acme/incidents/2/live").await;
    assert!(after.body.contains("Insurer called: claim NF-2026-118") && !after.body.contains("rewritten"));
}

#[tokio::test(flavor = "current_thread")]
async fn activating_for_what_is_hit_chosen_on_the_spot_and_as_an_exercise() {
    let w = World::new().await;
    let mut c = w.client("owner@acme.nl").await;
    c.get("/o/acme/incidents").await;
    let r = c.post("/o/acme/incidents", &[("scenario", "on-the-spot")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choose what is hit"));
    let r = c
        .post(
            "/o/acme/incidents",
            &[("scenario", "on-the-spot"), ("hits.assets", "srv-erp"), ("effect", "destroyed"), ("exercise", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = c.get(r.location.as_deref().unwrap()).await;
    assert!(page.body.contains("EXERCISE — this is not a real incident"));
    assert!(page.body.contains("chosen on the spot"));
    assert!(page.body.contains("ERP server"), "the steps are about what was hit");
    let list = c.get("/o/acme/incidents").await;
    assert!(list.body.contains("EXERCISE"));
}

#[tokio::test(flavor = "current_thread")]
async fn an_exercise_runs_like_an_incident_and_its_result_goes_into_the_plan() {
    use draaiboek_store::Store;
    let w = World::new().await;
    let mut c = w.client("editor@acme.nl").await;
    let list = c.get("/o/acme/incidents").await;
    assert!(list.body.contains("value=\"ex-2027-full\""), "planned exercises can be run");
    let r = c
        .post(
            "/o/acme/incidents",
            &[
                ("scenario", "fire-warehouse"),
                ("exercise", "1"),
                ("exercise_id", "ex-2027-full"),
                ("title", "Full exercise"),
            ],
        )
        .await;
    let url = r.location.clone().unwrap();
    let page = c.get(&url).await;
    assert!(page.body.contains("EXERCISE") && page.body.contains("How did the exercise go?"));
    let close = format!("{url}/close");
    let r = c.post(&close, &[("note", "done")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Say how the exercise went"));
    let r = c
        .post(
            &close,
            &[
                ("result", "partly"),
                ("measured_hours", "30"),
                ("findings", "The label printer spare was not on site"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let org = w.db.org("acme").await.unwrap();
    let body = w.db.entity(org.id, "ex-2027-full").await.unwrap().body;
    let today = draaiboek_plan::Date::from_unix_days(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 / 86_400,
    );
    assert!(body.contains(&format!("performed: {today}")), "{body}");
    assert!(body.contains("result: partly") && body.contains("measured_hours: 30"), "{body}");
    assert!(body.contains("The label printer spare was not on site"), "{body}");
    let audit = c.get("/o/acme/audit").await;
    assert!(audit.body.contains("ex-2027-full"), "the change is in the audit log");
    // The exercise's page points at what to change in the plan.
    let page = c.get(&url).await;
    assert!(page.body.contains("What the exercise found in the plan"), "{}", page.body);
    assert!(page.body.contains("Change the plan"));
}

#[tokio::test(flavor = "current_thread")]
async fn whoever_the_plan_names_to_activate_it_may_do_so_without_being_an_editor() {
    use draaiboek_store::{Accounts, Role, Store};
    let w = World::new().await;
    let org = w.db.org("acme").await.unwrap();
    // David activates the plan in Northfield's plan; his account is only a viewer.
    let hash = draaiboek_web::hash_password(crate::client::PASSWORD);
    let david = w.db.create_user("David.Ashworth@northfield-logistics.example", "David", &hash, false).await.unwrap();
    w.db.set_role(david.id, org.id, Some(Role::Viewer)).await.unwrap();
    let mut c = w.client("david.ashworth@northfield-logistics.example").await;
    let list = c.get("/o/acme/incidents").await;
    assert!(list.body.contains("Activate the plan"));
    let r = c.post("/o/acme/incidents", &[("scenario", "power-office")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.location.unwrap();
    assert_eq!(c.post(&format!("{url}/log"), &[("text", "Generator hire called")]).await.status, StatusCode::SEE_OTHER);
    // The plan itself stays read-only for him.
    c.get("/o/acme/s/assets/srv-erp").await;
    assert_eq!(
        c.post("/o/acme/s/assets/srv-erp", &[("_version", "1"), ("name", "x")]).await.status,
        StatusCode::FORBIDDEN
    );
    // Another viewer may not.
    let mut v = w.client("viewer@acme.nl").await;
    v.get("/o/acme/incidents").await;
    assert_eq!(v.post("/o/acme/incidents", &[("scenario", "power-office")]).await.status, StatusCode::FORBIDDEN);
}
