//! The plan document as typst markup, laid out as an A4 PDF: a running
//! header with the organisation and version, page numbers, a table of
//! contents, each chapter on a new page, tables that break across pages
//! with their header repeated, and the timeline charts as vector graphics.

use std::fmt::Write as _;

use draaiboek_plan::Date;

use crate::doc::{Block, Document, RowState, Table, Timeline};
use crate::pdf::{PdfError, compile, string};

const PREAMBLE: &str = r##"
#set page(paper: "a4", margin: (top: 24mm, bottom: 20mm, x: 16mm),
  header: context { if here().page() > 1 { set text(size: 8pt, fill: luma(90)); RUNNING; h(1fr); TITLE } },
  footer: context { set text(size: 8pt, fill: luma(90)); h(1fr); counter(page).display("1 / 1", both: true) })
#set text(font: "Libertinus Serif", size: 10.5pt, lang: LANG, hyphenate: true)
#set par(justify: false, leading: 0.6em)
#show heading.where(level: 1): it => { pagebreak(weak: true); set text(size: 17pt); block(above: 0pt, below: 12pt, it) }
#show heading.where(level: 2): set text(size: 12.5pt)
#show heading: set block(above: 14pt, below: 7pt)
#set table(stroke: 0.4pt + luma(170), inset: (x: 4pt, y: 3.5pt))
#show table: set text(size: 8.5pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#show table.cell.where(y: 0): set table.cell(fill: luma(235))
#set outline(depth: 1)
"##;

fn escape_markup(doc: &Document) -> String {
    PREAMBLE
        .replace("RUNNING", &string(&doc.running_head))
        .replace("TITLE", &string(&doc.title))
        .replace("LANG", &string(doc.lang.as_str()))
}

/// Column widths: short columns as wide as their content, the others
/// sharing the rest in proportion to what they hold.
fn columns(t: &Table) -> String {
    let list: Vec<String> = (0..t.header.len())
        .map(|c| {
            let cells = || t.rows.iter().map(move |r| r.get(c).map_or("", String::as_str).chars().count());
            let longest = cells().max().unwrap_or(0).max(t.header[c].chars().count());
            if longest <= 16 {
                return "auto".to_owned();
            }
            // What cannot break (a glued phone number, a long word) sets a floor.
            let unbreakable = t
                .rows
                .iter()
                .filter_map(|r| r.get(c))
                .flat_map(|s| crate::glue_numbers(s).split([' ', '\n']).map(|w| w.chars().count()).collect::<Vec<_>>())
                .max()
                .unwrap_or(0);
            let average = cells().sum::<usize>() / t.rows.len().max(1);
            format!("{}fr", average.max(unbreakable * 3 / 2).clamp(8, 60))
        })
        .collect();
    format!("({},)", list.join(", "))
}

fn table(out: &mut String, t: &Table) {
    let _ = write!(out, "#table(columns: {}, table.header(", columns(t));
    for h in &t.header {
        let _ = write!(out, "{}, ", string(h));
    }
    out.push_str("),\n");
    for row in &t.rows {
        for c in 0..t.header.len() {
            let _ = write!(out, "{}, ", string(&crate::glue_numbers(row.get(c).map_or("", String::as_str))));
        }
        out.push('\n');
    }
    out.push_str(")\n");
}

