//! PDF through typst, as a library: a `World` of our own that serves one
//! generated source and the fonts built into the binary, and nothing from
//! disk or network. The date is fixed by the caller, so the same input gives
//! the same bytes.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

use draaiboek_plan::Date;

/// Why a PDF could not be made. Only a bug in the generated source can
/// cause it; the message says where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfError(pub String);

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the PDF could not be made: {}", self.0)
    }
}

impl std::error::Error for PdfError {}

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Loaded once: the fonts that ship inside the binary.
static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::builder().build()));

struct Single {
    main: FileId,
    source: Source,
    today: Date,
}

impl World for Single {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main { Ok(self.source.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main { Ok(Bytes::from_string(self.source.clone())) } else { Err(FileError::AccessDenied) }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Datetime::from_ymd(self.today.year(), self.today.month(), self.today.day())
    }
}

fn describe(errors: &[SourceDiagnostic], world: &Single) -> String {
    errors
        .iter()
        .map(|e| {
            let at = world.range(e.span).map(|r| {
                let line = world.source.text()[..r.start.min(world.source.text().len())].lines().count();
                format!(" (generated line {line})")
            });
            format!("{}{}", e.message, at.unwrap_or_default())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Lays out typst markup and writes it as PDF, dated `today`.
pub fn compile(markup: String, today: Date, ident: &str) -> Result<Vec<u8>, PdfError> {
    let path = VirtualPath::new("main.typ").map_err(|e| PdfError(format!("{e:?}")))?;
    let main = FileId::new(RootedPath::new(VirtualRoot::Project, path));
    let world = Single { main, source: Source::new(main, markup), today };
    let result = typst::compile::<PagedDocument>(&world).output;
    let document = result.map_err(|errors| PdfError(describe(&errors, &world)))?;
    let stamp = Datetime::from_ymd_hms(today.year(), today.month(), today.day(), 0, 0, 0)
        .ok_or_else(|| PdfError("date out of range".into()))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(ident.to_owned()),
        creator: typst::foundations::Smart::Custom(Some(format!("Draaiboek {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(typst_pdf::Timestamp::new_utc(stamp)),
        ..typst_pdf::PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| PdfError(describe(&errors, &world)));
    // Typst memoises across compilations; documents differ each time, so
    // keep nothing: memory stays bounded and every render costs the same.
    typst::comemo::evict(0);
    pdf
}

/// A typst string literal for any text.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
