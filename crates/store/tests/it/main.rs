//! The contract every `Store` must keep, run on SQLite in memory and on a
//! database file.

use draaiboek_store::{AuditFilter, Conflict, Db, Invite, Put, Role, Snapshot, SqliteStore, Store, StoreError};

fn put<'a>(id: &'a str, kind: &'a str, body: &'a str, expected: Option<i64>, by: &'a str) -> Put<'a> {
    Put { id, kind, body, expected, by }
}

async fn contract(store: &dyn Store) {
    // Organisations.
    let a = store.create_org("de-vries", "Accountantskantoor De Vries").await.unwrap();
    let b = store.create_org("northfield", "Northfield Logistics").await.unwrap();
    assert_eq!(store.create_org("de-vries", "Again").await, Err(StoreError::Conflict(Conflict::Exists)));
    assert_eq!(store.org("de-vries").await.unwrap(), a);
    assert_eq!(store.org("nobody").await, Err(StoreError::NotFound));
    assert_eq!(store.orgs().await.unwrap(), vec![a.clone(), b.clone()]);

    // Create, edit, refuse a stale edit with what changed.
    let e = store.put(a.id, put("srv", "assets", "id: srv\nname: Server v1", None, "jan")).await.unwrap();
    assert_eq!((e.version, e.position, e.updated_by.as_str()), (1, 0, "jan"));
    assert_eq!(
        store.put(a.id, put("srv", "assets", "id: srv", None, "anna")).await,
        Err(StoreError::Conflict(Conflict::Exists))
    );
    let e2 = store.put(a.id, put("srv", "assets", "id: srv\nname: Server v2", Some(1), "anna")).await.unwrap();
    assert_eq!(e2.version, 2);
    match store.put(a.id, put("srv", "assets", "id: srv\nname: lost edit", Some(1), "jan")).await {
        Err(StoreError::Conflict(Conflict::Stale { current })) => {
            assert_eq!((current.version, current.updated_by.as_str()), (2, "anna"));
            assert!(current.body.contains("Server v2"));
        }
        other => panic!("a stale edit must be refused, got {other:?}"),
    }
    assert!(store.entity(a.id, "srv").await.unwrap().body.contains("Server v2"), "nothing overwritten");
    // Saving what is there already is not a change.
    assert_eq!(
        store.put(a.id, put("srv", "assets", "id: srv\nname: Server v2", Some(2), "jan")).await.unwrap().version,
        2
    );

    // The revision grows with every change, and only then.
    let rev = store.revision(a.id).await.unwrap();
    assert!(rev > 0);
    assert_eq!(store.revision(b.id).await.unwrap(), 0);

    // Order: by section, then position in it.
    store.put(a.id, put("nas", "assets", "id: nas", None, "jan")).await.unwrap();
    store.put(a.id, put("jan", "people", "id: jan", None, "jan")).await.unwrap();
    let ids: Vec<String> = store.entities(a.id).await.unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(ids, ["srv", "nas", "jan"]);

    // Organisations do not see each other's entities.
    assert!(store.entities(b.id).await.unwrap().is_empty());
    assert_eq!(store.entity(b.id, "srv").await, Err(StoreError::NotFound));

    // Delete only the version that was seen.
    assert!(matches!(store.delete(a.id, "nas", 7, "jan").await, Err(StoreError::Conflict(Conflict::Stale { .. }))));
    store.delete(a.id, "nas", 1, "jan").await.unwrap();
    assert_eq!(store.delete(a.id, "nas", 1, "jan").await, Err(StoreError::Conflict(Conflict::Gone)));
    assert_eq!(
        store.put(a.id, put("nas", "assets", "id: nas", Some(1), "jan")).await,
        Err(StoreError::Conflict(Conflict::Gone))
    );

    // The audit log: every change with the body before and after, newest first.
    let log = store.audit(a.id, &AuditFilter::default(), 100).await.unwrap();
    let summary: Vec<(&str, bool, bool)> =
        log.iter().map(|l| (l.entity.as_str(), l.before.is_some(), l.after.is_some())).collect();
    assert_eq!(
        summary,
        [("nas", true, false), ("jan", false, true), ("nas", false, true), ("srv", true, true), ("srv", false, true)]
    );
    assert!(log.windows(2).all(|w| w[0].seq > w[1].seq));
    assert_eq!(log[3].by, "anna");
    // Paged back from an entry, and one entity's history.
    let older = store.audit(a.id, &AuditFilter { before: Some(log[1].seq), entity: None }, 2).await.unwrap();
    assert_eq!(older, log[2..4]);
    let srv = AuditFilter { before: None, entity: Some("srv".into()) };
    let history: Vec<i64> = store.audit(a.id, &srv, 100).await.unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(history, [log[3].seq, log[4].seq]);
    assert!(store.audit(b.id, &srv, 100).await.unwrap().is_empty(), "another organisation's log is its own");
    assert!(log[3].before.as_deref().unwrap().contains("v1") && log[3].after.as_deref().unwrap().contains("v2"));

    // Replacing the whole plan is all or nothing.
    let before = store.entities(a.id).await.unwrap();
    let broken = vec![
        ("assets".to_owned(), "x".to_owned(), "id: x".to_owned()),
        ("assets".to_owned(), "x".to_owned(), "id: x again".to_owned()),
    ];
    assert!(store.replace_all(a.id, &broken, "import").await.is_err());
    assert_eq!(store.entities(a.id).await.unwrap(), before, "a failed import changes nothing");
    let plan = vec![
        ("people".to_owned(), "jan".to_owned(), "id: jan\nname: Jan".to_owned()),
        ("assets".to_owned(), "fw".to_owned(), "id: fw".to_owned()),
        ("assets".to_owned(), "srv".to_owned(), "id: srv\nname: Server v2".to_owned()),
    ];
    store.replace_all(a.id, &plan, "import").await.unwrap();
    let after: Vec<(String, i64, i64)> =
        store.entities(a.id).await.unwrap().into_iter().map(|e| (e.id, e.position, e.version)).collect();
    assert_eq!(after, [("fw".to_owned(), 0, 1), ("srv".to_owned(), 1, 3), ("jan".to_owned(), 0, 2)]);

    // Published versions freeze the plan; any two snapshots compare entity by entity.
    let v1 = store.publish(a.id, "after the first review", "jan").await.unwrap();
    assert_eq!(v1.number, 1);
    store.put(a.id, put("fw", "assets", "id: fw\nname: Firewall", Some(1), "anna")).await.unwrap();
    store.put(a.id, put("ups", "assets", "id: ups", None, "anna")).await.unwrap();
    store.delete(a.id, "jan", 2, "anna").await.unwrap();
    assert!(store.compare(a.id, Snapshot::Version(1), Snapshot::Version(1)).await.unwrap().is_empty());
    let changes = store.compare(a.id, Snapshot::Version(1), Snapshot::Now).await.unwrap();
    let summary: Vec<(&str, bool, bool)> =
        changes.iter().map(|c| (c.id.as_str(), c.before.is_some(), c.after.is_some())).collect();
    assert_eq!(summary, [("fw", true, true), ("ups", false, true), ("jan", true, false)]);
    assert_eq!(store.count_changes_since(a.id, 1).await.unwrap(), 3, "counted as compare finds them");
    let v2 = store.publish(a.id, "new firewall", "anna").await.unwrap();
    assert_eq!(v2.number, 2);
    assert_eq!(store.compare(a.id, Snapshot::Version(1), Snapshot::Version(2)).await.unwrap(), changes);
    let versions = store.versions(a.id).await.unwrap();
    assert_eq!(versions.iter().map(|v| v.number).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(versions[1].note, "after the first review");
    assert_eq!(store.snapshot(a.id, Snapshot::Version(9)).await, Err(StoreError::NotFound));
    assert!(store.versions(b.id).await.unwrap().is_empty(), "versions belong to their organisation");

    // Settings per organisation.
    assert_eq!(store.setting(a.id, "calendar.token").await.unwrap(), None);
    store.set_setting(a.id, "calendar.token", Some("h1")).await.unwrap();
    store.set_setting(a.id, "calendar.token", Some("h2")).await.unwrap();
    store.set_setting(a.id, "planner.skip.x", Some("2026-12-04")).await.unwrap();
    store.set_setting(b.id, "planner.skip.y", Some("2026-12-04")).await.unwrap();
    assert_eq!(store.setting(a.id, "calendar.token").await.unwrap().as_deref(), Some("h2"));
    assert_eq!(store.org_with_setting("calendar.token", "h2").await.unwrap().slug, "de-vries");
    assert_eq!(store.org_with_setting("calendar.token", "h1").await, Err(StoreError::NotFound), "the old one is gone");
    assert_eq!(
        store.settings(a.id, "planner.").await.unwrap(),
        [("planner.skip.x".to_owned(), "2026-12-04".to_owned())]
    );
    store.set_setting(a.id, "calendar.token", None).await.unwrap();
    assert_eq!(store.org_with_setting("calendar.token", "h2").await, Err(StoreError::NotFound));
}

/// The accounts part of the contract: users, roles, sessions, one-time links.
async fn accounts(db: &dyn Db) {
    assert_eq!(db.user_count().await.unwrap(), 0);
    let org = db.create_org("acme", "Acme").await.unwrap();
    let other = db.create_org("other", "Other").await.unwrap();

    // A one-time link makes the first administrator, once.
    let invite = Invite { admin: true, org: None, role: None, created_by: "serve".into(), expires_at: 2_000 };
    db.create_invite("hash-1", &invite).await.unwrap();
    assert_eq!(db.invite("hash-1", 1_000).await.unwrap(), invite);
    assert_eq!(db.invite("hash-1", 2_000).await, Err(StoreError::NotFound), "expired");
    assert_eq!(db.accept_invite("hash-1", 3_000, "a@x.nl", "A", "h").await, Err(StoreError::NotFound));
    let admin = db.accept_invite("hash-1", 1_000, " Admin@Example.NL ", "Ann Admin", "hash").await.unwrap();
    assert!(admin.admin);
    assert_eq!(admin.email, "admin@example.nl", "addresses are kept in lower case");
    assert_eq!(db.accept_invite("hash-1", 1_000, "b@x.nl", "B", "h").await, Err(StoreError::NotFound), "used up");
    assert_eq!(db.user_count().await.unwrap(), 1);

    // A link for an organisation gives the role with the account.
    let invite = Invite {
        admin: false,
        org: Some(org.id),
        role: Some(Role::Editor),
        created_by: "ann".into(),
        expires_at: 2_000,
    };
    db.create_invite("hash-2", &invite).await.unwrap();
    let ed = db.accept_invite("hash-2", 1_000, "ed@example.nl", "Ed", "pw").await.unwrap();
    assert!(!ed.admin);
    assert_eq!(db.role(ed.id, org.id).await.unwrap(), Some(Role::Editor));
    assert_eq!(db.role(ed.id, other.id).await.unwrap(), None);
    assert_eq!(
        db.create_user("ED@example.nl", "Ed again", "x", false).await,
        Err(StoreError::Conflict(Conflict::Exists))
    );
    let (found, hash) = db.user_by_email("Ed@Example.nl").await.unwrap();
    assert_eq!((found.id, hash.as_str()), (ed.id, "pw"));
    assert_eq!(db.user_by_email("nobody@example.nl").await, Err(StoreError::NotFound));

    // Roles change and go.
    db.set_role(ed.id, org.id, Some(Role::Viewer)).await.unwrap();
    db.set_role(ed.id, other.id, Some(Role::Owner)).await.unwrap();
    let orgs: Vec<(String, Role)> =
        db.memberships(ed.id).await.unwrap().into_iter().map(|(o, r)| (o.slug, r)).collect();
    assert_eq!(orgs, [("acme".to_owned(), Role::Viewer), ("other".to_owned(), Role::Owner)]);
    assert_eq!(db.members(org.id).await.unwrap(), vec![(ed.clone(), Role::Viewer)]);
    db.set_role(ed.id, other.id, None).await.unwrap();
    assert_eq!(db.role(ed.id, other.id).await.unwrap(), None);
    assert!(Role::Owner > Role::Editor && Role::Editor > Role::Viewer);

    // Settings.
    db.set_user_lang(ed.id, Some("nl")).await.unwrap();
    db.set_password(ed.id, "new").await.unwrap();
    let (ed, hash) = db.user_by_email("ed@example.nl").await.unwrap();
    assert_eq!((ed.lang.as_deref(), hash.as_str()), (Some("nl"), "new"));
    assert_eq!(db.set_password(999, "x").await, Err(StoreError::NotFound));

    // Sessions: found until they expire; signing out everywhere ends them all.
    db.create_session("s1", ed.id, "csrf-1", i64::MAX).await.unwrap();
    db.create_session("s2", ed.id, "csrf-2", i64::MAX).await.unwrap();
    db.create_session("s3", admin.id, "csrf-3", i64::MAX).await.unwrap();
    let s = db.session("s1", 1_000).await.unwrap();
    assert_eq!((s.user.id, s.csrf.as_str()), (ed.id, "csrf-1"));
    assert_eq!(db.session("s1", i64::MAX).await, Err(StoreError::NotFound), "expired");
    db.delete_session("s1").await.unwrap();
    assert_eq!(db.session("s1", 1_000).await, Err(StoreError::NotFound));
    assert_eq!(db.delete_sessions_of(ed.id).await.unwrap(), 1);
    assert_eq!(db.session("s2", 1_000).await, Err(StoreError::NotFound));
    assert!(db.session("s3", 1_000).await.is_ok(), "other users stay signed in");
    assert_eq!(db.users().await.unwrap().len(), 2);
}

#[tokio::test(flavor = "current_thread")]
async fn sqlite_in_memory_keeps_the_contract() {
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    contract(&store).await;
}

#[tokio::test(flavor = "current_thread")]
async fn sqlite_keeps_the_accounts_contract() {
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    accounts(&store).await;
}

#[tokio::test(flavor = "current_thread")]
async fn sqlite_file_keeps_the_contract_and_its_data() {
    let dir = std::env::temp_dir().join(format!("draaiboek-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("plans.db").display());
    {
        let store = SqliteStore::open(&url).await.unwrap();
        contract(&store).await;
    }
    let again = SqliteStore::open(&url).await.unwrap();
    let org = again.org("de-vries").await.unwrap();
    assert_eq!(again.entities(org.id).await.unwrap().len(), 3, "data survives closing and opening");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "current_thread")]
async fn a_plan_stored_entity_by_entity_comes_back_as_the_same_file() {
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    let org = store.create_org("northfield", "Northfield Logistics").await.unwrap();
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/northfield-logistics.yaml"))
            .unwrap();
    let plan = draaiboek_plan::from_str(&text, "northfield.yaml").unwrap();
    let rows: Vec<(String, String, String)> =
        draaiboek_plan::split(&plan).into_iter().map(|r| (r.kind.to_owned(), r.id, r.body)).collect();
    store.replace_all(org.id, &rows, "import").await.unwrap();
    let stored = store.entities(org.id).await.unwrap();
    assert_eq!(stored.len(), rows.len());
    let file = draaiboek_plan::join(stored.iter().map(|e| (e.kind.as_str(), e.body.as_str())));
    assert_eq!(file, text, "export equals import");
    // Importing the same plan again changes nothing.
    let audit_before = store.audit(org.id, &AuditFilter::default(), 10_000).await.unwrap().len();
    store.replace_all(org.id, &rows, "import").await.unwrap();
    assert_eq!(store.audit(org.id, &AuditFilter::default(), 10_000).await.unwrap().len(), audit_before);
}

#[tokio::test(flavor = "current_thread")]
async fn a_backup_is_a_consistent_copy_that_opens_as_a_store() {
    let dir = std::env::temp_dir().join(format!("draaiboek-backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let live = SqliteStore::open(&format!("sqlite://{}", dir.join("live.db").display())).await.unwrap();
    let org = live.create_org("acme", "Acme").await.unwrap();
    live.put(org.id, put("srv", "assets", "id: srv", None, "jan")).await.unwrap();
    let copy = dir.join("copy.db");
    live.backup_to(&copy).await.unwrap();
    assert_eq!(live.backup_to(&copy).await, Err(StoreError::Conflict(Conflict::Exists)), "never overwrites");
    // Changes after the backup are not in it.
    live.put(org.id, put("nas", "assets", "id: nas", None, "jan")).await.unwrap();
    assert_eq!(SqliteStore::check_backup(&copy).await.unwrap(), 1);
    let restored = SqliteStore::open(&format!("sqlite://{}", copy.display())).await.unwrap();
    let org = restored.org("acme").await.unwrap();
    let ids: Vec<String> = restored.entities(org.id).await.unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(ids, ["srv"]);
    let junk = dir.join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    assert!(SqliteStore::check_backup(&junk).await.is_err());
    std::fs::remove_dir_all(&dir).ok();
}

/// Incidents: the checklist changes with who and when, skipping needs a
/// reason, the log only grows, and a closed incident does not change.
async fn incidents(db: &dyn Db) {
    use draaiboek_store::{ItemChange, NewIncident, NewItem};
    let org = db.create_org("acme", "Acme").await.unwrap();
    let item = |kind: &str, title: &str| NewItem {
        kind: kind.into(),
        title: title.into(),
        owner: Some("ann".into()),
        call: "IT provider 0800 123".into(),
        procedure: String::new(),
        planned_hours: Some(4.0),
    };
    let new = NewIncident {
        exercise: false,
        title: "Fire at the office".into(),
        scenario: Some("fire".into()),
        hits: r#"{"locations":["office"],"assets":[],"parties":[]}"#.into(),
        exercise_id: None,
        by: "ann@acme.nl".into(),
        items: vec![item("step", "Restore the server"), item("call", "Ann calls Bob")],
    };
    let first = db.create_incident(org.id, &new).await.unwrap();
    let second = db.create_incident(org.id, &NewIncident { exercise: true, ..new.clone() }).await.unwrap();
    assert_eq!((first.number, second.number), (1, 2));
    assert_eq!(db.incidents(org.id).await.unwrap().iter().map(|i| i.number).collect::<Vec<_>>(), [2, 1]);

    let change = |state: &str, reason: Option<&str>| ItemChange {
        state: state.into(),
        reason: reason.map(str::to_owned),
        owner: Some(Some("bob".into())),
        by: "bob@acme.nl".into(),
    };
    let (it, e) = db.change_item(org.id, 1, 1, &change("done", None)).await.unwrap();
    assert_eq!(
        (it.state.as_str(), it.owner.as_deref(), it.changed_by.as_deref()),
        ("done", Some("bob"), Some("bob@acme.nl"))
    );
    assert!(e.text.contains("todo -> done") && e.text.contains("owner ann -> bob"), "{}", e.text);
    // Without an owner in the change, the item keeps the one it has.
    let keep = ItemChange { owner: None, ..change("doing", None) };
    let (it, e) = db.change_item(org.id, 1, 1, &keep).await.unwrap();
    assert_eq!((it.state.as_str(), it.owner.as_deref()), ("doing", Some("bob")));
    assert!(!e.text.contains("owner"), "{}", e.text);
    let unowned = ItemChange { owner: Some(None), ..change("done", None) };
    assert_eq!(db.change_item(org.id, 1, 1, &unowned).await.unwrap().0.owner, None);
    assert!(db.change_item(org.id, 1, 2, &change("skipped", None)).await.is_err(), "skipping needs a reason");
    assert!(db.change_item(org.id, 1, 2, &change("skipped", Some("  "))).await.is_err());
    let (it, _) = db.change_item(org.id, 1, 2, &change("skipped", Some("Bob is on holiday"))).await.unwrap();
    assert_eq!(it.reason.as_deref(), Some("Bob is on holiday"));
    assert!(db.change_item(org.id, 1, 2, &change("lost", None)).await.is_err());
    assert_eq!(db.change_item(org.id, 1, 99, &change("done", None)).await.map(|_| ()), Err(StoreError::NotFound));
    db.log(org.id, 1, "ann@acme.nl", "Insurer called: claim 2026-118").await.unwrap();
    db.close_incident(org.id, 1, "ann@acme.nl", "all back").await.unwrap();
    assert_eq!(db.log(org.id, 1, "ann@acme.nl", "late").await, Err(StoreError::Conflict(Conflict::Closed)));
    assert_eq!(
        db.change_item(org.id, 1, 1, &change("todo", None)).await.map(|_| ()),
        Err(StoreError::Conflict(Conflict::Closed))
    );
    assert!(db.close_incident(org.id, 1, "ann@acme.nl", "again").await.is_err());
    let full = db.incident(org.id, 1).await.unwrap();
    let kinds: Vec<&str> = full.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["activated", "item", "item", "item", "item", "log", "closed"]);
    assert!(full.incident.closed_at.is_some());
    assert_eq!(db.incident(org.id, 3).await.map(|_| ()), Err(StoreError::NotFound));
}

#[tokio::test(flavor = "current_thread")]
async fn sqlite_keeps_the_incidents_contract_and_refuses_to_rewrite_the_log() {
    let dir = std::env::temp_dir().join(format!("draaiboek-incidents-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plans.db");
    let store = SqliteStore::open(&format!("sqlite://{}", file.display())).await.unwrap();
    incidents(&store).await;
    // Even with SQL of one's own, the log and the incidents stay as they are.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", file.display())).await.unwrap();
    for sql in [
        "update incident_events set text = 'nothing happened'",
        "delete from incident_events",
        "delete from incidents",
        "update incidents set title = 'other' where closed_at is not null",
    ] {
        let err = sqlx::query(sql).execute(&pool).await.expect_err(sql).to_string();
        assert!(
            err.contains("only ever added to") || err.contains("never deleted") || err.contains("does not change"),
            "{sql}: {err}"
        );
    }
    pool.close().await;
    std::fs::remove_dir_all(&dir).ok();
}