fn timeline(out: &mut String, t: &Timeline) {
    let pct = |h: f64| (h.min(t.horizon) / t.horizon * 100.0).clamp(0.0, 100.0);
    out.push_str("#block(breakable: false, grid(columns: (34%, 1fr, 15%), column-gutter: 6pt, row-gutter: 4pt, align: horizon,\n");
    for r in &t.rows {
        let colour = match r.state() {
            RowState::Meets => "rgb(\"#1f7a3d\")",
            RowState::MissesRto => "rgb(\"#d97706\")",
            RowState::MissesMtpd => "rgb(\"#b42318\")",
        };
        let width = r.back_at.map_or(100.0, pct).max(0.4);
        let _ = write!(out, "  text(size: 8.5pt, {}), box(width: 100%, height: 10pt, {{", string(&r.label));
        let _ = write!(out, "place(rect(width: {width:.2}%, height: 10pt, fill: {colour}));");
        if let Some(rto) = r.rto {
            let _ = write!(
                out,
                "place(dx: {:.2}%, line(start: (0pt, -2pt), end: (0pt, 12pt), stroke: (thickness: 0.8pt, dash: \"dashed\")));",
                pct(rto)
            );
        }
        if let Some(mtpd) = r.mtpd {
            let _ =
                write!(out, "place(dx: {:.2}%, line(start: (0pt, -2pt), end: (0pt, 12pt), stroke: 1.6pt));", pct(mtpd));
        }
        let beyond = r.back_at.is_none_or(|h| h > t.horizon);
        let value = if beyond { format!("→ {}", r.back_label) } else { r.back_label.clone() };
        let _ = writeln!(out, "}}), text(size: 8pt, {}),", string(&value));
    }
    // The time axis under the bars.
    out.push_str("  [], box(width: 100%, height: 12pt, {place(line(length: 100%, stroke: 0.5pt + luma(120)));");
    for (h, label) in &t.ticks {
        let _ = write!(
            out,
            "place(dx: {:.2}%, dy: 2pt, move(dx: -20pt, box(width: 40pt, align(center, text(size: 7pt, fill: luma(90), {})))));",
            pct(*h),
            string(label)
        );
    }
    out.push_str("}), [],\n))\n");
    out.push_str("#text(size: 7.5pt, fill: luma(90))[┆ RTO #h(1em) │ MTPD]\n");
}

fn block(out: &mut String, b: &Block) {
    match b {
        Block::Heading(h) => {
            let _ = writeln!(out, "#heading(level: 2, {})", string(h));
        }
        Block::Para(p) => {
            let _ = writeln!(out, "#block({})", string(p));
        }
        Block::Callout(p) => {
            let _ = writeln!(
                out,
                "#block(width: 100%, inset: 8pt, fill: rgb(\"#fdf1ef\"), stroke: (left: 3pt + rgb(\"#b42318\")), text(weight: \"bold\", {}))",
                string(p)
            );
        }
        Block::Facts(facts) => {
            out.push_str("#grid(columns: (auto, 1fr), column-gutter: 12pt, row-gutter: 6pt,\n");
            for (k, v) in facts {
                let _ = writeln!(out, "  text(weight: \"bold\", {}), {},", string(k), string(&crate::glue_numbers(v)));
            }
            out.push_str(")\n");
        }
        Block::List(items) => {
            out.push_str("#list(");
            for i in items {
                let _ = write!(out, "{}, ", string(i));
            }
            out.push_str(")\n");
        }
        Block::Table(t) => table(out, t),
        Block::Timeline(t) => timeline(out, t),
    }
}

/// The typst source of the plan document.
pub fn markup(doc: &Document) -> String {
    let mut out = escape_markup(doc);
    let _ = writeln!(out, "#set document(title: {})", string(&doc.title));
    for (i, chapter) in doc.chapters.iter().enumerate() {
        if i == 0 {
            let _ =
                writeln!(out, "#block(below: 14pt, text(size: 24pt, weight: \"bold\", {}))", string(&chapter.title));
        } else {
            let _ = writeln!(out, "#heading(level: 1, {})", string(&chapter.title));
        }
        for b in &chapter.blocks {
            block(&mut out, b);
        }
        if i == 0 {
            let title = match doc.lang {
                draaiboek_plan::Language::En => "Contents",
                draaiboek_plan::Language::Nl => "Inhoud",
            };
            let _ = writeln!(out, "#v(12pt)\n#outline(title: {})", string(title));
        }
    }
    out
}

/// The plan document as PDF bytes.
pub fn pdf(doc: &Document, today: Date) -> Result<Vec<u8>, PdfError> {
    compile(markup(doc), today, &doc.title)
}
