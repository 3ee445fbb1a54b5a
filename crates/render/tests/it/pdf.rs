//! The PDFs, read back with poppler's tools (Debian's poppler-utils).

use std::process::Command;

use draaiboek_analysis::Analysis;
use draaiboek_plan::{Date, Language, Plan};

use crate::example;

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed for this test (Debian: apt-get install poppler-utils): {e}"));
    assert!(out.status.success(), "{name} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text as it reads, for finding phrases in it: words split by hyphenation
/// joined again, and no white space. Hyphens are left out on both
/// sides: pdftotext joins "set-" and "up" at a line end into "setup".
fn normalise(s: &str) -> String {
    let s = s
        .replace('\u{a0}', " ")
        .replace("\u{ad}\n", "")
        .replace(['\u{ad}', '\u{2060}'], "")
        .replace("-\n", "")
        .replace('-', "");
    // No-break spaces do not always come out as spaces; compare without any.
    s.split_whitespace().collect()
}

pub fn render(plan: &Plan, lang: Language) -> Vec<u8> {
    let a = Analysis::new(plan);
    let today = Date::parse("2026-12-04").unwrap();
    let report = a.check(today, lang);
    draaiboek_render::pdf(&draaiboek_render::document(&a, &report, lang, today), today).unwrap()
}

fn scratch(name: &str, bytes: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("draaiboek-render-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[test]
fn the_pdf_holds_every_number_serial_step_and_finding() {
    for (name, lang) in [("northfield-logistics.yaml", Language::En), ("accountantskantoor.yaml", Language::Nl)] {
        let plan = example(name);
        let file = scratch(&format!("{name}.pdf"), &render(&plan, lang));
        let text = normalise(&tool("pdftotext", &["-raw", &file, "-"]));
        let a = Analysis::new(&plan);
        let mut missing = Vec::new();
        let mut want = |what: String, s: &str| {
            if !text.contains(&normalise(s)) {
                missing.push(format!("{what}: {s}"));
            }
        };
        for (p, _) in a.crisis_roles() {
            if let Some(m) = &plan.people[p].mobile {
                want(format!("mobile of {}", plan.people[p].id), m.as_str());
            }
        }
        for party in &plan.parties {
            if let Some(phone) = &party.phone {
                want(format!("phone of {}", party.id), phone.as_str());
            }
        }
        for asset in &plan.assets {
            if let Some(serial) = &asset.serial {
                want(format!("serial of {}", asset.id), serial);
            }
        }
        for s in &a.scenarios {
            for step in draaiboek_analysis::output::scenario_json(&a, s, lang).steps {
                want("step".into(), &step.title);
            }
        }
        for f in a.check(Date::parse("2026-12-04").unwrap(), lang).findings {
            want(format!("finding {}", f.check.code), &f.message);
        }
        assert!(missing.is_empty(), "{name}: missing from the PDF:\n{}", missing.join("\n"));
        std::fs::remove_file(&file).ok();
    }
}

#[test]
fn the_pdf_is_a4_with_its_fonts_embedded() {
    let file = scratch("fonts.pdf", &render(&example("northfield-logistics.yaml"), Language::En));
    let info = tool("pdfinfo", &[&file]);
    assert!(info.contains("(A4)"), "{info}");
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!(pages > 10, "{pages} pages");
    let fonts = tool("pdffonts", &[&file]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni object ID: emb is the fourth from the end
        assert_eq!(cols[cols.len() - 5], "yes", "font not embedded: {row}");
    }
    std::fs::remove_file(&file).ok();
}

#[test]
fn the_pdf_is_reproducible() {
    let plan = example("accountantskantoor.yaml");
    assert_eq!(render(&plan, Language::Nl), render(&plan, Language::Nl));
}
