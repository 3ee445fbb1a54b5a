//! Crisis contacts for a phone, as vCard 4.0 (RFC 6350): one card per
//! person in a crisis role and per party that the plan tells someone to
//! call, all in one category so that a phone can group them.

use draaiboek_analysis::Analysis;
use draaiboek_analysis::text::pick;
use draaiboek_plan::{Id, Language, Phone};

use crate::fold::{escape, line};

fn tel(out: &mut String, phone: &Phone, types: &str) {
    line(out, &format!("TEL;VALUE=text;TYPE={types}:{}", escape(phone.as_str())));
}

fn begin(out: &mut String, org: &str, id: &Id) {
    line(out, "BEGIN:VCARD");
    line(out, "VERSION:4.0");
    line(out, &format!("UID:urn:uuid:{}", crate::stable_uuid(&format!("draaiboek/{org}/{id}"))));
}

/// The `.vcf` file with every crisis contact of the plan.
pub fn contacts(a: &Analysis<'_>, lang: Language) -> String {
    let plan = a.plan();
    let org = plan.organisation.name.as_str();
    let category = format!("{} {}", pick(lang, "Crisis contacts", "Crisiscontacten"), org);
    let mut out = String::new();
    for (p, roles) in a.crisis_roles() {
        let person = &plan.people[p];
        begin(&mut out, org, &person.id);
        line(&mut out, "KIND:individual");
        line(&mut out, &format!("FN:{}", escape(&person.name)));
        line(&mut out, &format!("ORG:{}", escape(org)));
        if let Some(role) = &person.role {
            line(&mut out, &format!("TITLE:{}", escape(role)));
        }
        if let Some(m) = &person.mobile {
            tel(&mut out, m, "\"cell,voice\"");
        }
        if let Some(p) = &person.phone {
            tel(&mut out, p, "\"work,voice\"");
        }
        if let Some(e) = &person.private_email {
            line(&mut out, &format!("EMAIL;TYPE=home:{}", escape(e)));
        }
        if let Some(e) = &person.email {
            line(&mut out, &format!("EMAIL;TYPE=work:{}", escape(e)));
        }
        line(&mut out, &format!("CATEGORIES:{}", escape(&category)));
        let roles: Vec<&str> = roles.iter().map(|r| r.label(lang)).collect();
        let mut note = format!("{}: {}", pick(lang, "Crisis role", "Crisisrol"), roles.join(", "));
        if let Some(d) = person.deputy.as_ref().and_then(|d| plan.people.iter().find(|x| &x.id == d)) {
            note.push_str(&format!("\n{}: {}", pick(lang, "Deputy", "Plaatsvervanger"), d.name));
        }
        line(&mut out, &format!("NOTE:{}", escape(&note)));
        line(&mut out, "END:VCARD");
    }
    for (p, why) in a.called_parties() {
        let party = &plan.parties[p];
        begin(&mut out, org, &party.id);
        line(&mut out, "KIND:org");
        line(&mut out, &format!("FN:{}", escape(&party.name)));
        line(&mut out, &format!("ORG:{}", escape(&party.name)));
        if let Some(phone) = &party.phone {
            tel(&mut out, phone, "\"work,voice\"");
        }
        if let Some(e) = &party.email {
            line(&mut out, &format!("EMAIL;TYPE=work:{}", escape(e)));
        }
        line(&mut out, &format!("CATEGORIES:{}", escape(&category)));
        let whys: Vec<&str> = why.iter().map(|r| r.label(lang)).collect();
        let mut note = format!("{} ({})", crate::labels::party_kind(party.kind, lang), whys.join(", "));
        if let Some(c) = &party.contract {
            note.push_str(&format!("\n{}: {c}", pick(lang, "Contract", "Contract")));
        }
        if let Some(r) = &party.reference {
            note.push_str(&format!("\n{}: {r}", pick(lang, "Reference", "Referentie")));
        }
        line(&mut out, &format!("NOTE:{}", escape(&note)));
        line(&mut out, "END:VCARD");
    }
    out
}
