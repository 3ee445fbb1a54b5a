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

fn card(name: &str, lang: Language) -> (draaiboek_render::card::Card, Plan) {
    let plan = example(name);
    (draaiboek_render::card::content(&Analysis::new(&plan), lang), plan)
}

#[test]
fn the_card_is_credit_card_sized_and_says_what_matters() {
    let (c, plan) = card("northfield-logistics.yaml", Language::En);
    let today = Date::parse("2026-12-04").unwrap();
    let file = scratch("card.pdf", &draaiboek_render::card::pdf(&c, Language::En, today).unwrap());
    let info = tool("pdfinfo", &[&file]);
    assert!(info.contains("Pages:           2"), "{info}");
    // 85.6 x 54 mm in points.
    assert!(info.contains("Page size:       242.646 x 153.071 pts"), "{info}");
    let text = normalise(&tool("pdftotext", &["-raw", &file, "-"]));
    let wanted = [
        "999",
        "+44 7700 900102",
        "+44 7700 900103",
        "0113 496 0200",
        "CMB 99812345",
        "0800 098 8400",
        "7 Wellington Place",
    ];
    for w in wanted {
        assert!(text.contains(&normalise(w)), "{w} missing from the card");
    }
    for a in &c.actions {
        assert!(text.contains(&normalise(a)), "action {a} missing");
    }
    assert_eq!(c.actions.len(), 3);
    assert!(plan.organisation.emergency_number.is_some());
    std::fs::remove_file(&file).ok();
}

#[test]
fn nothing_on_the_card_is_smaller_than_6_pt() {
    let (c, _) = card("accountantskantoor.yaml", Language::Nl);
    for markup in
        [draaiboek_render::card::markup(&c, Language::Nl), draaiboek_render::card::sheet_markup(&c, Language::Nl)]
    {
        let sizes: Vec<f64> = markup
            .match_indices("size: ")
            .filter_map(|(i, _)| markup[i + 6..].split("pt").next()?.parse().ok())
            .collect();
        assert!(!sizes.is_empty());
        assert!(sizes.iter().all(|s| *s >= 6.0), "{sizes:?}");
    }
}

#[test]
fn the_sheet_has_ten_cards_on_a4() {
    let (c, _) = card("accountantskantoor.yaml", Language::Nl);
    let file = scratch(
        "sheet.pdf",
        &draaiboek_render::card::sheet_pdf(&c, Language::Nl, Date::parse("2026-12-04").unwrap()).unwrap(),
    );
    let info = tool("pdfinfo", &[&file]);
    assert!(info.contains("(A4)") && info.contains("Pages:           2"), "{info}");
    let front = tool("pdftotext", &["-raw", "-f", "1", "-l", "1", &file, "-"]);
    assert_eq!(front.matches("Alarmnummer").count(), 10);
    let back = tool("pdftotext", &["-raw", "-f", "2", "-l", "2", &file, "-"]);
    assert_eq!(back.matches("Verzekeraar").count(), 10);
    std::fs::remove_file(&file).ok();
}
