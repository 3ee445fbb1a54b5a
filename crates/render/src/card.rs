//! The wallet card: the numbers and first actions that must be at hand when
//! nothing else is, on both sides of a credit card (85.6 × 54 mm), or ten
//! to an A4 sheet with cut marks.

use std::fmt::Write as _;

use draaiboek_analysis::Analysis;
use draaiboek_analysis::text::{hours, pick};
use draaiboek_plan::{Date, Id, Language, LocationKind, PartyKind, Phase};

use crate::pdf::{PdfError, compile, string};

/// What the card says.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub title: String,
    pub front: Vec<(String, String)>,
    pub actions_title: String,
    pub actions: Vec<String>,
    pub back: Vec<(String, String)>,
}

/// The card's content from the plan.
pub fn content(a: &Analysis<'_>, lang: Language) -> Card {
    let plan = a.plan();
    let o = &plan.organisation;
    let t = |en: &'static str, nl: &'static str| pick(lang, en, nl).to_owned();
    let person = |id: &Option<Id>| -> Option<String> {
        let p = plan.people.iter().find(|p| Some(&p.id) == id.as_ref())?;
        let number = p.mobile.as_ref().or(p.phone.as_ref()).map_or(String::new(), |n| n.to_string());
        Some(format!("{} {number}", p.name).trim().to_owned())
    };
    let mut front = Vec::new();
    if let Some(n) = &o.emergency_number {
        front.push((t("Emergency", "Alarmnummer"), n.to_string()));
    }
    if let Some(c) = person(&o.crisis_coordinator) {
        front.push((t("Coordinator", "Coördinator"), c));
        let deputy =
            plan.people.iter().find(|p| Some(&p.id) == o.crisis_coordinator.as_ref()).and_then(|p| p.deputy.clone());
        if let Some(d) = person(&deputy) {
            front.push((t("Deputy", "Plaatsvervanger"), d));
        }
    }
    let mut actions: Vec<String> = plan
        .tasks
        .iter()
        .filter(|t| t.phase == Some(Phase::FirstHour) && t.scenarios.is_empty())
        .map(|t| t.title.clone())
        .collect();
    if actions.len() < 3 {
        let defaults = [
            t(
                "Make everyone safe; call the emergency number if needed",
                "Breng iedereen in veiligheid; bel zo nodig het alarmnummer",
            ),
            t("Call the crisis coordinator", "Bel de crisiscoördinator"),
            t("Start the call tree and take the printed plan", "Start de belboom en pak het afgedrukte plan"),
        ];
        for d in defaults {
            if actions.len() < 3 {
                actions.push(d);
            }
        }
    }
    actions.truncate(3);

    let party = |kinds: &[PartyKind]| plan.parties.iter().find(|p| kinds.contains(&p.kind));
    let mut back = Vec::new();
    let mut add_party = |label: String, kinds: &[PartyKind], with_reference: bool| {
        if let Some(p) = party(kinds) {
            let mut s = p.name.clone();
            if let Some(n) = &p.phone {
                s.push_str(&format!(" {n}"));
            }
            if with_reference && let Some(r) = &p.reference {
                s.push_str(&format!(" · {r}"));
            }
            back.push((label, s));
        }
    };
    add_party(t("IT provider", "IT-leverancier"), &[PartyKind::ItProvider, PartyKind::NetworkAdmin], false);
    add_party(t("Insurer", "Verzekeraar"), &[PartyKind::Insurer], true);
    add_party(t("Telecom", "Telecom"), &[PartyKind::Telecom], false);
    if let Some(l) = plan.locations.iter().find(|l| l.kind == LocationKind::Alternate) {
        let mut s = l.name.clone();
        if let Some(a) = &l.address {
            s.push_str(&format!(", {a}"));
        }
        if let Some(h) = l.ready_within_hours {
            s.push_str(&format!(" ({} {})", t("ready within", "klaar binnen"), hours(h.get(), lang)));
        }
        back.push((t("Alternate location", "Uitwijklocatie"), s));
    }
    Card {
        title: format!("{} · {}", t("ICT calamity plan", "ICT-calamiteitenplan"), o.name),
        front,
        actions_title: t("First actions", "Eerst doen"),
        actions,
        back,
    }
}

const WIDTH_MM: f64 = 85.6;
const HEIGHT_MM: f64 = 54.0;

fn facts(out: &mut String, facts: &[(String, String)]) {
    out.push_str("grid(columns: (auto, 1fr), column-gutter: 4pt, row-gutter: 2.6pt,");
    for (k, v) in facts {
        let _ = write!(out, "text(weight: \"bold\", {}), {},", string(k), string(&crate::glue_numbers(v)));
    }
    out.push(')');
}

