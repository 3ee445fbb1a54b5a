//! Documents from a plan and its analysis, for the day the office is gone:
//! the plan document (one self-contained HTML file, or Markdown), crisis
//! contacts for a phone (vCard) and the exercise and review calendar
//! (iCalendar). Pure: every function returns the document's bytes, and
//! "now" is given by the caller, so the same input gives the same output.

pub mod card;
pub mod doc;
mod fold;
pub mod html;
pub mod icalendar;
pub mod labels;
pub mod markdown;
pub mod pdf;
pub mod typeset;
pub mod vcard;

pub use doc::document;
pub use html::html;
pub use icalendar::calendar;
pub use markdown::markdown;
pub use typeset::pdf;
pub use vcard::contacts;

/// Text with a no-break space where a line must not break: inside a number
/// written with spaces ("+31 6 1234 5678") and between a number and its
/// unit ("24 h", "8 uur").
pub fn glue_numbers(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let after_digit = i > 0 && chars[i - 1].is_ascii_digit();
        let next = chars.get(i + 1).copied();
        let unit: String = chars[i + 1..].iter().take_while(|c| c.is_alphabetic()).collect();
        if c == ' ' && after_digit && (next.is_some_and(|n| n.is_ascii_digit()) || unit == "h" || unit == "uur") {
            out.push('\u{a0}');
        } else {
            out.push(c);
        }
    }
    out
}

/// The name of an entity of the plan, or its id.
pub(crate) fn name_of(plan: &draaiboek_plan::Plan, id: &str) -> String {
    let names = plan
        .processes
        .iter()
        .map(|x| (&x.id, &x.name))
        .chain(plan.data.iter().map(|x| (&x.id, &x.name)))
        .chain(plan.applications.iter().map(|x| (&x.id, &x.name)))
        .chain(plan.assets.iter().map(|x| (&x.id, &x.name)))
        .chain(plan.locations.iter().map(|x| (&x.id, &x.name)))
        .chain(plan.people.iter().map(|x| (&x.id, &x.name)))
        .chain(plan.departments.iter().map(|x| (&x.id, &x.name)))
        .chain(plan.parties.iter().map(|x| (&x.id, &x.name)));
    for (i, n) in names {
        if i.as_str() == id {
            return n.clone();
        }
    }
    plan.telephony.iter().find(|n| n.id.as_str() == id).map_or(id.to_owned(), |n| n.number.to_string())
}

/// A stable identifier from text: a name-based UUID (version 8 layout) from
/// two FNV-1a hashes, so that re-importing updates rather than duplicates.
pub fn stable_uuid(name: &str) -> String {
    let hash = |seed: u64| name.bytes().fold(seed, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325), hash(0x84222325_cbf29ce4));
    let a = (a & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_8000;
    let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn uuids_are_stable_and_distinct() {
        let a = super::stable_uuid("org/jan");
        assert_eq!(a, super::stable_uuid("org/jan"));
        assert_ne!(a, super::stable_uuid("org/anna"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
    }
}
