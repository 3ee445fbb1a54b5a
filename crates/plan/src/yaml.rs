//! A YAML document as a tree of nodes that know their line and column.
//!
//! Built from the parser's events with an explicit stack, so that deep
//! nesting cannot overflow the call stack, and with a budget on what aliases
//! may add, so that anchors which expand exponentially are refused.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

/// A place in the source: line and column, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub pos: Pos,
    pub kind: Kind,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Scalar { text: String, plain: bool },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// Nesting deeper than any plan needs; refused to keep memory bounded.
pub const MAX_DEPTH: usize = 64;
/// Nodes that aliases may add in all, beyond what the file spells out.
pub const MAX_ALIAS_NODES: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub kind: SyntaxKind,
    /// The parser's own words, for `SyntaxKind::Parser`.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxKind {
    /// The YAML parser refused the text.
    Parser,
    TooDeep,
    TooManyAliases,
    SecondDocument,
}

enum Frame {
    Seq { pos: Pos, anchor: usize, items: Vec<Node> },
    Map { pos: Pos, anchor: usize, entries: Vec<(Node, Node)>, key: Option<Node> },
}

struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, (Node, usize)>,
    alias_budget: usize,
}

impl Builder {
    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, pos, .. }) => match key.take() {
                None => {
                    if entries.is_empty() {
                        *pos = node.pos;
                    }
                    *key = Some(node);
                }
                Some(k) => entries.push((k, node)),
            },
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size(node)));
        }
    }
}

fn size(node: &Node) -> usize {
    match &node.kind {
        Kind::Scalar { .. } => 1,
        Kind::Seq(items) => 1 + items.iter().map(size).sum::<usize>(),
        Kind::Map(entries) => 1 + entries.iter().map(|(k, v)| size(k) + size(v)).sum::<usize>(),
    }
}

fn pos_of(mark: &yaml_rust2::scanner::Marker) -> Pos {
    Pos { line: mark.line(), col: mark.col() + 1 }
}

/// Parses one YAML document. An empty document gives `None`.
pub fn parse(src: &str) -> Result<Option<Node>, SyntaxError> {
    let mut parser = Parser::new_from_str(src);
    let mut b = Builder { stack: Vec::new(), root: None, anchors: HashMap::new(), alias_budget: MAX_ALIAS_NODES };
    let mut documents = 0;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| SyntaxError {
            pos: pos_of(e.marker()),
            // The parser's own depth limit, for deeply nested flow collections.
            kind: if e.info().contains("recursion limit") { SyntaxKind::TooDeep } else { SyntaxKind::Parser },
            message: e.info().to_owned(),
        })?;
        let pos = pos_of(&mark);
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(SyntaxError {
                        pos,
                        kind: SyntaxKind::SecondDocument,
                        message: "a plan file holds one YAML document; remove the second `---`".into(),
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let forced_string = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let plain = style == TScalarStyle::Plain && !forced_string;
                let node = Node { pos, kind: Kind::Scalar { text, plain } };
                b.remember(anchor, &node);
                b.push(node);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if b.stack.len() >= MAX_DEPTH {
                    return Err(SyntaxError {
                        pos,
                        kind: SyntaxKind::TooDeep,
                        message: format!(
                            "the YAML is nested more than {MAX_DEPTH} levels deep; a plan never needs that"
                        ),
                    });
                }
                b.stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq { pos, anchor, items: Vec::new() }
                } else {
                    Frame::Map { pos, anchor, entries: Vec::new(), key: None }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match b.stack.pop() {
                    Some(Frame::Seq { pos, anchor, items }) => (Node { pos, kind: Kind::Seq(items) }, anchor),
                    Some(Frame::Map { pos, anchor, entries, .. }) => (Node { pos, kind: Kind::Map(entries) }, anchor),
                    None => {
                        return Err(SyntaxError {
                            pos,
                            kind: SyntaxKind::Parser,
                            message: "unbalanced YAML structure".into(),
                        });
                    }
                };
                b.remember(node.1, &node.0);
                b.push(node.0);
            }
            Event::Alias(id) => {
                let Some((node, n)) = b.anchors.get(&id) else {
                    return Err(SyntaxError {
                        pos,
                        kind: SyntaxKind::Parser,
                        message: "an alias names an unknown anchor".into(),
                    });
                };
                if *n > b.alias_budget {
                    return Err(SyntaxError {
                        pos,
                        kind: SyntaxKind::TooManyAliases,
                        message: format!(
                            "YAML aliases here expand to more than {MAX_ALIAS_NODES} values; \
                             write the repeated parts out or use fewer nested anchors"
                        ),
                    });
                }
                b.alias_budget -= n;
                let mut node = node.clone();
                node.pos = pos;
                b.push(node);
            }
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
    }
    Ok(b.root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let root = parse("a: 1\nb:\n  - x\n").unwrap().unwrap();
        let Kind::Map(entries) = &root.kind else { panic!("map expected") };
        assert_eq!(entries[1].0.pos, Pos { line: 2, col: 1 });
        let Kind::Seq(items) = &entries[1].1.kind else { panic!("seq expected") };
        assert_eq!(items[0].pos, Pos { line: 3, col: 5 });
    }

    #[test]
    fn aliases_are_expanded_within_budget() {
        let root = parse("a: &x [1, 2]\nb: *x\n").unwrap().unwrap();
        let Kind::Map(entries) = &root.kind else { panic!("map expected") };
        assert!(matches!(&entries[1].1.kind, Kind::Seq(items) if items.len() == 2));
    }

    #[test]
    fn exponential_aliases_are_refused() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = parse(&src).unwrap_err();
        assert!(err.message.contains("aliases"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let src = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = parse(&src).unwrap_err();
        assert!(err.message.contains("nested") || err.message.contains("recursion"), "{}", err.message);
    }

    #[test]
    fn second_document_is_refused() {
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
    }

    #[test]
    fn tagged_strings_are_not_plain() {
        let root = parse("!!str 12").unwrap().unwrap();
        assert!(matches!(root.kind, Kind::Scalar { plain: false, .. }));
    }
}
