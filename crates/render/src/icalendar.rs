//! Planned exercises and the next review as iCalendar (RFC 5545). Every
//! event has a UID derived from the organisation and the exercise, so that
//! importing the file again updates the events instead of adding copies.

use draaiboek_analysis::text::pick;
use draaiboek_plan::{Date, ExerciseKind, Language, Plan};

use crate::fold::{escape, line};

/// The name of an exercise kind, for people.
pub fn exercise_kind(kind: ExerciseKind, lang: Language) -> &'static str {
    match kind {
        ExerciseKind::Tabletop => pick(lang, "Tabletop exercise", "Tafeloefening"),
        ExerciseKind::Walkthrough => pick(lang, "Walkthrough", "Doorloop van het plan"),
        ExerciseKind::CallTree => pick(lang, "Call tree test", "Belboomtest"),
        ExerciseKind::CallForwarding => pick(lang, "Call forwarding test", "Doorschakeltest"),
        ExerciseKind::RestoreTest => pick(lang, "Restore test", "Hersteltest"),
        ExerciseKind::Failover => pick(lang, "Failover test", "Failovertest"),
        ExerciseKind::AlternateSite => pick(lang, "Alternate site test", "Test uitwijklocatie"),
        ExerciseKind::Full => pick(lang, "Full exercise", "Volledige oefening"),
    }
}

fn ymd(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

fn next_day(d: Date) -> Date {
    let next = Date::new(d.year(), d.month(), d.day().saturating_add(1));
    next.unwrap_or_else(|_| {
        let m = d.add_months(1);
        Date::new(m.year(), m.month(), 1).unwrap_or(m)
    })
}

/// When the plan is next due for review: `last_reviewed` plus
/// `review_every_months`, or `today` when it was never reviewed.
pub fn review_due(plan: &Plan, today: Date) -> Date {
    let o = &plan.organisation;
    o.last_reviewed.map_or(today, |d| d.add_months(o.review_every_months.unwrap_or(12) as i32))
}

fn event(out: &mut String, uid: &str, stamp: &str, day: Date, summary: &str, description: &str, category: &str) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{uid}"));
    line(out, &format!("DTSTAMP:{stamp}"));
    line(out, &format!("DTSTART;VALUE=DATE:{}", ymd(day)));
    line(out, &format!("DTEND;VALUE=DATE:{}", ymd(next_day(day))));
    line(out, &format!("SUMMARY:{}", escape(summary)));
    if !description.is_empty() {
        line(out, &format!("DESCRIPTION:{}", escape(description)));
    }
    line(out, &format!("CATEGORIES:{}", escape(category)));
    line(out, "TRANSP:TRANSPARENT");
    line(out, "END:VEVENT");
}

/// The `.ics` file: one all-day event per exercise that is planned and not
/// yet performed, and one for the next review. `today` is the time stamp of
/// the events, so that the same plan and day give the same bytes.
pub fn calendar(plan: &Plan, lang: Language, today: Date) -> String {
    let org = &plan.organisation.name;
    let domain = format!("{}.draaiboek", draaiboek_plan::Id::slug(org));
    let stamp = format!("{}T000000Z", ymd(today));
    let category = pick(lang, "ICT calamity plan", "ICT-calamiteitenplan");
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, &format!("PRODID:-//Draaiboek//Draaiboek {}//EN", env!("CARGO_PKG_VERSION")));
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(&format!("{category} {org}"))));
    for e in &plan.exercises {
        let (Some(day), None) = (e.planned, e.performed) else { continue };
        let covers: Vec<String> = e.covers.iter().map(|c| crate::name_of(plan, c.as_str())).collect();
        let summary = if covers.is_empty() {
            exercise_kind(e.kind, lang).to_owned()
        } else {
            format!("{}: {}", exercise_kind(e.kind, lang), covers.join(", "))
        };
        let description = format!(
            "{} {org}.\n{}: {}",
            pick(lang, "Exercise of the ICT calamity plan of", "Oefening van het ICT-calamiteitenplan van"),
            pick(lang, "Covers", "Omvat"),
            if covers.is_empty() { "-".to_owned() } else { covers.join(", ") }
        );
        event(&mut out, &format!("exercise-{}@{domain}", e.id), &stamp, day, &summary, &description, category);
    }
    let due = review_due(plan, today);
    let summary = format!("{} {org}", pick(lang, "Review the ICT calamity plan of", "ICT-calamiteitenplan doorlopen:"));
    let description = pick(
        lang,
        "Go through the whole plan with the people in it, correct what changed, and record the review date.",
        "Loop het hele plan door met de betrokkenen, pas aan wat veranderd is, en leg de datum van de review vast.",
    );
    event(&mut out, &format!("review@{domain}"), &stamp, due, &summary, description, category);
    line(&mut out, "END:VCALENDAR");
    out
}
