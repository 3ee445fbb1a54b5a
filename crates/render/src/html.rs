//! The plan document as one HTML file: styles inside, no script, no
//! request to anything outside the file; readable on a phone, printable.

use std::fmt::Write as _;

use crate::doc::{Block, Document, RowState, Table, Timeline};

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text with its line breaks kept, and numbers kept with what follows
/// them ("+31 6 1234 5678", "24 h" do not break across lines).
fn text(s: &str) -> String {
    escape(&crate::glue_numbers(s)).replace('\n', "<br>")
}

/// The document's styles, for pages that show parts of it.
pub const STYLE: &str = r#"
:root { --ink: #1d2433; --muted: #5a6478; --line: #d5dae3; --accent: #0b5cad; --bad: #b42318; --worse: #7a0e0e; --good: #1f7a3d; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 70rem; margin: 0 auto; padding: 1rem; }
header.running { color: var(--muted); font-size: .85rem; border-bottom: 1px solid var(--line); padding-bottom: .3rem; }
h1 { font-size: 1.9rem; margin: 1.2rem 0 .8rem; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 .8rem; padding-top: .6rem; border-top: 3px solid var(--accent); }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
nav ol { padding-left: 1.4rem; }
nav a, a { color: var(--accent); }
dl.facts { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: .25rem 1rem; margin: .6rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.callout { border-left: 5px solid var(--bad); background: #fdf1ef; padding: .7rem 1rem; margin: 1rem 0; font-weight: 600; }
.table { overflow-x: auto; margin: .6rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
th { background: #eef2f7; }
tr { break-inside: avoid; }
.chart { overflow-x: auto; }
svg.timeline { width: 100%; min-width: 36rem; height: auto; max-width: 60rem; font: 12px system-ui, sans-serif; }
.legend { color: var(--muted); font-size: .85rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .4rem; }
  th, td { padding: .3rem; }
}
@media print {
  @page { size: A4; margin: 15mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { break-after: page; }
  section { break-before: page; }
  section#cover { break-before: auto; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .table { overflow: visible; }
}
"#;

/// The document as a single HTML page.
pub fn html(doc: &Document) -> String {
    let mut out = String::new();
    let lang = doc.lang.as_str();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(&doc.title)
    );
    let _ = writeln!(out, "<header class=\"running\">{}</header>", escape(&doc.running_head));
    for (i, chapter) in doc.chapters.iter().enumerate() {
        let _ = writeln!(out, "<section id=\"{}\">", escape(&chapter.anchor));
        if i == 0 {
            let _ = writeln!(out, "<h1>{}</h1>", escape(&chapter.title));
        } else {
            let _ = writeln!(out, "<h2>{}</h2>", escape(&chapter.title));
        }
        for block in &chapter.blocks {
            write_block(&mut out, block);
        }
        out.push_str("</section>\n");
        if i == 0 {
            contents(&mut out, doc);
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The blocks of one chapter as an HTML fragment (no heading), for pages
/// that show part of the document.
pub fn fragment(chapter: &crate::doc::Chapter) -> String {
    let mut out = String::new();
    for block in &chapter.blocks {
        write_block(&mut out, block);
    }
    out
}

fn contents(out: &mut String, doc: &Document) {
    let title = match doc.lang {
        draaiboek_plan::Language::En => "Contents",
        draaiboek_plan::Language::Nl => "Inhoud",
    };
    let _ = writeln!(out, "<nav>\n<h2>{title}</h2>\n<ol>");
    for c in doc.chapters.iter().skip(1) {
        let _ = writeln!(out, "<li><a href=\"#{}\">{}</a></li>", escape(&c.anchor), escape(&c.title));
    }
    out.push_str("</ol>\n</nav>\n");
}

fn write_block(out: &mut String, block: &Block) {
    match block {
        Block::Heading(h) => {
            let _ = writeln!(out, "<h3>{}</h3>", escape(h));
        }
        Block::Para(p) => {
            let _ = writeln!(out, "<p>{}</p>", text(p));
        }
        Block::Callout(p) => {
            let _ = writeln!(out, "<p class=\"callout\">{}</p>", text(p));
        }
        Block::Facts(facts) => {
            out.push_str("<dl class=\"facts\">\n");
            for (k, v) in facts {
                let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(k), text(v));
            }
            out.push_str("</dl>\n");
        }
        Block::List(items) => {
            out.push_str("<ul>\n");
            for i in items {
                let _ = writeln!(out, "<li>{}</li>", text(i));
            }
            out.push_str("</ul>\n");
        }
        Block::Table(t) => table(out, t),
        Block::Timeline(t) => timeline(out, t),
    }
}

fn table(out: &mut String, t: &Table) {
    out.push_str("<div class=\"table\"><table>\n<thead><tr>");
    for h in &t.header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", text(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
}

/// A bar per process from the calamity to its recovery, against ticks for
/// its RTO (dashed) and MTPD (solid), as inline SVG.
fn timeline(out: &mut String, t: &Timeline) {
    const LABEL: f64 = 230.0;
    const WIDTH: f64 = 760.0;
    const ROW: f64 = 26.0;
    let plot = WIDTH - LABEL - 110.0;
    let x = |h: f64| LABEL + (h.min(t.horizon) / t.horizon) * plot;
    let height = ROW * t.rows.len() as f64 + 30.0;
    out.push_str("<div class=\"chart\">");
    let _ = writeln!(
        out,
        "<svg class=\"timeline\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, r) in t.rows.iter().enumerate() {
        let y = i as f64 * ROW + 4.0;
        let colour = match r.state() {
            RowState::Meets => "#1f7a3d",
            RowState::MissesRto => "#d97706",
            RowState::MissesMtpd => "#b42318",
        };
        // A long name is cut with an ellipsis; the whole name stays as the
        // text's title, for the pointer and for screen readers.
        let label: String = if r.label.chars().count() > 33 {
            r.label.chars().take(31).chain(['…']).collect()
        } else {
            r.label.clone()
        };
        let _ = writeln!(
            out,
            "<text x=\"0\" y=\"{:.1}\" dominant-baseline=\"middle\"><title>{}</title>{}</text>",
            y + ROW / 2.0 - 2.0,
            escape(&r.label),
            escape(&label)
        );
        let end = r.back_at.map_or(LABEL + plot, x);
        let _ = writeln!(
            out,
            "<rect x=\"{LABEL}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"/>",
            y + 4.0,
            (end - LABEL).max(1.5),
            ROW - 12.0
        );
        let beyond = r.back_at.is_none_or(|h| h > t.horizon);
        let value = if beyond { format!("→ {}", r.back_label) } else { r.back_label.clone() };
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" dominant-baseline=\"middle\">{}</text>",
            end + 4.0,
            y + ROW / 2.0 - 2.0,
            escape(&value)
        );
        if let Some(rto) = r.rto {
            let _ = writeln!(
                out,
                "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1:.1}\" y2=\"{2:.1}\" stroke=\"#1d2433\" stroke-dasharray=\"3 2\"/>",
                x(rto),
                y,
                y + ROW - 4.0
            );
        }
        if let Some(mtpd) = r.mtpd {
            let _ = writeln!(
                out,
                "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1:.1}\" y2=\"{2:.1}\" stroke=\"#1d2433\" stroke-width=\"2\"/>",
                x(mtpd),
                y,
                y + ROW - 4.0
            );
        }
    }
    let axis = ROW * t.rows.len() as f64 + 8.0;
    let _ = writeln!(
        out,
        "<line x1=\"{LABEL}\" x2=\"{:.1}\" y1=\"{axis:.1}\" y2=\"{axis:.1}\" stroke=\"#5a6478\"/>",
        LABEL + plot
    );
    for (h, label) in &t.ticks {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#5a6478\">{}</text>",
            x(*h),
            axis + 16.0,
            escape(label)
        );
    }
    out.push_str("</svg></div>\n");
    let _ = writeln!(out, "<p class=\"legend\">┆ RTO &nbsp; │ MTPD</p>");
}
