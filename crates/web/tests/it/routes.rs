//! Every route: who may see it, who may change through it, and that no
//! form is taken without its anti-forgery token.

use axum::http::StatusCode;
use draaiboek_store::Store;

use crate::client::World;

/// Routes answering GET, and routes answering POST.
const GETS: &[&str] = &[
    "/",
    "/login",
    "/setup/{token}",
    "/account",
    "/orgs/new",
    "/users",
    "/assets/{file}",
    "/o/{org}",
    "/o/{org}/members",
    "/o/{org}/settings",
    "/o/{org}/s/{section}",
    "/o/{org}/s/{section}/new",
    "/o/{org}/s/{section}/{id}",
    "/o/{org}/scenario/{id}",
    "/o/{org}/import",
    "/o/{org}/export",
    "/o/{org}/documents",
    "/o/{org}/download/{file}",
    "/o/{org}/audit",
    "/o/{org}/versions",
    "/o/{org}/compare",
    "/o/{org}/incidents",
    "/o/{org}/incidents/{number}",
    "/o/{org}/incidents/{number}/live",
    "/o/{org}/incidents/{number}/events",
    "/o/{org}/incidents/{number}/report.pdf",
    "/o/{org}/planner",
    "/o/{org}/calendar",
    "/feed/{file}",
];
const POSTS: &[&str] = &[
    "/login",
    "/logout",
    "/logout-everywhere",
    "/setup/{token}",
    "/account",
    "/orgs/new",
    "/users",
    "/o/{org}/members",
    "/o/{org}/settings",
    "/o/{org}/s/{section}/new",
    "/o/{org}/s/{section}/{id}",
    "/o/{org}/s/{section}/{id}/delete",
    "/o/{org}/import",
    "/o/{org}/versions",
    "/o/{org}/incidents",
    "/o/{org}/incidents/{number}/items/{seq}",
    "/o/{org}/incidents/{number}/log",
    "/o/{org}/incidents/{number}/close",
    "/o/{org}/planner",
    "/o/{org}/calendar",
    "/o/{org}/review",
];
/// Reachable without signing in.
const PUBLIC: &[&str] = &["/login", "/logout", "/setup/{token}", "/assets/{file}", "/feed/{file}"];

fn concrete(path: &str, org: &str) -> String {
    let id = if path.contains("/scenario/") { "fire-office" } else { "srv-erp" };
    let file = if path.starts_with("/assets/") {
        "style.css"
    } else if path.starts_with("/feed/") {
        "0000.ics"
    } else {
        "plan.html"
    };
    let mut p = path
        .replace("{org}", org)
        .replace("{section}", "assets")
        .replace("{id}", id)
        .replace("{file}", file)
        .replace("{token}", &"0".repeat(64))
        .replace("{number}", "1")
        .replace("{seq}", "1");
    if p.ends_with("/compare") {
        p.push_str("?from=1&to=now");
    }
    p
}

/// A form each POST route could take, so that only the rule under test
/// stops it.
fn fields(path: &str) -> Vec<(&'static str, &'static str)> {
    match path {
        "/account" => vec![("action", "lang"), ("lang", "nl")],
        "/orgs/new" => vec![("name", "New"), ("slug", "new-org"), ("language", "en")],
        "/o/{org}/members" => vec![("action", "invite"), ("role", "owner")],
        "/o/{org}/settings" => vec![("name", "Renamed")],
        "/o/{org}/s/{section}/new" => vec![("id", "new-asset"), ("kind", "server"), ("name", "New server")],
        "/o/{org}/s/{section}/{id}" => vec![("_version", "1"), ("kind", "server"), ("name", "Renamed")],
        "/o/{org}/s/{section}/{id}/delete" => vec![("_version", "1")],
        "/o/{org}/versions" => vec![("note", "v")],
        "/o/{org}/incidents" => vec![("scenario", "fire-office")],
        "/o/{org}/incidents/{number}/items/{seq}" => vec![("state", "done")],
        "/o/{org}/incidents/{number}/log" => vec![("text", "written")],
        "/o/{org}/incidents/{number}/close" => vec![("note", "over")],
        "/o/{org}/planner" => vec![("action", "per_month"), ("per_month", "3")],
        "/o/{org}/calendar" => vec![("action", "new")],
        "/o/{org}/review" => vec![("person", "claire"), ("note", "checked")],
        _ => vec![],
    }
}

