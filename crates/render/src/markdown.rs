//! The plan document as Markdown, for a wiki or a repository.

use std::fmt::Write as _;

use crate::doc::{Block, Document, RowState};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "<br>")
}

/// The document in Markdown (CommonMark with pipe tables).
pub fn markdown(doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n\n_{}_\n", doc.title, doc.running_head);
    for (i, chapter) in doc.chapters.iter().enumerate() {
        if i > 0 {
            let _ = writeln!(out, "## {}\n", chapter.title);
        }
        for block in &chapter.blocks {
            match block {
                Block::Heading(h) => {
                    let _ = writeln!(out, "### {h}\n");
                }
                Block::Para(p) => {
                    let _ = writeln!(out, "{p}\n");
                }
                Block::Callout(p) => {
                    let _ = writeln!(out, "> **{p}**\n");
                }
                Block::Facts(facts) => {
                    for (k, v) in facts {
                        let _ = writeln!(out, "- **{k}:** {}", v.replace('\n', " "));
                    }
                    out.push('\n');
                }
                Block::List(items) => {
                    for i in items {
                        let _ = writeln!(out, "- {}", i.replace('\n', " "));
                    }
                    out.push('\n');
                }
                Block::Table(t) => {
                    let _ = writeln!(out, "| {} |", t.header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | "));
                    let _ = writeln!(out, "|{}", "---|".repeat(t.header.len()));
                    for row in &t.rows {
                        let _ = writeln!(out, "| {} |", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
                    }
                    out.push('\n');
                }
                Block::Timeline(t) => {
                    for r in &t.rows {
                        let mark = match r.state() {
                            RowState::Meets => "✓",
                            RowState::MissesRto => "✗ RTO",
                            RowState::MissesMtpd => "✗ MTPD",
                        };
                        let _ = writeln!(out, "- {}: {} {mark}", r.label, r.back_label);
                    }
                    out.push('\n');
                }
            }
        }
    }
    out
}
