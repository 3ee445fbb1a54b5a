//! What people do through the pages, start to end.

use axum::http::StatusCode;
use draaiboek_store::{Accounts, Store};

use crate::client::{Client, PASSWORD, World, example};

#[tokio::test(flavor = "current_thread")]
async fn the_first_administrator_signs_up_through_a_one_time_link() {
    let w = World::new().await;
    let link = draaiboek_web::invite_link(w.db.as_ref(), "http://127.0.0.1:8080", true, None, "serve").await.unwrap();
    let path = link.strip_prefix("http://127.0.0.1:8080").unwrap().to_owned();
    let mut c = Client::new(w.router.clone());
    let page = c.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Create the administrator account"));
    // Every problem at once, and nothing created.
    let r = c.post(&path, &[("name", ""), ("email", "nope"), ("password", "short"), ("password2", "other")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for msg in ["Fill in your name", "e-mail address", "at least 10 characters", "passwords differ"] {
        assert!(r.body.contains(msg), "{msg}");
    }
    let form = [("name", "Bea Boss"), ("email", "bea@example.nl"), ("password", PASSWORD), ("password2", PASSWORD)];
    let r = c.post(&path, &form).await;
    assert_eq!((r.status, r.location.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    let home = c.get("/").await;
    assert!(home.body.contains("Bea Boss") && home.body.contains("New organisation"), "signed in as administrator");
    // The link works once.
    let mut again = Client::new(w.router.clone());
    assert_eq!(again.get(&path).await.status, StatusCode::NOT_FOUND);
    let (user, hash) = w.db.user_by_email("bea@example.nl").await.unwrap();
    assert!(user.admin && hash.starts_with("$argon2id$"));
}

#[tokio::test(flavor = "current_thread")]
async fn sign_in_is_slowed_after_failures_and_sign_out_everywhere_ends_every_session() {
    let w = World::new().await;
    let mut c = Client::new(w.router.clone());
    let r = c.sign_in("editor@acme.nl", "wrong password").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("The e-mail address or the password is wrong"));
    let r = c.sign_in("nobody@acme.nl", "wrong password").await;
    assert!(r.body.contains("The e-mail address or the password is wrong"), "the same answer for an unknown address");
    for _ in 0..4 {
        c.sign_in("editor@acme.nl", "wrong password").await;
    }
    let r = c.sign_in("editor@acme.nl", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert!(r.body.contains("Too many failed attempts"));

    let mut phone = w.client("owner@acme.nl").await;
    let mut laptop = w.client("owner@acme.nl").await;
    let mut colleague = w.client("viewer@acme.nl").await;
    let session = laptop.cookies.get("draaiboek_session").cloned().unwrap();
    assert!(!session.is_empty());
    laptop.get("/account").await;
    let r = laptop.post("/logout-everywhere", &[]).await;
    assert_eq!(r.location.as_deref(), Some("/login"));
    assert!(!laptop.cookies.contains_key("draaiboek_session"), "the cookie is cleared");
    assert_eq!(phone.get("/o/acme").await.status, StatusCode::SEE_OTHER, "the other device is signed out");
    assert_eq!(colleague.get("/o/acme").await.status, StatusCode::OK, "other users are not");
    // The old cookie is worth nothing.
    let mut thief = Client::new(w.router.clone());
    thief.cookies.insert("draaiboek_session".into(), session);
    assert_eq!(thief.get("/o/acme").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "current_thread")]
async fn session_cookies_are_http_only_same_site_and_secure_when_configured() {
    use axum::body::Body;
    use axum::http::{Request, header};
    use tower::ServiceExt;
    for secure in [false, true] {
        let db = std::sync::Arc::new(draaiboek_store::SqliteStore::open("sqlite::memory:").await.unwrap());
        db.create_user("a@b.nl", "A", &draaiboek_web::hash_password(PASSWORD), true).await.unwrap();
        let app = draaiboek_web::App::new(
            db,
            draaiboek_web::Config {
                secure_cookies: secure,
                public_url: "https://plan.example.nl".into(),
                renderer: draaiboek_web::Renderer::InProcess,
                mail: None,
            },
        );
        let mut c = Client::new(draaiboek_web::router(app));
        c.get("/login").await;
        let body =
            serde_urlencoded::to_string([("_csrf", c.csrf.as_str()), ("email", "a@b.nl"), ("password", PASSWORD)])
                .unwrap();
        let cookie = format!("draaiboek_form={}", c.cookies["draaiboek_form"]);
        let req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap();
        let res = c.router.clone().oneshot(req).await.unwrap();
        let set = res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().to_owned();
        assert!(set.starts_with("draaiboek_session="), "{set}");
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
        assert_eq!(set.contains("Secure"), secure, "{set}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_editor_keeps_the_plan_with_forms_checked_like_the_plan_file() {
    let w = World::new().await;
    let mut c = w.client("editor@acme.nl").await;

    // A new asset, with every problem next to its field and nothing stored.
    c.get("/o/acme/s/assets/new").await;
    let before = w.revision("acme").await;
    let bad = [
        ("id", "srv-new"),
        ("kind", "server"),
        ("name", "Backup server"),
        ("quantity", "two"),
        ("location", "atlantis"),
        ("replacement.lead_time_hours", "-1"),
    ];
    let r = c.post("/o/acme/s/assets/new", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, msg) in [
        ("quantity", "expected a whole number"),
        ("location", "unknown id `atlantis`"),
        ("replacement.lead_time_hours", "cannot be negative"),
        ("replacement.strategy", "missing required field `strategy`"),
    ] {
        let at = r.body.find(&format!("id=\"f-{field}-error\"")).unwrap_or_else(|| panic!("no message at {field}"));
        assert!(r.body[at..at + 400].contains(msg), "{field}: {}", &r.body[at..at + 400]);
    }
    assert!(r.body.contains("value=\"Backup server\""), "what was typed stays in the form");
    assert_eq!(w.revision("acme").await, before, "nothing stored");

    let good = [
        ("id", "srv-new"),
        ("kind", "server"),
        ("name", "Backup server"),
        ("quantity", "2"),
        ("location", "office"),
        ("depends_on", "ups-office"),
        ("depends_on", "fw-office"),
        ("replacement.strategy", "buy"),
        ("replacement.lead_time_hours", "48"),
    ];
    let r = c.post("/o/acme/s/assets/new", &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some("/o/acme/s/assets/srv-new?done=saved"));
    let org = w.db.org("acme").await.unwrap();
    let stored = w.db.entity(org.id, "srv-new").await.unwrap();
    assert_eq!(
        stored.body,
        "id: srv-new\nkind: server\nname: Backup server\nquantity: 2\nlocation: office\ndepends_on: [ups-office, fw-office]\nreplacement:\n  strategy: buy\n  lead_time_hours: 48\n",
        "stored in the plan format's canonical shape"
    );
    assert_eq!(stored.updated_by, "editor@acme.nl");
    // The same id again is refused at the id.
    let r = c.post("/o/acme/s/assets/new", &good).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-id-error\""), "{}", r.body);

    // The list finds it, sorted as asked.
    let list = c.get("/o/acme/s/assets?q=backup+server").await;
    assert!(list.body.contains("/o/acme/s/assets/srv-new") && list.body.contains("1 found of"));
    let sorted = c.get("/o/acme/s/assets?sort=name&dir=desc").await;
    let names: Vec<usize> = ["Backup server", "ERP server"].iter().map(|n| sorted.body.find(n).unwrap()).collect();
    assert!(names[1] < names[0], "descending by name");

    // Two people edit the same asset: the second save is refused with what changed.
    let mut other = w.client("owner@acme.nl").await;
    let mine = c.get("/o/acme/s/assets/srv-new").await;
    let theirs = other.get("/o/acme/s/assets/srv-new").await;
    let (v1, v2) = (mine.version(), theirs.version());
    assert_eq!(v1, v2);
    let r = other
        .post(
            "/o/acme/s/assets/srv-new",
            &[
                ("_version", &v2),
                ("kind", "server"),
                ("name", "Standby server"),
                ("location", "office"),
                ("replacement.strategy", "buy"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    c.csrf = mine.csrf();
    let r = c
        .post(
            "/o/acme/s/assets/srv-new",
            &[
                ("_version", &v1),
                ("kind", "server"),
                ("name", "Spare server"),
                ("location", "office"),
                ("replacement.strategy", "rent"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("owner@acme.nl saved this in the meantime"), "{}", r.body);
    assert!(r.body.contains("Standby server") && r.body.contains("Spare server"), "both versions shown");
    assert!(w.db.entity(org.id, "srv-new").await.unwrap().body.contains("Standby server"), "nothing overwritten");
    // Saving again after seeing it is a deliberate choice.
    let v = r.version();
    let r = c
        .post(
            "/o/acme/s/assets/srv-new",
            &[("_version", &v), ("kind", "server"), ("name", "Spare server"), ("location", "office")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // Deleting something others refer to is refused with the list of them.
    let page = c.get("/o/acme/s/assets/ups-office").await;
    let r = c.post("/o/acme/s/assets/ups-office/delete", &[("_version", &page.version())]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("This cannot be deleted"));
    assert!(r.body.contains("Asset srv-erp (ERP server (Dynamics NAV + SQL)): Depends on"), "{}", r.body);
    assert!(r.body.contains("href=\"/o/acme/s/assets/srv-erp\""), "each links to its form");
    assert!(w.db.entity(org.id, "ups-office").await.is_ok());
    // What nothing refers to goes, and the audit log has it with its body.
    let page = c.get("/o/acme/s/assets/srv-new").await;
    let r = c.post("/o/acme/s/assets/srv-new/delete", &[("_version", &page.version())]).await;
    assert_eq!(r.location.as_deref(), Some("/o/acme/s/assets?done=deleted"));
    assert!(w.db.entity(org.id, "srv-new").await.is_err());
    let audit = c.get("/o/acme/audit").await;
    assert!(audit.body.contains("deleted") && audit.body.contains("Spare server"));
}

#[tokio::test(flavor = "current_thread")]
async fn groups_and_settings_are_forms_too() {
    let w = World::new().await;
    let mut c = w.client("editor@acme.nl").await;
    // A backup added to a data set through the empty row of its group.
    let page = c.get("/o/acme/s/data/mail").await;
    assert!(page.body.contains("name=\"backups.0.kind\""), "an empty row for a new backup");
    let v = page.version();
    let r = c
        .post(
            "/o/acme/s/data/mail",
            &[
                ("_version", &v),
                ("name", "Mail"),
                ("backups.0.id", "mail-backup"),
                ("backups.0.kind", "cloud"),
                ("backups.0.location", "cloud"),
                ("backups.0.every_hours", "24"),
                ("backups.0.restore_hours", "xx"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-backups.0.restore_hours-error\""), "{}", r.body);
    assert!(r.body.contains("Backups 1: Restore takes (hours)"));
    let r = c
        .post(
            "/o/acme/s/data/mail",
            &[
                ("_version", &v),
                ("name", "Mail"),
                ("backups.0.id", "mail-backup"),
                ("backups.0.kind", "cloud"),
                ("backups.0.location", "cloud"),
                ("backups.0.every_hours", "24"),
                ("backups.0.restore_hours", "4"),
                ("backups.0.immutable", "true"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let dash = c.get("/o/acme").await;
    assert!(!dash.body.contains("Data set mail has no backup"), "BAK001 is gone from the dashboard");

    // The organisation's settings and call tree.
    let page = c.get("/o/acme/settings").await;
    assert!(page.body.contains("name=\"call_tree.0.caller\""));
    let export = c.get("/o/acme/export").await.body;
    let plan = draaiboek_plan::from_str(&export, "x").unwrap();
    assert!(!plan.organisation.call_tree.is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn fixing_a_finding_through_its_form_takes_it_off_the_dashboard() {
    let w = World::new().await;
    let mut c = w.client("editor@acme.nl").await;
    let dash = c.get("/o/acme").await;
    let finding = "Asset wh-switch (switch) has no serial number";
    assert!(dash.body.contains(finding));
    let at = dash.body.find(finding).unwrap();
    let link = "/o/acme/s/assets/wh-switch";
    assert!(dash.body[at..at + 300].contains(link), "the finding links to its form");
    let form = c.get(link).await;
    let org = w.db.org("acme").await.unwrap();
    let body = w.db.entity(org.id, "wh-switch").await.unwrap().body;
    let mut values: Vec<(String, String)> = Vec::new();
    // Send back what the form holds, with a serial number added.
    for line in body.lines().filter(|l| !l.starts_with(' ') && !l.starts_with("replacement")) {
        let (k, v) = line.split_once(": ").unwrap();
        if v.starts_with('[') {
            for item in v.trim_matches(['[', ']']).split(", ") {
                values.push((k.into(), item.into()));
            }
        } else {
            values.push((k.into(), v.trim_matches('"').into()));
        }
    }
    values.push(("serial".into(), "SW-48-0001".into()));
    let version = form.version();
    let mut pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    pairs.push(("_version", &version));
    let r = c.post(link, &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let dash = c.get("/o/acme").await;
    assert!(!dash.body.contains(finding), "the finding is gone");
}

#[tokio::test(flavor = "current_thread")]
async fn import_is_all_or_nothing_and_export_gives_back_the_file() {
    let w = World::new().await;
    let mut c = w.client("owner@acme.nl").await;
    c.get("/o/acme/import").await;
    let before = c.get("/o/acme/export").await.body;
    let broken = example("accountantskantoor.yaml")
        .replace("rto_hours: 4", "rto_hours: vier")
        .replace("kind: nas", "kind: nass");
    let r = c.upload("/o/acme/import", "broken.yaml", broken.as_bytes(), true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Nothing was imported"));
    assert!(r.body.matches("broken.yaml:").count() >= 2, "every problem, with file and line: {}", r.body);
    assert_eq!(c.get("/o/acme/export").await.body, before, "nothing changed");

    let file = example("accountantskantoor.yaml");
    let r = c.upload("/o/acme/import", "kantoor.yaml", file.as_bytes(), true).await;
    assert_eq!(r.location.as_deref(), Some("/o/acme?done=imported"));
    let export = c.get("/o/acme/export").await;
    assert_eq!(export.body, file, "the exported file equals the imported one");
    assert!(export.content_type.starts_with("application/yaml"));

    // A plan file larger than a form may be (2 MB) is taken whole.
    let big =
        draaiboek_plan::to_yaml(&draaiboek_plan::generate::plan(3, draaiboek_plan::generate::Size::benchmark(6_000)));
    assert!(big.len() > 2 * 1024 * 1024, "{} bytes", big.len());
    let r = c.upload("/o/acme/import", "big.yaml", big.as_bytes(), true).await;
    assert_eq!(r.location.as_deref(), Some("/o/acme?done=imported"), "{}", r.body);
    assert_eq!(c.get("/o/acme/export").await.body, big);
    // Only an import by someone signed in may be that large: any other form
    // stops at 2 MB, so nobody makes the server hold 65 MB.
    let padding = "x".repeat(3 << 20);
    let r = c.post("/o/acme/review", &[("person", "claire"), ("note", &padding)]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("The form is larger than 2 MB; nothing was changed."), "{}", r.body);
    let mut anonymous = Client::new(w.router.clone());
    anonymous.get("/login").await;
    let r = anonymous.upload("/o/acme/import", "big.yaml", big.as_bytes(), true).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "not signed in: {}", r.body);
    // One larger than any plan file is refused, and said so.
    let huge = vec![b'#'; draaiboek_plan::MAX_FILE_BYTES + (2 << 20)];
    let r = c.upload("/o/acme/import", "huge.yaml", &huge, true).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("larger than 64 MB") && r.body.contains("nothing was changed"), "{}", r.body);
    assert_eq!(c.get("/o/acme/export").await.body, big, "nothing changed");
}

#[tokio::test(flavor = "current_thread")]
async fn scenario_pages_and_every_document_download() {
    let w = World::new().await;
    let mut c = w.client("viewer@acme.nl").await;
    let page = c.get("/o/acme/scenario/fire-office").await;
    assert_eq!(page.status, StatusCode::OK);
    for part in ["<svg", "class=\"timeline\"", "Recovery steps", "dispatch"] {
        assert!(page.body.contains(part), "{part}");
    }
    assert_eq!(c.get("/o/acme/scenario/nothing").await.status, StatusCode::NOT_FOUND);
    for (file, kind, starts) in [
        ("plan.html", "text/html", "<!DOCTYPE html>"),
        ("plan.md", "text/markdown", "# "),
        ("contacts.vcf", "text/vcard", "BEGIN:VCARD"),
        ("calendar.ics", "text/calendar", "BEGIN:VCALENDAR"),
        ("card.pdf", "application/pdf", "%PDF"),
    ] {
        let r = c.get(&format!("/o/acme/download/{file}")).await;
        assert_eq!(r.status, StatusCode::OK, "{file}");
        assert!(r.content_type.starts_with(kind), "{file}: {}", r.content_type);
        assert!(r.bytes.starts_with(starts.as_bytes()), "{file}");
    }
    assert_eq!(c.get("/o/acme/download/secrets.txt").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "current_thread")]
async fn versions_are_published_and_compared() {
    let w = World::new().await;
    let mut c = w.client("editor@acme.nl").await;
    c.get("/o/acme/versions").await;
    let r = c.post("/o/acme/versions", &[("note", "after the review")]).await;
    assert_eq!(r.location.as_deref(), Some("/o/acme/versions?done=published"));
    // One line of one entity changes after publishing.
    let org = w.db.org("acme").await.unwrap();
    let current = w.db.entity(org.id, "wh-switch").await.unwrap();
    let body = current.body.replace("name: Warehouse switch", "name: Warehouse core switch");
    assert_ne!(body, current.body);
    let put = draaiboek_store::Put {
        id: "wh-switch",
        kind: "assets",
        body: &body,
        expected: Some(current.version),
        by: "test",
    };
    w.db.put(org.id, put).await.unwrap();
    let cmp = c.get("/o/acme/compare?from=1&to=now").await;
    assert_eq!(cmp.status, StatusCode::OK);
    assert!(cmp.body.contains("changed"));
    // Only the changed line is marked, on both sides.
    assert!(cmp.body.contains("<del>name: Warehouse switch</del>"), "{}", cmp.body);
    assert!(cmp.body.contains("<ins>name: Warehouse core switch</ins>"), "{}", cmp.body);
    assert!(cmp.body.contains("\nmanufacturer: Cisco\n"), "unchanged lines are plain");
    assert_eq!((cmp.body.matches("<del>").count(), cmp.body.matches("<ins>").count()), (1, 1), "{}", cmp.body);
    assert_eq!(c.get("/o/acme/compare?from=7&to=now").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "current_thread")]
async fn the_interface_speaks_dutch_when_asked() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let w = World::new().await;
    let mut c = Client::new(w.router.clone());
    let r = c
        .send(Request::get("/login").header(header::ACCEPT_LANGUAGE, "nl-NL,nl;q=0.9").body(Body::empty()).unwrap())
        .await;
    assert!(r.body.contains("lang=\"nl\"") && r.body.contains("Aanmelden") && r.body.contains("Wachtwoord"));
    let mut c = w.client("editor@acme.nl").await;
    c.get("/account").await;
    c.post("/account", &[("action", "lang"), ("lang", "nl")]).await;
    let dash = c.get("/o/acme").await;
    assert!(dash.body.contains("Gereedheid") && dash.body.contains("Bevindingen"));
    let form = c.get("/o/acme/s/assets/srv-erp").await;
    assert!(form.body.contains("Serienummer") && form.body.contains("Opslaan"));
}

#[tokio::test(flavor = "current_thread")]
async fn owners_invite_members_with_a_role() {
    let w = World::new().await;
    let mut owner = w.client("owner@acme.nl").await;
    owner.get("/o/acme/members").await;
    let r = owner.post("/o/acme/members", &[("action", "invite"), ("role", "viewer")]).await;
    let marker = "http://127.0.0.1:8080";
    let at = r.body.find(&format!("{marker}/setup/")).expect("a link");
    let path: String = r.body[at + marker.len()..].chars().take_while(|c| *c != '<').collect();
    let mut new = Client::new(w.router.clone());
    new.get(&path).await;
    let r = new
        .post(&path, &[("name", "Vic"), ("email", "vic@acme.nl"), ("password", PASSWORD), ("password2", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(new.get("/o/acme").await.status, StatusCode::OK);
    assert_eq!(new.get("/o/other").await.status, StatusCode::NOT_FOUND);
    let members = owner.get("/o/acme/members").await;
    assert!(members.body.contains("vic@acme.nl"));
    // An editor cannot manage members.
    let mut editor = w.client("editor@acme.nl").await;
    editor.get("/o/acme/members").await;
    assert_eq!(
        editor.post("/o/acme/members", &[("action", "invite"), ("role", "owner")]).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "current_thread")]
async fn free_extra_data_survives_a_form_save() {
    let w = World::new().await;
    let org = w.db.org("acme").await.unwrap();
    let body = "id: mail\nname: Mail\nbackups:\n  - id: mail-bk\n    kind: cloud\n    location: cloud\n    every_hours: 24\n    restore_hours: 4\n    extra:\n      vendor_ticket: 4711\nextra:\n  owner_note: keep me\n";
    let current = w.db.entity(org.id, "mail").await.unwrap();
    let put = draaiboek_store::Put { id: "mail", kind: "data", body, expected: Some(current.version), by: "test" };
    w.db.put(org.id, put).await.unwrap();
    let mut c = w.client("editor@acme.nl").await;
    let page = c.get("/o/acme/s/data/mail").await;
    let v = page.version();
    let r = c
        .post(
            "/o/acme/s/data/mail",
            &[
                ("_version", &v),
                ("name", "Mail (Exchange Online)"),
                ("backups.0.id", "mail-bk"),
                ("backups.0.kind", "cloud"),
                ("backups.0.location", "cloud"),
                ("backups.0.every_hours", "12"),
                ("backups.0.restore_hours", "4"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = w.db.entity(org.id, "mail").await.unwrap().body;
    assert!(stored.contains("every_hours: 12") && stored.contains("Mail (Exchange Online)"), "{stored}");
    assert!(stored.contains("vendor_ticket: 4711"), "the backup's extra is kept: {stored}");
    assert!(stored.contains("owner_note: keep me"), "the data set's extra is kept: {stored}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_password_is_changed_only_with_the_current_one() {
    let w = World::new().await;
    let mut c = w.client("editor@acme.nl").await;
    c.get("/account").await;
    let r =
        c.post("/account", &[("action", "password"), ("current", "not it"), ("password", "a new long password")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("The current password is wrong"));
    let r = c.post("/account", &[("action", "password"), ("current", PASSWORD), ("password", "short")]).await;
    assert!(r.body.contains("at least 10 characters"));
    let r =
        c.post("/account", &[("action", "password"), ("current", PASSWORD), ("password", "a new long password")]).await;
    assert_eq!(r.location.as_deref(), Some("/account?done=saved"));
    let mut again = Client::new(w.router.clone());
    assert_eq!(again.sign_in("editor@acme.nl", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(again.sign_in("editor@acme.nl", "a new long password").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "current_thread")]
async fn numbers_can_be_tapped_in_lists_and_on_the_day() {
    let w = World::new().await;
    let mut c = w.client("editor@acme.nl").await;
    let people = c.get("/o/acme/s/people").await;
    assert!(people.body.contains("<a href=\"tel:+447700900101\">+44 7700 900101</a>"), "{}", people.body);
    c.get("/o/acme/incidents").await;
    let r = c.post("/o/acme/incidents", &[("scenario", "fire-office"), ("title", "Fire")]).await;
    let page = c.get(r.location.as_deref().unwrap()).await;
    let calls = page.body.matches("<a href=\"tel:+44").count();
    assert!(calls >= 5, "the call tree and whom to call have tappable numbers: {calls}");
}

#[tokio::test(flavor = "current_thread")]
async fn the_audit_log_pages_back_and_shows_one_entity_s_history() {
    let w = World::new().await;
    let org = w.db.org("acme").await.unwrap();
    let all = w.db.audit(org.id, &draaiboek_store::AuditFilter::default(), 100_000).await.unwrap();
    let mut c = w.client("editor@acme.nl").await;
    // Enough changes for more than one page.
    for i in 0..(120 - all.len().min(120) + 1) {
        let current = w.db.entity(org.id, "srv-file").await.unwrap();
        let kept: String =
            current.body.lines().filter(|l| !l.starts_with("specs:")).map(|l| format!("{l}\n")).collect();
        let body = format!("{kept}specs: change {i}\n");
        let put = draaiboek_store::Put {
            id: "srv-file",
            kind: "assets",
            body: &body,
            expected: Some(current.version),
            by: "test",
        };
        w.db.put(org.id, put).await.unwrap();
    }
    let total = w.db.audit(org.id, &draaiboek_store::AuditFilter::default(), 100_000).await.unwrap().len();
    {
        let b = c.get("/o/acme/s/assets/srv-file").await.body;
        assert!(b.contains("name=\"specs\" rows=\"4\">change "), "the plan still reads: {b}");
    }
    assert!(total > 100, "{total}");
    let mut seen = 0;
    let mut url = "/o/acme/audit".to_owned();
    loop {
        let page = c.get(&url).await;
        assert_eq!(page.status, StatusCode::OK);
        seen += page.body.matches("<details class=\"change\">").count();
        let Some(at) = page.body.find("\">Older changes</a>") else { break };
        let start = page.body[..at].rfind("href=\"").unwrap() + 6;
        url = page.body[start..at].replace("&amp;", "&");
    }
    assert_eq!(seen, total, "every entry once, over the pages");

    // The form links to the history of its entity, which shows only that.
    let form = c.get("/o/acme/s/assets/srv-erp").await;
    assert!(form.body.contains("href=\"/o/acme/audit?entity=srv-erp\">History of the changes</a>"), "{}", form.body);
    let history = c.get("/o/acme/audit?entity=srv-erp").await;
    assert_eq!(history.body.matches("<details class=\"change\">").count(), 1, "created once, by the import");
    assert!(history.body.contains("<code>srv-erp</code>") && !history.body.contains("<code>srv-file</code>"));
    let settings = c.get("/o/acme/settings").await;
    assert!(settings.body.contains("href=\"/o/acme/audit?entity=%28organisation%29\""), "{}", settings.body);
    let history = c.get("/o/acme/audit?entity=%28organisation%29").await;
    assert!(history.body.contains("<h1>History of the organisation&#39;s settings</h1>"), "{}", history.body);
    // An id that was never changed has no history.
    let other = c.get("/o/acme/audit?entity=nonexistent").await;
    assert!(other.body.contains("No changes yet."));
}