#[test]
fn the_tables_cover_every_route() {
    for path in draaiboek_web::route_paths() {
        assert!(GETS.contains(&path) || POSTS.contains(&path), "{path} is not tested");
    }
    for path in GETS.iter().chain(POSTS) {
        assert!(draaiboek_web::route_paths().contains(path), "{path} is no route");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn without_a_session_every_route_sends_to_the_sign_in_page() {
    let w = World::new().await;
    let mut c = crate::client::Client::new(w.router.clone());
    // A session cookie the server does not know counts as none.
    c.cookies.insert("draaiboek_session".into(), "made-up".into());
    for path in GETS.iter().filter(|p| !PUBLIC.contains(p)) {
        let url = concrete(path, "acme");
        let r = c.get(&url).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "GET {url}");
        let to = r.location.unwrap();
        assert!(to.starts_with("/login"), "GET {url} goes to {to}");
        if url != "/" {
            assert!(to.contains("next="), "GET {url} comes back after signing in: {to}");
        }
    }
    // With a valid anti-forgery token of the sign-in page, so that only the session is missing.
    c.get("/login").await;
    let before = w.revision("acme").await;
    for path in POSTS.iter().filter(|p| !PUBLIC.contains(p)) {
        let url = concrete(path, "acme");
        let r = if path.ends_with("/import") {
            c.upload(&url, "plan.yaml", crate::client::example("northfield-logistics.yaml").as_bytes(), true).await
        } else {
            c.post(&url, &fields(path)).await
        };
        assert_eq!(r.status, StatusCode::SEE_OTHER, "POST {url}");
        assert_eq!(r.location.as_deref(), Some("/login"), "POST {url}");
    }
    assert_eq!(w.revision("acme").await, before, "nothing changed");
}

#[tokio::test(flavor = "current_thread")]
async fn a_viewer_cannot_change_anything() {
    let w = World::new().await;
    let mut c = w.client("viewer@acme.nl").await;
    let before = w.revision("acme").await;
    for path in POSTS.iter().filter(|p| p.starts_with("/o/") || ["/orgs/new", "/users"].contains(p)) {
        let url = concrete(path, "acme");
        c.get("/o/acme").await;
        let r = if path.ends_with("/import") {
            c.upload(&url, "plan.yaml", crate::client::example("accountantskantoor.yaml").as_bytes(), true).await
        } else {
            c.post(&url, &fields(path)).await
        };
        assert_eq!(r.status, StatusCode::FORBIDDEN, "POST {url}: {}", r.body);
    }
    assert_eq!(w.revision("acme").await, before, "nothing changed");
    // The forms show, but read-only and without buttons to save or delete.
    for url in ["/o/acme/s/assets/srv-erp", "/o/acme/settings"] {
        let r = c.get(url).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains(">Save<") && !r.body.contains(">Delete<"), "{url}");
        assert!(r.body.contains(" readonly"), "{url}");
    }
    let r = c.get("/o/acme/s/assets/new").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!c.get("/o/acme/s/assets").await.body.contains("/s/assets/new"), "no button to add");
    // Reading is allowed: the plan, its documents, its history.
    for url in ["/o/acme", "/o/acme/export", "/o/acme/audit", "/o/acme/versions", "/o/acme/download/plan.html"] {
        assert_eq!(c.get(url).await.status, StatusCode::OK, "{url}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_user_of_one_organisation_gets_404_for_every_url_of_another() {
    let w = World::new().await;
    let before = w.revision("acme").await;
    for who in ["owner@other.nl", "viewer@other.nl"] {
        let mut c = w.client(who).await;
        for path in GETS.iter().filter(|p| p.starts_with("/o/")) {
            let url = concrete(path, "acme");
            let r = c.get(&url).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who} GET {url}");
            assert!(!r.body.contains("Northfield"), "{who} GET {url} shows nothing of it");
        }
        for path in POSTS.iter().filter(|p| p.starts_with("/o/")) {
            let url = concrete(path, "acme");
            c.get("/").await;
            let r = if path.ends_with("/import") {
                c.upload(&url, "plan.yaml", crate::client::example("accountantskantoor.yaml").as_bytes(), true).await
            } else {
                c.post(&url, &fields(path)).await
            };
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who} POST {url}");
        }
        // The same URLs of its own organisation answer, so the 404s above are about access.
        assert_eq!(c.get("/o/other").await.status, StatusCode::OK);
        let home = c.get("/").await;
        assert!(home.body.contains("/o/other") && !home.body.contains("/o/acme"), "the overview lists only its own");
    }
    // An organisation that does not exist looks the same.
    let mut c = w.client("owner@other.nl").await;
    assert_eq!(c.get("/o/nothing").await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.revision("acme").await, before);
}

#[tokio::test(flavor = "current_thread")]
async fn a_form_without_the_anti_forgery_token_is_refused() {
    let w = World::new().await;
    let mut c = w.client("admin@example.nl").await;
    let before = (w.revision("acme").await, w.db.orgs().await.unwrap().len());
    for path in POSTS {
        let url = concrete(path, "acme");
        c.get("/").await;
        let mut pairs = fields(path);
        let r = if path.ends_with("/import") {
            c.upload(&url, "plan.yaml", crate::client::example("accountantskantoor.yaml").as_bytes(), false).await
        } else {
            c.post_raw(&url, &pairs).await
        };
        assert_eq!(r.status, StatusCode::FORBIDDEN, "POST {url} without a token");
        pairs.push(("_csrf", "0000"));
        let r = c.post_raw(&url, &pairs).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "POST {url} with a wrong token");
    }
    // Another session's token does not do either.
    let mut other = w.client("owner@acme.nl").await;
    other.get("/o/acme").await;
    let foreign = other.csrf.clone();
    let r = c.post_raw("/o/acme/versions", &[("_csrf", &foreign), ("note", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!((w.revision("acme").await, w.db.orgs().await.unwrap().len()), before, "nothing changed");
    assert!(c.get("/o/acme/versions").await.body.contains("Nothing published yet"));
    // Still signed in: the refusals did not end the session.
    assert_eq!(c.get("/o/acme").await.status, StatusCode::OK);
}
