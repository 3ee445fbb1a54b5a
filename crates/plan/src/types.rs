//! Value types that carry their validation: an `Id` is always a valid id,
//! `Hours` always finite and non-negative, a `Date` always a real day.

use std::fmt;

use crate::model::Language;

/// Why a value is not valid, in either language.
#[derive(Debug, Clone, PartialEq)]
pub enum Invalid {
    IdEmpty,
    IdTooLong(usize),
    IdStart,
    IdChar(char),
    NotFinite,
    Negative(f64),
    DateShape(String),
    Year(i32),
    Month(u8),
    Day { year: i32, month: u8, day: u8 },
    TooFewDigits { text: String, digits: usize },
    NoDigits(String),
}

impl Invalid {
    pub fn text(&self, lang: Language) -> String {
        let en = lang == Language::En;
        match self {
            Invalid::IdEmpty => tr!(en, "an id cannot be empty", "een id kan niet leeg zijn"),
            Invalid::IdTooLong(n) => tr!(
                en,
                "an id has at most {} characters, this one has {n}",
                "een id heeft hoogstens {} tekens, deze heeft er {n}",
                Id::MAX_LEN
            ),
            Invalid::IdStart => {
                tr!(
                    en,
                    "an id starts with a lower-case letter or a digit",
                    "een id begint met een kleine letter of een cijfer"
                )
            }
            Invalid::IdChar(c) => tr!(
                en,
                "an id holds only lower-case letters, digits and '-', not {c:?}",
                "een id bevat alleen kleine letters, cijfers en '-', geen {c:?}"
            ),
            Invalid::NotFinite => tr!(en, "must be a finite number", "moet een eindig getal zijn"),
            Invalid::Negative(v) => tr!(en, "cannot be negative ({v})", "kan niet negatief zijn ({v})"),
            Invalid::DateShape(s) => {
                tr!(en, "{s:?} is not a date of the form YYYY-MM-DD", "{s:?} is geen datum van de vorm JJJJ-MM-DD")
            }
            Invalid::Year(y) => tr!(en, "year {y} is out of range", "jaar {y} valt buiten het bereik"),
            Invalid::Month(m) => tr!(en, "month {m} does not exist", "maand {m} bestaat niet"),
            Invalid::Day { year, month, day } => {
                tr!(en, "{year:04}-{month:02} has no day {day}", "{year:04}-{month:02} heeft geen dag {day}")
            }
            Invalid::TooFewDigits { text, digits } => tr!(
                en,
                "{text:?} has {digits} digits; a phone number has at least {}",
                "{text:?} heeft {digits} cijfers; een telefoonnummer heeft er minstens {}",
                Phone::MIN_DIGITS
            ),
            Invalid::NoDigits(text) => tr!(en, "{text:?} holds no digits", "{text:?} bevat geen cijfers"),
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Language::En))
    }
}

/// An entity id: lower-case `[a-z0-9][a-z0-9-]*`, at most 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(String);

impl Id {
    pub const MAX_LEN: usize = 64;