/// One side of the card as a typst block of the card's size.
fn side(card: &Card, front: bool) -> String {
    let mut out = format!(
        "block(width: {WIDTH_MM}mm, height: {HEIGHT_MM}mm, inset: 3mm, clip: true, stroke: 0.3pt + luma(200), {{\
         set text(size: 7.4pt); set par(leading: 0.45em);"
    );
    let _ = write!(
        out,
        "block(width: 100%, fill: rgb(\"#b42318\"), inset: (x: 2pt, y: 2pt), text(fill: white, weight: \"bold\", size: 7.6pt, {}));",
        string(&card.title)
    );
    if front {
        facts(&mut out, &card.front);
        out.push(';');
        let _ = write!(out, "v(2pt); text(weight: \"bold\", {}); ", string(&card.actions_title));
        out.push_str("enum(tight: true, spacing: 2pt,");
        for a in &card.actions {
            let _ = write!(out, "{},", string(a));
        }
        out.push_str(");");
    } else {
        facts(&mut out, &card.back);
        out.push(';');
    }
    out.push_str("})");
    out
}

const PREAMBLE: &str = "#set text(font: \"Libertinus Serif\", lang: LANG)\n";

/// The card as two pages of 85.6 × 54 mm: front and back.
pub fn pdf(card: &Card, lang: Language, today: Date) -> Result<Vec<u8>, PdfError> {
    compile(markup(card, lang), today, &format!("card {}", card.title))
}

/// The typst source of the card.
pub fn markup(card: &Card, lang: Language) -> String {
    let mut out = PREAMBLE.replace("LANG", &string(lang.as_str()));
    let _ = writeln!(out, "#set page(width: {WIDTH_MM}mm, height: {HEIGHT_MM}mm, margin: 0mm)");
    let _ = writeln!(out, "#{}\n#pagebreak()\n#{}", side(card, true), side(card, false));
    out
}

/// Ten cards on A4 with cut marks: fronts on the first page, backs on the
/// second, mirrored so that they line up when printed on both sides.
pub fn sheet_pdf(card: &Card, lang: Language, today: Date) -> Result<Vec<u8>, PdfError> {
    compile(sheet_markup(card, lang), today, &format!("card sheet {}", card.title))
}

/// The typst source of the sheet.
pub fn sheet_markup(card: &Card, lang: Language) -> String {
    let mut out = PREAMBLE.replace("LANG", &string(lang.as_str()));
    let (cols, rows) = (2usize, 5usize);
    let left = (210.0 - WIDTH_MM * cols as f64) / 2.0;
    let top = (297.0 - HEIGHT_MM * rows as f64) / 2.0;
    let _ = writeln!(out, "#set page(paper: \"a4\", margin: 0mm)");
    for (page, front) in [(0, true), (1, false)] {
        if page > 0 {
            out.push_str("#pagebreak()\n");
        }
        for r in 0..rows {
            for c in 0..cols {
                // Backs swap columns, for printing on the long edge.
                let col = if front { c } else { cols - 1 - c };
                let x = left + WIDTH_MM * col as f64;
                let y = top + HEIGHT_MM * r as f64;
                let _ = writeln!(out, "#place(dx: {x:.2}mm, dy: {y:.2}mm, {})", side(card, front));
            }
        }
        // Cut marks: short lines outside the cards, in line with their edges.
        for c in 0..=cols {
            let x = left + WIDTH_MM * c as f64;
            let _ = writeln!(
                out,
                "#place(dx: {x:.2}mm, dy: {:.2}mm, line(length: 5mm, angle: 90deg, stroke: 0.3pt))",
                top - 7.0
            );
            let _ = writeln!(
                out,
                "#place(dx: {x:.2}mm, dy: {:.2}mm, line(length: 5mm, angle: 90deg, stroke: 0.3pt))",
                top + HEIGHT_MM * rows as f64 + 2.0
            );
        }
        for r in 0..=rows {
            let y = top + HEIGHT_MM * r as f64;
            let _ = writeln!(out, "#place(dx: {:.2}mm, dy: {y:.2}mm, line(length: 5mm, stroke: 0.3pt))", left - 7.0);
            let _ = writeln!(
                out,
                "#place(dx: {:.2}mm, dy: {y:.2}mm, line(length: 5mm, stroke: 0.3pt))",
                left + WIDTH_MM * cols as f64 + 2.0
            );
        }
    }
    out
}
