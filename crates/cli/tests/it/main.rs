//! The command as a user runs it: the binary, its output, its exit code.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(name: &str) -> String {
    root().join("examples").join(name).display().to_string()
}

fn clean_plan() -> String {
    root().join("crates/analysis/tests/fixtures/clean.yaml").display().to_string()
}

/// A fresh empty folder for one test.
fn scratch() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir =
        std::env::temp_dir().join(format!("draaiboek-cli-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn draaiboek(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_draaiboek")).args(args).env_remove("DRAAIBOEK_LANG").output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

#[test]
fn check_lists_findings_by_severity_and_exits_1_on_errors() {
    let o = draaiboek(&["check", &example("northfield-logistics.yaml"), "--today", "2026-12-04"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("Readiness of Northfield Logistics Ltd: "), "{out}");
    let (crit, err, warn) =
        (out.find("\nCritical (").unwrap(), out.find("\nError (").unwrap(), out.find("\nWarning (").unwrap());
    assert!(crit < err && err < warn);
    assert!(out.contains("Score per area\n  Inventory"));
    // Piped output has no colour codes.
    assert!(!out.contains('\x1b'));
}

#[test]
fn check_exits_0_on_a_plan_without_errors() {
    let o = draaiboek(&["check", &clean_plan(), "--today", "2026-12-01"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("No findings."));
}

#[test]
fn check_json_has_the_documented_shape() {
    let o = draaiboek(&["check", &example("accountantskantoor.yaml"), "--today", "2026-12-04", "--format", "json"]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let f = &v["findings"][0];
    for key in ["code", "severity", "subject", "message"] {
        assert!(f[key].is_string(), "{key} in {f}");
    }
    assert_eq!(f["severity"], "critical");
    assert!(v["score"]["overall"].is_u64());
    assert!(v["score"]["areas"]["backups"].is_u64());
}

#[test]
fn today_makes_date_checks_reproducible() {
    let early = draaiboek(&["check", &clean_plan(), "--today", "2026-12-01", "--format", "json"]);
    let late = draaiboek(&["check", &clean_plan(), "--today", "2028-01-01", "--format", "json"]);
    assert!(!stdout(&early).contains("MNT001"));
    assert!(stdout(&late).contains("MNT001"));
    let bad = draaiboek(&["check", &clean_plan(), "--today", "2026-02-30"]);
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("no day 30"));
}

#[test]
fn the_language_follows_the_plan_or_lang() {
    let nl = draaiboek(&["check", &example("accountantskantoor.yaml"), "--today", "2026-12-04"]);
    assert!(stdout(&nl).starts_with("Paraatheid van"));
    let en = draaiboek(&["check", &example("accountantskantoor.yaml"), "--today", "2026-12-04", "--lang", "en"]);
    assert!(stdout(&en).starts_with("Readiness of"));
    assert!(stdout(&en).contains("Critical ("));
}

#[test]
fn analyse_prints_timeline_reasons_cost_and_steps() {
    let o = draaiboek(&[
        "analyse",
        &root().join("crates/analysis/tests/conformance/worked-example.yaml").display().to_string(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Scenario fire-hq: Fire at the office (fire, destroyed)"));
    assert!(out.contains("payroll at 86 h: waits for client-files, restored from backup-cloud at 86 h"), "{out}");
    assert!(out.contains("Cost of standstill: € 21,500"));
    assert!(out.contains("1. [0 h → 80 h] Replace SRV-DC01"));
    assert!(out.contains("call: For All IT Services (forall-it) 088 751 02 02"));
}

#[test]
fn analyse_json_for_one_scenario_matches_the_conformance_result() {
    let plan = root().join("crates/analysis/tests/conformance/model-rules.yaml");
    let o = draaiboek(&["analyse", plan.to_str().unwrap(), "--scenario", "ransomware", "--format", "json"]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["scenario"], "ransomware");
    let orders = v["data"].as_array().unwrap().iter().find(|d| d["id"] == "orders").unwrap();
    assert_eq!(orders["recovered_at"], 14.0);
    assert_eq!(orders["backup"], "orders-cloud");
    assert_eq!(v["steps"][0]["order"], 1);
    let all = draaiboek(&["analyse", plan.to_str().unwrap(), "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&all)).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 6);
}

#[test]
fn analyse_names_the_scenarios_when_one_is_unknown() {
    let o = draaiboek(&["analyse", &example("northfield-logistics.yaml"), "--scenario", "flood"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no scenario `flood`"));
    assert!(stderr(&o).contains("fire-warehouse"));
}

#[test]
fn invalid_plans_list_every_problem_and_exit_2() {
    let dir = scratch();
    let file = dir.join("plan.yaml");
    std::fs::write(&file, "format: draaiboek/v1\norganisation:\n  name: X\n  crisis_coordinator: jan\nassets:\n  - id: a\n    kind: servr\n    name: A\n").unwrap();
    let o = draaiboek(&["check", file.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("plan.yaml:4:23: organisation.crisis_coordinator: unknown id `jan`"), "{err}");
    assert!(err.contains("plan.yaml:7:11: assets[0].kind: `servr` is not one of"), "{err}");
    assert!(err.contains("hint: did you mean `server`?"));
    assert!(err.contains("2 problems in the plan"));
}

#[test]
fn problems_are_described_in_the_plans_language_or_lang() {
    let dir = scratch();
    let file = dir.join("plan.yaml");
    std::fs::write(&file, "format: draaiboek/v1\norganisation:\n  name: X\n  language: nl\n  adres: Utrecht\n")
        .unwrap();
    let nl = draaiboek(&["check", file.to_str().unwrap()]);
    assert_eq!(code(&nl), 2);
    assert!(stderr(&nl).contains("onbekende sleutel `adres`"), "{}", stderr(&nl));
    assert!(stderr(&nl).contains("tip: bedoel je `address`?"));
    assert!(stderr(&nl).contains("1 probleem in het plan"));
    let en = draaiboek(&["check", file.to_str().unwrap(), "--lang", "en"]);
    assert!(stderr(&en).contains("unknown key `adres`"), "{}", stderr(&en));
    let missing = draaiboek(&["check", dir.join("weg.yaml").to_str().unwrap(), "--lang", "nl"]);
    assert!(stderr(&missing).contains("bestaat niet"));
}

#[test]
fn hostile_input_gets_a_clear_error_and_exit_2() {
    let dir = scratch();
    let garbage = dir.join("garbage.yaml");
    std::fs::write(&garbage, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]).unwrap();
    let big = dir.join("big.yaml");
    std::fs::File::create(&big).unwrap().set_len(100 * 1024 * 1024).unwrap();
    let deep = dir.join("deep.yaml");
    std::fs::write(&deep, format!("{}1{}", "[".repeat(50_000), "]".repeat(50_000))).unwrap();
    let laughs = dir.join("laughs.yaml");
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    std::fs::write(&laughs, bomb).unwrap();
    let cases: [(&Path, &str); 6] = [
        (&dir.join("missing.yaml"), "no such file"),
        (&dir, "is a directory"),
        (&garbage, "not UTF-8"),
        (&big, "larger than"),
        (&deep, "YAML"),
        (&laughs, "aliases"),
    ];
    for (path, expected) in cases {
        let o = draaiboek(&["check", path.to_str().unwrap()]);
        assert_eq!(code(&o), 2, "{}", path.display());
        let err = stderr(&o);
        assert!(err.contains(expected), "{}: {err}", path.display());
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn init_writes_a_starter_plan_that_passes_validation() {
    let dir = scratch();
    for lang in ["en", "nl"] {
        let file = dir.join(format!("{lang}.yaml"));
        let o = draaiboek(&["init", "--lang", lang, "-o", file.to_str().unwrap()]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(&format!("language: {lang}")));
        assert!(text.lines().filter(|l| l.trim_start().starts_with('#')).count() > 3, "commented");
        let checked = draaiboek(&["check", file.to_str().unwrap(), "--today", "2026-02-01"]);
        assert_ne!(code(&checked), 2, "{}", stderr(&checked));
        let again = draaiboek(&["init", "--lang", lang, "-o", file.to_str().unwrap()]);
        assert_eq!(code(&again), 2);
        assert!(stderr(&again).contains("--force"));
    }
    let printed = draaiboek(&["init", "-o", "-"]);
    assert!(stdout(&printed).starts_with("# ICT calamity plan"));
}

#[test]
fn fmt_rewrites_in_the_canonical_layout() {
    let dir = scratch();
    let file = dir.join("plan.yaml");
    std::fs::write(
        &file,
        "organisation: {name: Test, language: en}\nformat: draaiboek/v1\nassets:\n- name: A\n  kind: nas\n  id: a\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let check = draaiboek(&["fmt", path, "--check"]);
    assert_eq!(code(&check), 1);
    assert!(stdout(&check).contains("not in the canonical layout"));
    assert_eq!(code(&draaiboek(&["fmt", path])), 0);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "format: draaiboek/v1\norganisation:\n  name: Test\n  language: en\nassets:\n  - id: a\n    kind: nas\n    name: A\n"
    );
    assert_eq!(code(&draaiboek(&["fmt", path, "--check"])), 0);
}

#[test]
fn fmt_does_not_drop_comments_unless_asked() {
    let dir = scratch();
    let file = dir.join("plan.yaml");
    let text = "format: draaiboek/v1\norganisation:\n    name: Test   # our name\n";
    std::fs::write(&file, text).unwrap();
    let o = draaiboek(&["fmt", file.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--drop-comments"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(code(&draaiboek(&["fmt", file.to_str().unwrap(), "--drop-comments"])), 0);
    assert!(!std::fs::read_to_string(&file).unwrap().contains('#'));
}

#[test]
fn the_examples_are_in_the_canonical_layout() {
    for name in ["accountantskantoor.yaml", "northfield-logistics.yaml"] {
        let o = draaiboek(&["fmt", &example(name), "--check"]);
        assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    }
}

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["analyse", "--help"],
        vec!["init", "--help"],
        vec!["migrate", "--help"],
        vec!["import", "--help"],
        vec!["export", "--help"],
        vec!["backup", "--help"],
        vec!["restore", "--help"],
        vec!["fmt", "--help"],
    ] {
        let o = draaiboek(&cmd);
        assert_eq!(code(&o), 0);
        assert!(stdout(&o).contains("Example"), "{cmd:?}");
    }
    let o = draaiboek(&["frobnicate"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn user_add_prints_a_one_time_link() {
    let dir = scratch();
    let data = dir.join("data");
    let out = draaiboek(&["user", "add", "--admin", "--data-dir", data.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("http://127.0.0.1:8080/setup/"), "{text}");
    let out = draaiboek(&[
        "user",
        "add",
        "--org",
        "nobody",
        "--public-url",
        "https://plan.example.nl",
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("there is no organisation `nobody`"), "{}", stderr(&out));
    let plan = example("accountantskantoor.yaml");
    assert!(draaiboek(&["import", &plan, "--org", "de-vries", "--data-dir", data.to_str().unwrap()]).status.success());
    let out = draaiboek(&[
        "user",
        "add",
        "--org",
        "de-vries",
        "--role",
        "viewer",
        "--public-url",
        "https://plan.example.nl",
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    assert!(stdout(&out).contains("https://plan.example.nl/setup/"), "{}", stdout(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

mod server;

/// The server is killed (SIGKILL) in the middle of a stream of writes; after
/// a restart the database is intact and every write it acknowledged is there.
#[test]
fn a_killed_server_loses_no_acknowledged_write() {
    use server::{Http, Server};
    let dir = scratch();
    let data = dir.join("data");
    let server = Server::start(&data);
    let mut http = Http::new(&server.addr());
    http.set_up_admin(
        server.setup.as_deref().expect("a first-administrator link"),
        "admin@example.nl",
        "a long password",
    );
    let csrf = http.get("/orgs/new").unwrap().csrf();
    let r = http
        .post("/orgs/new", &[("_csrf", &csrf), ("name", "Crash Test BV"), ("slug", "crash"), ("language", "en")])
        .unwrap();
    assert_eq!(r.status, 303, "{}", r.body);

    // Writers on two connections at once, until the server dies under them.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..2 {
        let mut http = Http { addr: http.addr.clone(), cookies: http.cookies.clone() };
        let stop = stop.clone();
        writers.push(std::thread::spawn(move || {
            let mut acknowledged = Vec::new();
            let csrf = http.get("/o/crash/s/people/new").unwrap().csrf();
            for i in 0.. {
                if stop.load(Ordering::SeqCst) && i > 1_000_000 {
                    break;
                }
                let id = format!("p{w}-{i}");
                let name = format!("Person {w}-{i}");
                match http.post("/o/crash/s/people/new", &[("_csrf", &csrf), ("id", &id), ("name", &name)]) {
                    Ok(r) if r.status == 303 => acknowledged.push(id),
                    Ok(r) => panic!("write {id} refused: {} {}", r.status, r.body),
                    Err(_) => break,
                }
            }
            acknowledged
        }));
    }
    std::thread::sleep(std::time::Duration::from_millis(2500));
    server.kill();
    stop.store(true, Ordering::SeqCst);
    let acknowledged: Vec<String> = writers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    assert!(acknowledged.len() >= 10, "the writes were under way: {}", acknowledged.len());

    // The database file is intact...
    let db = data.join("draaiboek.db");
    let out =
        Command::new(env!("CARGO_BIN_EXE_draaiboek")).args(["migrate", "--data-dir"]).arg(&data).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let check =
        draaiboek(&["backup", "--to", dir.join("copy.db").to_str().unwrap(), "--data-dir", data.to_str().unwrap()]);
    assert!(check.status.success(), "a consistent copy can be made: {}", stderr(&check));
    assert!(db.exists());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let orgs = rt.block_on(draaiboek_store::SqliteStore::check_backup(&dir.join("copy.db")));
    assert_eq!(orgs, Ok(1), "SQLite's integrity check passes");

    // ...and after a restart every acknowledged write is there, in a plan that reads.
    let server = Server::start(&data);
    assert!(server.setup.is_none(), "the administrator survived");
    let mut http = Http::new(&server.addr());
    http.sign_in("admin@example.nl", "a long password");
    let export = http.get("/o/crash/export").unwrap();
    assert_eq!(export.status, 200);
    let plan = draaiboek_plan::from_str(&export.body, "crash.yaml").unwrap_or_else(|e| panic!("{}", e.report()));
    let ids: std::collections::HashSet<&str> = plan.people.iter().map(|p| p.id.as_str()).collect();
    for id in &acknowledged {
        assert!(ids.contains(id.as_str()), "acknowledged write {id} is lost");
    }
    // At most the writes under way when it died are there without an acknowledgement.
    assert!(ids.len() <= acknowledged.len() + 2, "{} stored, {} acknowledged", ids.len(), acknowledged.len());
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

mod browser;

/// Where screenshots go when DRAAIBOEK_SCREENSHOTS names a folder.
fn shoot(b: &browser::Browser, name: &str) {
    if let Ok(dir) = std::env::var("DRAAIBOEK_SCREENSHOTS") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), b.screenshot()).unwrap();
    }
}

/// Sign up the first administrator, create an organisation, import a plan,
/// fix a finding through its form and see it leave the dashboard, download
/// the PDF: in headless Chromium, through the pages only.
#[test]
fn in_a_browser_from_the_first_administrator_to_the_pdf() {
    let dir = scratch();
    let server = server::Server::start(&dir.join("data"));
    let base = server.base.clone();
    let b = browser::Browser::start(&dir);

    b.go(&format!("{base}{}", server.setup.clone().unwrap()));
    shoot(&b, "desktop-setup");
    b.type_into("#name", "Ann Admin");
    b.type_into("#email", "ann@example.nl");
    b.type_into("#password", "a long password");
    b.type_into("#password2", "a long password");
    b.click("form.narrow button");
    b.wait_for(&format!("{base}/"));
    assert!(b.text().contains("You have no organisation yet"));

    b.click("a.button[href='/orgs/new']");
    b.wait_for("/orgs/new");
    b.type_into("#name", "Northfield Logistics");
    b.type_into("#slug", "northfield");
    b.click("form.narrow button");
    b.wait_for("/o/northfield?done=created");

    b.click("nav.org a[href='/o/northfield/import']");
    b.wait_for("/o/northfield/import");
    b.choose_file("#file", Path::new(&example("northfield-logistics.yaml")));
    b.click("form[enctype] button");
    b.wait_for("/o/northfield?done=imported");
    let dashboard = b.text();
    let finding = "Asset wh-switch (switch) has no serial number";
    assert!(dashboard.contains("Readiness: 52"), "{dashboard}");
    assert!(dashboard.contains(finding));
    // Published as imported, so the fix below shows as a change.
    b.go(&format!("{base}/o/northfield/versions"));
    b.type_into("#note", "As imported");
    b.click("form.narrow button");
    b.wait_for("/o/northfield/versions?done=published");
    assert!(b.text().contains("As imported"));
    b.go(&format!("{base}/o/northfield"));

    b.click("ul.findings a[href='/o/northfield/s/assets/wh-switch']");
    b.wait_for("/o/northfield/s/assets/wh-switch");
    b.type_into("#f-serial", "SW-48-0001");
    b.click("form.entity .actions button");
    b.wait_for("/o/northfield/s/assets/wh-switch?done=saved");
    assert!(b.text().contains("Saved."));
    b.go(&format!("{base}/o/northfield"));
    let dashboard = b.text();
    assert!(!dashboard.contains(finding), "the finding left the dashboard");
    assert!(dashboard.contains("Readiness:"));
    assert!(dashboard.contains("1 change since the last published version (1)"), "{dashboard}");

    // A long list of choices narrows as one types; what is chosen stays.
    b.go(&format!("{base}/o/northfield/s/assets/srv-erp"));
    b.wait_for("/o/northfield/s/assets/srv-erp");
    let labels = "Array.from(document.querySelectorAll('#f-depends_on label.check'))";
    let all = b.execute(&format!("return {labels}.length")).as_u64().unwrap();
    b.type_into("input.checks-filter[aria-controls='f-depends_on']", "switch");
    let shown = b.execute(&format!(
        "return {labels}.filter(l => !l.hidden).map(l => [l.textContent.trim(), l.querySelector('input').checked])"
    ));
    let shown = shown.as_array().unwrap();
    assert!(!shown.is_empty() && (shown.len() as u64) < all, "{shown:?} of {all}");
    for s in shown {
        let (text, checked) = (s[0].as_str().unwrap(), s[1].as_bool().unwrap());
        assert!(text.to_lowercase().contains("switch") || checked, "{text}");
    }
    assert!(shown.iter().any(|s| s[1].as_bool().unwrap()), "a chosen one stays: {shown:?}");

    b.go(&format!("{base}/o/northfield/documents"));
    b.click("a[href='/o/northfield/download/plan.pdf']");
    let started = Instant::now();
    let pdf = loop {
        let done = std::fs::read_dir(&b.downloads)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "pdf"));
        if let Some(p) = done {
            break p;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "the PDF did not arrive");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(pdf.file_name().unwrap(), "northfield-plan.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF") && bytes.len() > 50_000, "a real PDF of {} bytes", bytes.len());

    // Every page, on a desktop and on a phone, for looking at.
    if std::env::var("DRAAIBOEK_SCREENSHOTS").is_ok() {
        let pages = [
            ("home", "/".to_owned()),
            ("dashboard", "/o/northfield".into()),
            ("settings", "/o/northfield/settings".into()),
            ("scenario", "/o/northfield/scenario/fire-office".into()),
            ("documents", "/o/northfield/documents".into()),
            ("import", "/o/northfield/import".into()),
            ("versions", "/o/northfield/versions".into()),
            ("audit", "/o/northfield/audit".into()),
            ("members", "/o/northfield/members".into()),
            ("account", "/account".into()),
            ("users", "/users".into()),
            ("new-org", "/orgs/new".into()),
            ("compare", "/o/northfield/compare?from=1&to=now".into()),
            ("incidents", "/o/northfield/incidents".into()),
            ("planner", "/o/northfield/planner".into()),
            ("calendar", "/o/northfield/calendar".into()),
        ];
        for (size, (w, h)) in [("desktop", (1280, 900)), ("phone", (390, 844))] {
            b.size(w, h);
            for (name, path) in &pages {
                b.go(&format!("{base}{path}"));
                shoot(&b, &format!("{size}-{name}"));
            }
            for s in draaiboek_plan::SECTIONS {
                b.go(&format!("{base}/o/northfield/s/{s}"));
                shoot(&b, &format!("{size}-list-{s}"));
                b.click("tbody td a");
                b.wait_for_change(&format!("{base}/o/northfield/s/{s}"));
                shoot(&b, &format!("{size}-form-{s}"));
            }
            b.go(&format!("{base}/o/northfield/s/assets/new"));
            shoot(&b, &format!("{size}-new-asset"));
        }
    }
    drop(b);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two people on the same incident: what one changes appears on the other's
/// page without a reload (server-sent events), in real headless Chromium.
#[test]
fn in_two_browsers_a_change_to_an_incident_appears_without_a_reload() {
    let dir = scratch();
    let server = server::Server::start(&dir.join("data"));
    let base = server.base.clone();
    // The organisation and its plan, set up over HTTP.
    let mut http = server::Http::new(&server.addr());
    http.set_up_admin(server.setup.as_deref().unwrap(), "ann@example.nl", "a long password");
    let csrf = http.get("/orgs/new").unwrap().csrf();
    http.post("/orgs/new", &[("_csrf", &csrf), ("name", "Northfield"), ("slug", "nf"), ("language", "en")]).unwrap();
    let out = draaiboek(&[
        "import",
        &example("northfield-logistics.yaml"),
        "--org",
        "nf",
        "--data-dir",
        dir.join("data").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csrf = http.get("/o/nf/incidents").unwrap().csrf();
    let r = http.post("/o/nf/incidents", &[("_csrf", &csrf), ("scenario", "ransomware")]).unwrap();
    assert_eq!(r.status, 303, "{}", r.body);

    let sign_in = |b: &browser::Browser| {
        b.go(&format!("{base}/login"));
        b.type_into("#email", "ann@example.nl");
        b.type_into("#password", "a long password");
        b.click("form.narrow button");
        b.wait_for(&format!("{base}/"));
        b.go(&format!("{base}/o/nf/incidents/1"));
        b.wait_for("/o/nf/incidents/1");
    };
    let one_dir = dir.join("one");
    let two_dir = dir.join("two");
    let one = browser::Browser::start(&one_dir);
    let two = browser::Browser::start(&two_dir);
    sign_in(&one);
    sign_in(&two);
    two.size(390, 844);
    // A mark that a reload would wipe out.
    two.execute("window.notReloaded = true; return true;");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!two.text().contains("done by ann@example.nl"));
    // Two opens the full form of the second item: an update leaves it open.
    let more = "ol.items li.item:nth-child(2) details.more";
    two.click(&format!("{more} summary"));

    // One marks the first item done with one tap, and writes in the log.
    one.click("ol.items li.item form.quick-done button");
    one.wait_for_change(&format!("{base}/o/nf/incidents/1"));
    one.type_into("#log-text", "Backups checked: the immutable copy is intact");
    one.click("form.log-form button");

    let started = Instant::now();
    loop {
        let text = two.text();
        if text.contains("done by ann@example.nl") && text.contains("Backups checked: the immutable copy is intact") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the change did not arrive: {text}");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(two.execute("return window.notReloaded === true"), serde_json::Value::Bool(true), "no reload");
    let still_open = two.execute(&format!("return document.querySelector('{more}').open"));
    assert_eq!(still_open, serde_json::Value::Bool(true), "what was opened stays open");
    shoot(&two, "phone-incident-live");
    shoot(&one, "desktop-incident");
    if std::env::var("DRAAIBOEK_SCREENSHOTS").is_ok() {
        // The whole checklist on a phone, in one tall window.
        two.size(390, 6000);
        shoot(&two, "phone-incident-whole");
    }
    drop(one);
    drop(two);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Stopping the server (SIGTERM) ends it promptly, even with pages watching
/// an incident over a connection that stays open.
#[test]
fn the_server_stops_on_sigterm_while_pages_watch_an_incident() {
    use std::io::{Read, Write};
    let dir = scratch();
    let mut server = server::Server::start(&dir.join("data"));
    let mut http = server::Http::new(&server.addr());
    http.set_up_admin(server.setup.as_deref().unwrap(), "ann@example.nl", "a long password");
    let csrf = http.get("/orgs/new").unwrap().csrf();
    http.post("/orgs/new", &[("_csrf", &csrf), ("name", "Acme"), ("slug", "acme"), ("language", "en")]).unwrap();
    let out = draaiboek(&[
        "import",
        &example("accountantskantoor.yaml"),
        "--org",
        "acme",
        "--data-dir",
        dir.join("data").to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let csrf = http.get("/o/acme/incidents").unwrap().csrf();
    let scenario = draaiboek_plan::from_str(&std::fs::read_to_string(example("accountantskantoor.yaml")).unwrap(), "x")
        .unwrap()
        .scenarios[0]
        .id
        .to_string();
    assert_eq!(http.post("/o/acme/incidents", &[("_csrf", &csrf), ("scenario", &scenario)]).unwrap().status, 303);
    // A page watching: the event stream stays open.
    let mut watch = std::net::TcpStream::connect(server.addr()).unwrap();
    let cookies: Vec<String> = http.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    write!(watch, "GET /o/acme/incidents/1/events HTTP/1.1\r\nHost: x\r\nCookie: {}\r\n\r\n", cookies.join("; "))
        .unwrap();
    let mut head = [0u8; 64];
    let n = watch.read(&mut head).unwrap();
    assert!(String::from_utf8_lossy(&head[..n]).starts_with("HTTP/1.1 200"));
    let stopped = Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().unwrap();
    assert!(stopped.success());
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "it exits cleanly: {status:?}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mail_settings_are_checked_before_the_server_starts() {
    let dir = scratch();
    let data = dir.join("data");
    let serve = |extra: &[&str], password: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_draaiboek"));
        c.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"]).arg(&data);
        if !extra.contains(&"--mail-from") {
            c.args(["--mail-from", "plan@example.nl"]);
        }
        c.args(extra).env_remove("DRAAIBOEK_SMTP_PASSWORD").env_remove("DRAAIBOEK_LANG");
        if let Some(p) = password {
            c.env("DRAAIBOEK_SMTP_PASSWORD", p);
        }
        c.output().unwrap()
    };
    let cases: [(&[&str], Option<&str>, &str); 5] = [
        (&["--smtp-relay", "localhost:25", "--mail-from", "plan at example"], None, "is not an e-mail address"),
        (&["--smtp-relay", "mail.example.nl:25", "--smtp-user", "plan"], Some("secret"), "without encryption"),
        (&["--smtp-relay", "smtp.office365.com:587", "--smtp-user", "plan"], None, "DRAAIBOEK_SMTP_PASSWORD"),
        (&["--smtp-relay", "smtp.office365.com"], None, "HOST:PORT"),
        (
            &["--smtp-relay", "smtp.office365.com:587", "--smtp-ca", "/nonexistent/ca.pem"],
            None,
            "cannot read --smtp-ca",
        ),
    ];
    for (args, password, says) in cases {
        let out = serve(args, password);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("secret"), "the password is never printed: {err}");
    }
}