    pub fn new(s: &str) -> Result<Id, Invalid> {
        if s.is_empty() {
            return Err(Invalid::IdEmpty);
        }
        if s.len() > Self::MAX_LEN {
            return Err(Invalid::IdTooLong(s.chars().count()));
        }
        let first = s.as_bytes()[0];
        if !(first.is_ascii_lowercase() || first.is_ascii_digit()) {
            return Err(Invalid::IdStart);
        }
        if let Some(bad) = s.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
            return Err(Invalid::IdChar(bad));
        }
        Ok(Id(s.to_owned()))
    }

    /// Turns free text into a valid id (`"SRV DC01"` -> `srv-dc01`), for
    /// suggestions and generated plans.
    pub fn slug(s: &str) -> Id {
        let mut out = String::new();
        for c in s.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        while out.ends_with('-') {
            out.pop();
        }
        out.truncate(Self::MAX_LEN);
        while out.ends_with('-') {
            out.pop();
        }
        if out.is_empty() {
            out.push('x');
        }
        Id(out)
    }

    /// Stands in for an id that was missing or invalid, so that the rest of
    /// an entity can still be checked; never part of a plan that was read
    /// without problems.
    pub(crate) fn placeholder() -> Id {
        Id(String::new())
    }

    pub fn is_placeholder(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A duration in hours: finite and not negative.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Hours(f64);

impl Hours {
    pub const ZERO: Hours = Hours(0.0);

    pub fn new(h: f64) -> Result<Hours, Invalid> {
        if !h.is_finite() {
            return Err(Invalid::NotFinite);
        }
        if h < 0.0 {
            return Err(Invalid::Negative(h));
        }
        // -0.0 and 0.0 must be one value, or a round trip could differ.
        Ok(Hours(if h == 0.0 { 0.0 } else { h }))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A calendar day, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date, Invalid> {
        if !(1..=9999).contains(&year) {
            return Err(Invalid::Year(year));
        }
        if !(1..=12).contains(&month) {
            return Err(Invalid::Month(month));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(Invalid::Day { year, month, day });
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
    pub fn from_unix_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date::new(year, month, day).unwrap_or_else(|_| Date::new(1970, 1, 1).expect("valid"))
    }

    pub fn parse(s: &str) -> Result<Date, Invalid> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(Invalid::DateShape(s.to_owned()));
        }
        let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
        Date::new(n(0..4) as i32, n(5..7) as u8, n(8..10) as u8)
    }

    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// The same day `months` later (or earlier), clamped to the month's end.
    pub fn add_months(self, months: i32) -> Date {
        let total = self.year * 12 + (self.month as i32 - 1) + months;
        let year = total.div_euclid(12).clamp(1, 9999);
        let month = (total.rem_euclid(12) + 1) as u8;
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }

    /// Days since 0001-01-01, for differences between dates.
    pub fn day_number(self) -> i64 {
        let (y, m) = if self.month <= 2 {
            (self.year as i64 - 1, self.month as i64 + 9)
        } else {
            (self.year as i64, self.month as i64 - 3)
        };
        365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + self.day as i64
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A phone number, kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub const MIN_DIGITS: usize = 6;

    pub fn new(s: &str) -> Result<Phone, Invalid> {
        let s = s.trim();
        let digits = s.chars().filter(char::is_ascii_digit).count();
        if digits < Self::MIN_DIGITS {
            return Err(Invalid::TooFewDigits { text: s.to_owned(), digits });
        }
        Ok(Phone(s.to_owned()))
    }

    /// Emergency numbers (112, 911) are short; they need only one digit.
    pub fn emergency(s: &str) -> Result<Phone, Invalid> {
        let s = s.trim();
        if !s.chars().any(|c| c.is_ascii_digit()) {
            return Err(Invalid::NoDigits(s.to_owned()));
        }
        Ok(Phone(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Edit distance, for "did you mean" suggestions.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (levenshtein(word, c), c))
        .filter(|(d, c)| *d <= limit || c.starts_with(word) || word.starts_with(*c))
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_dates() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(20_819).to_string(), "2027-01-01");
        assert_eq!(Date::from_unix_days(11_016).to_string(), "2000-02-29");
    }

    #[test]
    fn ids_are_checked() {
        assert!(Id::new("srv-dc01").is_ok());
        assert!(Id::new("0day").is_ok());
        assert!(Id::new("").is_err());
        assert!(Id::new("-x").is_err());
        assert!(Id::new("Srv").is_err());
        assert!(Id::new("a_b").is_err());
        assert!(Id::new(&"a".repeat(64)).is_ok());
        assert!(Id::new(&"a".repeat(65)).is_err());
    }

    #[test]
    fn slugs_are_valid_ids() {
        assert_eq!(Id::slug("SRV DC01").as_str(), "srv-dc01");
        assert_eq!(Id::slug("  --  ").as_str(), "x");
        assert!(Id::new(Id::slug(&"Ab ".repeat(60)).as_str()).is_ok());
    }

    #[test]
    fn hours_are_finite_and_not_negative() {
        assert_eq!(Hours::new(0.5).unwrap().get(), 0.5);
        assert!(Hours::new(-1.0).is_err());
        assert!(Hours::new(f64::NAN).is_err());
        assert!(Hours::new(f64::INFINITY).is_err());
        assert!(Hours::new(-0.0).unwrap().get().is_sign_positive());
    }

    #[test]
    fn dates_are_real_days() {
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2023-13-01").is_err());
        assert!(Date::parse("2023-1-01").is_err());
        assert!(Date::parse("yesterday").is_err());
    }

    #[test]
    fn months_are_added_with_clamping() {
        let d = Date::parse("2024-01-31").unwrap();
        assert_eq!(d.add_months(1).to_string(), "2024-02-29");
        assert_eq!(d.add_months(-12).to_string(), "2023-01-31");
        assert_eq!(d.add_months(23).to_string(), "2025-12-31");
    }

    #[test]
    fn day_numbers_count_days() {
        let a = Date::parse("2024-02-28").unwrap();
        let b = Date::parse("2024-03-01").unwrap();
        assert_eq!(b.day_number() - a.day_number(), 2);
        let c = Date::parse("2025-01-01").unwrap();
        let d = Date::parse("2026-01-01").unwrap();
        assert_eq!(d.day_number() - c.day_number(), 365);
    }

    #[test]
    fn phones_need_digits() {
        assert!(Phone::new("+31 6 1234 5678").is_ok());
        assert!(Phone::new("12345").is_err());
        assert!(Phone::emergency("112").is_ok());
        assert!(Phone::emergency("abc").is_err());
    }

    #[test]
    fn suggestions_find_typos() {
        assert_eq!(closest("runs_onn", ["runs_on", "depends_on"]), Some("runs_on"));
        assert_eq!(closest("srv-dc1", ["srv-dc01", "nas"]), Some("srv-dc01"));
        assert_eq!(closest("zzzzzz", ["srv-dc01", "nas"]), None);
    }
}
