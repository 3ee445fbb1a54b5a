//! Every field on every page has a label a screen reader can read out, no
//! page uses an id twice (a label would find the wrong field), and nothing
//! on a page is inline code or style that the content security policy
//! refuses: it would silently not work.

use std::collections::HashMap;

use crate::client::{Client, World};

/// The value of `name` in the attributes of a tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[at..].split('"').next()
}

/// What is wrong with the fields of a page.
fn problems(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, _) in html.match_indices(" id=\"") {
        let id = html[i + 5..].split('"').next().unwrap();
        *ids.entry(id).or_default() += 1;
    }
    for (id, n) in &ids {
        if *n > 1 {
            out.push(format!("id {id:?} is used {n} times"));
        }
    }
    let lower = html.to_ascii_lowercase();
    for inline in [" style=\"", "<style", "javascript:", " onclick=", " onchange=", " onsubmit=", " onload="] {
        if lower.contains(inline) {
            out.push(format!("inline code or style: {inline}"));
        }
    }
    for (at, _) in lower.match_indices("<script") {
        let tag = &lower[at..at + lower[at..].find('>').unwrap()];
        if !tag.contains(" src=\"/assets/") {
            out.push(format!("a script not from /assets/: {tag}>"));
        }
    }
    for kind in ["<input", "<select", "<textarea"] {
        for (at, _) in html.match_indices(kind) {
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            if matches!(attr(tag, "type"), Some("hidden" | "submit" | "button")) {
                continue;
            }
            if attr(tag, "aria-label").is_some_and(|l| !l.trim().is_empty()) || attr(tag, "aria-labelledby").is_some() {
                continue;
            }
            let by_for = attr(tag, "id").is_some_and(|id| {
                html.match_indices("<label ").any(|(l, _)| {
                    let label = &html[l..l + html[l..].find('>').unwrap()];
                    attr(label, "for") == Some(id)
                })
            });
            // Or the field stands inside its label.
            let before = &html[..at];
            let inside =
                before.rfind("<label").is_some_and(|open| before.rfind("</label>").is_none_or(|close| close < open));
            if !by_for && !inside {
                out.push(format!("no label: {tag}>"));
            }
        }
    }
    out
}

/// Checks a page; how many fields it has.
async fn check(c: &mut Client, url: &str, all: &mut Vec<String>) -> usize {
    let r = c.get(url).await;
    assert!(r.status.is_success(), "{url}: {}", r.status);
    let csp = r.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{url}: {csp:?}");
    all.extend(problems(&r.body).into_iter().map(|p| format!("{url}: {p}")));
    ["<select", "<textarea", "<input"].iter().map(|k| r.body.matches(k).count()).sum()
}

#[tokio::test(flavor = "current_thread")]
async fn every_field_has_a_label_every_id_is_unique_and_nothing_is_inline() {
    let w = World::new().await;
    let mut all = Vec::new();

    let mut anonymous = Client::new(w.router.clone());
    let mut fields = check(&mut anonymous, "/login", &mut all).await;

    let mut admin = w.client("admin@example.nl").await;
    for url in ["/", "/users", "/orgs/new", "/account"] {
        fields += check(&mut admin, url, &mut all).await;
    }

    let mut owner = w.client("owner@acme.nl").await;
    let r = owner.post("/o/acme/incidents", &[("scenario", "fire-office"), ("title", "Fire")]).await;
    let incident = r.location.clone().expect("activated");
    let mut urls: Vec<String> = [
        "/o/acme",
        "/o/acme/members",
        "/o/acme/settings",
        "/o/acme/scenario/fire-office",
        "/o/acme/import",
        "/o/acme/documents",
        "/o/acme/audit",
        "/o/acme/versions",
        "/o/acme/incidents",
        "/o/acme/planner",
        "/o/acme/calendar",
        incident.as_str(),
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for section in draaiboek_plan::SECTIONS {
        urls.push(format!("/o/acme/s/{section}"));
        urls.push(format!("/o/acme/s/{section}/new"));
        // The first entity's form.
        let list = owner.get(&format!("/o/acme/s/{section}")).await.body;
        let marker = format!("<td><a href=\"/o/acme/s/{section}/");
        let at = list.find(&marker).unwrap_or_else(|| panic!("{section} has an entity")) + "<td><a href=\"".len();
        urls.push(list[at..].split('"').next().unwrap().to_owned());
    }
    for url in &urls {
        fields += check(&mut owner, url, &mut all).await;
    }
    assert!(all.is_empty(), "{} problems:\n{}", all.len(), all.join("\n"));
    assert!(fields > 1000, "the pages were read: {fields} fields");
}

#[test]
fn the_check_finds_what_it_looks_for() {
    assert!(problems("<label for=\"a\">A</label><input id=\"a\" name=\"a\">").is_empty());
    assert!(problems("<label>A <input type=\"checkbox\" name=\"a\"></label>").is_empty());
    assert!(problems("<input type=\"hidden\" name=\"_csrf\">").is_empty());
    assert_eq!(problems("<label for=\"b\">B</label><input id=\"a\" name=\"a\">").len(), 1);
    assert_eq!(problems("<label>A</label><select name=\"a\"></select>").len(), 1);
    assert_eq!(problems("<p id=\"x\"></p><p id=\"x\"></p>"), ["id \"x\" is used 2 times"]);
    assert_eq!(problems("<p style=\"color: red\">x</p>").len(), 1);
    assert_eq!(problems("<script>alert(1)</script>").len(), 1);
    assert!(problems("<script src=\"/assets/form.js\" defer></script>").is_empty());
}
