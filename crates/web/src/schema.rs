//! The sections of the plan format as forms: every field with its label in
//! both languages, its kind of input, and what a reference may point to.
//! The plan reader stays the judge of what is valid; this only says how to
//! ask for it.

use crate::i18n::L;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Text,
    /// Text of several lines.
    Long,
    /// A number (hours, euros, counts).
    Number,
    Date,
    Phone,
    Email,
    /// Yes, no, or not said.
    Bool,
    /// One of these keywords.
    Keyword(&'static [&'static str]),
    /// The id of an entity of one of these sections.
    Ref(&'static [&'static str]),
    /// Ids of entities of these sections.
    Refs(&'static [&'static str]),
    /// Short texts, separated by commas.
    Texts,
    /// A list of records with these fields (backups, the call tree).
    Group(&'static [Field]),
    /// A person of the plan or a phone number.
    PersonOrPhone,
    /// A location of the plan, or `cloud`.
    LocationOrCloud,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    /// The key in the plan format; `a.b` for a key inside a mapping.
    pub key: &'static str,
    pub en: &'static str,
    pub nl: &'static str,
    pub kind: Kind,
    pub required: bool,
}

const fn f(key: &'static str, en: &'static str, nl: &'static str, kind: Kind) -> Field {
    Field { key, en, nl, kind, required: false }
}

const fn req(key: &'static str, en: &'static str, nl: &'static str, kind: Kind) -> Field {
    Field { key, en, nl, kind, required: true }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Section {
    /// The section's key in the plan format, and in URLs.
    pub key: &'static str,
    pub en: &'static str,
    pub nl: &'static str,
    /// One of them, for "New ..." and messages.
    pub one_en: &'static str,
    pub one_nl: &'static str,
    pub fields: &'static [Field],
    /// The fields shown as columns in the list (after the id).
    pub columns: &'static [&'static str],
}

impl Section {
    pub fn name(&self, l: L) -> &'static str {
        l.s(self.en, self.nl)
    }
    pub fn one(&self, l: L) -> &'static str {
        l.s(self.one_en, self.one_nl)
    }
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.key == key)
    }
    /// Entities of this section have ids (all but the organisation).
    pub fn has_ids(&self) -> bool {
        self.key != "organisation"
    }
}

impl Field {
    pub fn label(&self, l: L) -> &'static str {
        l.s(self.en, self.nl)
    }
}

use Kind::*;

const PEOPLE: &[&str] = &["people"];
const PARTIES: &[&str] = &["parties"];
const PEOPLE_OR_PARTIES: &[&str] = &["people", "parties"];
const ASSETS: &[&str] = &["assets"];
const ASSETS_OR_PARTIES: &[&str] = &["assets", "parties"];
const LOCATIONS: &[&str] = &["locations"];
const DEPARTMENTS: &[&str] = &["departments"];
/// Anything with an id, backups included.
pub const ANY: &[&str] = &[
    "locations",
    "people",
    "departments",
    "parties",
    "assets",
    "telephony",
    "applications",
    "data",
    "backups",
    "processes",
    "scenarios",
    "tasks",
];

const ID: Field = req("id", "Id", "Id", Text);
const NAME: Field = req("name", "Name", "Naam", Text);

pub const ORGANISATION: Section = Section {
    key: "organisation",
    en: "Organisation",
    nl: "Organisatie",
    one_en: "organisation",
    one_nl: "organisatie",
    fields: &[
        NAME,
        f("language", "Language of the plan", "Taal van het plan", Keyword(&["nl", "en"])),
        f("address", "Address", "Adres", Long),
        f("emergency_number", "Emergency number of the organisation", "Noodnummer van de organisatie", Phone),
        f("crisis_coordinator", "Crisis coordinator", "Crisiscoördinator", Ref(PEOPLE)),
        f("plan_activator", "Activates the plan", "Activeert het plan", Ref(PEOPLE)),
        f("activation_criteria", "When the plan is activated", "Wanneer het plan in werking treedt", Long),
        f("review_every_months", "Review every (months)", "Herzien elke (maanden)", Number),
        f("last_reviewed", "Last reviewed", "Laatst doorgelopen", Date),
        f(
            "call_tree",
            "Call tree",
            "Belboom",
            Group(&[
                f("caller", "Caller", "Beller", Ref(PEOPLE)),
                f("calls", "Calls", "Belt", Refs(PEOPLE_OR_PARTIES)),
            ]),
        ),
    ],
    columns: &[],
};

pub const SECTIONS: &[Section] = &[
    Section {
        key: "locations",
        en: "Locations",
        nl: "Locaties",
        one_en: "location",
        one_nl: "locatie",
        fields: &[
            ID,
            NAME,
            req("kind", "Kind", "Soort", Keyword(&["office", "alternate", "datacenter", "home", "cloud"])),
            f("address", "Address", "Adres", Long),
            f("access", "Access (keys, alarm)", "Toegang (sleutels, alarm)", Long),
            f("workplaces", "Workplaces", "Werkplekken", Number),
            f("ready_within_hours", "Ready within (hours)", "Gereed binnen (uren)", Number),
            f("contact", "Contact", "Contactpartij", Ref(PARTIES)),
            f("arrangements", "Arrangements", "Afspraken", Long),
        ],
        columns: &["name", "kind", "workplaces"],
    },
    Section {
        key: "people",
        en: "People",
        nl: "Personen",
        one_en: "person",
        one_nl: "persoon",
        fields: &[
            ID,
            NAME,
            f("role", "Role", "Functie", Text),
            f("department", "Department", "Afdeling", Ref(DEPARTMENTS)),
            f("phone", "Phone", "Telefoon", Phone),
            f("mobile", "Mobile", "Mobiel", Phone),
            f("email", "E-mail", "E-mail", Email),
            f("private_email", "Private e-mail", "Privé-e-mail", Email),
            f("deputy", "Deputy", "Vervanger", Ref(PEOPLE)),
            f("skills", "Skills (separated by commas)", "Vaardigheden (met komma's gescheiden)", Texts),
        ],
        columns: &["name", "role", "mobile"],
    },
    Section {
        key: "departments",
        en: "Departments",
        nl: "Afdelingen",
        one_en: "department",
        one_nl: "afdeling",
        fields: &[
            ID,
            NAME,
            f("responsible", "Responsible", "Verantwoordelijke", Ref(PEOPLE)),
            f("location", "Location", "Locatie", Ref(LOCATIONS)),
            f("staff", "Staff", "Medewerkers", Number),
        ],
        columns: &["name", "responsible", "staff"],
    },
    Section {
        key: "parties",
        en: "Parties",
        nl: "Partijen",
        one_en: "party",
        one_nl: "partij",
        fields: &[
            ID,
            NAME,
            req(
                "kind",
                "Kind",
                "Soort",
                Keyword(&[
                    "it_provider",
                    "network_admin",
                    "insurer",
                    "facility",
                    "telecom",
                    "isp",
                    "hardware_supplier",
                    "software_vendor",
                    "alarm_company",
                    "utility",
                    "landlord",
                    "alternate_site",
                    "other",
                ]),
            ),
            f("phone", "Phone", "Telefoon", Phone),
            f("email", "E-mail", "E-mail", Email),
            f("contract", "Contract", "Contract", Text),
            f("reference", "Reference (policy, customer number)", "Referentie (polis, klantnummer)", Text),
        ],
        columns: &["name", "kind", "phone"],
    },
    Section {
        key: "assets",
        en: "Assets",
        nl: "ICT-middelen",
        one_en: "asset",
        one_nl: "ICT-middel",
        fields: &[
            ID,
            req(
                "kind",
                "Kind",
                "Soort",
                Keyword(&[
                    "workstation",
                    "laptop",
                    "server",
                    "nas",
                    "switch",
                    "router",
                    "firewall",
                    "access_point",
                    "pbx",
                    "handset",
                    "phone_line",
                    "alarm_line",
                    "internet_line",
                    "printer",
                    "scanner",
                    "fax",
                    "id_scanner",
                    "ups",
                    "mobile",
                    "other",
                ]),
            ),
            NAME,
            f("manufacturer", "Manufacturer", "Fabrikant", Text),
            f("model", "Model", "Model", Text),
            f("serial", "Serial number", "Serienummer", Text),
            f("specs", "Specifications", "Specificaties", Long),
            f("quantity", "Quantity", "Aantal", Number),
            f("location", "Location", "Locatie", Ref(LOCATIONS)),
            f("managed_by", "Managed by", "Beheerd door", Ref(PEOPLE_OR_PARTIES)),
            f("purchased", "Purchased", "Aangeschaft", Date),
            f("warranty_until", "Warranty until", "Garantie tot", Date),
            f("depends_on", "Depends on", "Hangt af van", Refs(ASSETS_OR_PARTIES)),
            f(
                "replacement.strategy",
                "Replacement: strategy",
                "Vervanging: strategie",
                Keyword(&["buy", "rent", "spare", "cloud", "none"]),
            ),
            f("replacement.supplier", "Replacement: supplier", "Vervanging: leverancier", Ref(PARTIES)),
            f("replacement.lead_time_hours", "Replacement: lead time (hours)", "Vervanging: levertijd (uren)", Number),
            f("replacement.setup_hours", "Replacement: set-up (hours)", "Vervanging: inrichten (uren)", Number),
            f("replacement.cost_eur", "Replacement: cost (euro)", "Vervanging: kosten (euro)", Number),
        ],
        columns: &["name", "kind", "location", "serial"],
    },
    Section {
        key: "telephony",
        en: "Telephony",
        nl: "Telefonie",
        one_en: "number",
        one_nl: "nummer",
        fields: &[
            ID,
            req("number", "Number", "Nummer", Phone),
            f("label", "Label", "Omschrijving", Text),
            f("provider", "Provider", "Aanbieder", Ref(PARTIES)),
            f("carried_by", "Carried by", "Loopt via", Refs(ASSETS)),
            f("forward_to", "Forward to (person or number)", "Doorschakelen naar (persoon of nummer)", PersonOrPhone),
            f("forward_how", "How to forward", "Hoe door te schakelen", Long),
            f("forward_minutes", "Forwarding takes (minutes)", "Doorschakelen duurt (minuten)", Number),
        ],
        columns: &["number", "label", "forward_to"],
    },
    Section {
        key: "applications",
        en: "Applications",
        nl: "Applicaties",
        one_en: "application",
        one_nl: "applicatie",
        fields: &[
            ID,
            NAME,
            f("hosting", "Hosting", "Hosting", Keyword(&["on_premises", "saas", "hosted"])),
            f("vendor", "Vendor", "Leverancier", Ref(PARTIES)),
            f("runs_on", "Runs on", "Draait op", Refs(ASSETS)),
            f("depends_on", "Depends on", "Hangt af van", Refs(ASSETS_OR_PARTIES)),
            f("data", "Data", "Gegevens", Refs(&["data"])),
            f("restore_hours", "Restore takes (hours)", "Herstel duurt (uren)", Number),
            f("restore_procedure", "Restore procedure", "Herstelprocedure", Long),
            f("remote_access", "Remote access", "Toegang op afstand", Long),
            f("credentials_at", "Credentials kept at", "Inloggegevens bewaard bij", Text),
            f("restore_by", "Restored by", "Hersteld door", Refs(PEOPLE_OR_PARTIES)),
        ],
        columns: &["name", "hosting", "vendor"],
    },
    Section {
        key: "data",
        en: "Data and backups",
        nl: "Gegevens en back-ups",
        one_en: "data set",
        one_nl: "gegevensverzameling",
        fields: &[
            ID,
            NAME,
            f("stored_on", "Stored on", "Opgeslagen op", Refs(ASSETS)),
            f("rpo_hours", "Acceptable data loss, RPO (hours)", "Toelaatbaar gegevensverlies, RPO (uren)", Number),
            f(
                "backups",
                "Backups",
                "Back-ups",
                Group(&[
                    req("id", "Id", "Id", Text),
                    req("kind", "Kind", "Soort", Keyword(&["cloud", "nas", "usb", "tape", "snapshot", "other"])),
                    req("location", "Kept at", "Bewaard op", LocationOrCloud),
                    f("stored_on", "Stored on", "Opgeslagen op", Refs(ASSETS)),
                    req("every_hours", "Every (hours)", "Elke (uren)", Number),
                    req("restore_hours", "Restore takes (hours)", "Terugzetten duurt (uren)", Number),
                    f("immutable", "Immutable", "Onveranderbaar", Bool),
                    f("last_restore_test", "Last restore test", "Laatste hersteltest", Date),
                ]),
            ),
        ],
        columns: &["name", "rpo_hours", "stored_on"],
    },
    Section {
        key: "processes",
        en: "Processes",
        nl: "Processen",
        one_en: "process",
        one_nl: "proces",
        fields: &[
            ID,
            NAME,
            f("department", "Department", "Afdeling", Ref(DEPARTMENTS)),
            f("priority", "Priority (1 is highest)", "Prioriteit (1 is hoogst)", Number),
            f("rto_hours", "Back within, RTO (hours)", "Terug binnen, RTO (uren)", Number),
            f("mtpd_hours", "Longest tolerable outage, MTPD (hours)", "Langst toelaatbare uitval, MTPD (uren)", Number),
            f("needs", "Needs", "Heeft nodig", Refs(&["applications", "data", "assets", "telephony"])),
            f("remote_capable", "Can be done remotely", "Kan op afstand", Bool),
            f("staff_needed", "Staff needed", "Benodigde medewerkers", Number),
            f("cost_per_hour_eur", "Cost per hour down (euro)", "Kosten per uur uitval (euro)", Number),
            f("workaround", "Workaround", "Noodoplossing", Long),
        ],
        columns: &["name", "priority", "rto_hours"],
    },
    Section {
        key: "scenarios",
        en: "Scenarios",
        nl: "Scenario's",
        one_en: "scenario",
        one_nl: "scenario",
        fields: &[
            ID,
            NAME,
            req(
                "kind",
                "Kind",
                "Soort",
                Keyword(&[
                    "fire",
                    "water_damage",
                    "burglary",
                    "power_outage",
                    "ransomware",
                    "internet_outage",
                    "supplier_outage",
                    "custom",
                ]),
            ),
            f("hits.locations", "Hits locations", "Treft locaties", Refs(LOCATIONS)),
            f("hits.assets", "Hits assets", "Treft ICT-middelen", Refs(ASSETS)),
            f("hits.parties", "Hits parties", "Treft partijen", Refs(PARTIES)),
            f("effect", "Effect", "Gevolg", Keyword(&["destroyed", "unavailable"])),
            f("likelihood", "Likelihood (1 to 5)", "Kans (1 tot 5)", Number),
            f("duration_hours", "Lasts (hours)", "Duurt (uren)", Number),
            f("location_unusable_hours", "Location unusable (hours)", "Locatie onbruikbaar (uren)", Number),
        ],
        columns: &["name", "kind", "likelihood"],
    },
    Section {
        key: "tasks",
        en: "Tasks",
        nl: "Taken",
        one_en: "task",
        one_nl: "taak",
        fields: &[
            ID,
            req("title", "Title", "Titel", Text),
            f("phase", "Phase", "Fase", Keyword(&["first_hour", "first_day", "recovery", "aftercare"])),
            f("owner", "Owner", "Eigenaar", Ref(PEOPLE)),
            f("call", "Calls", "Belt", Refs(PEOPLE_OR_PARTIES)),
            f("scenarios", "Scenarios", "Scenario's", Refs(&["scenarios"])),
            f("after", "After", "Na", Refs(&["tasks"])),
            f("details", "Details", "Toelichting", Long),
        ],
        columns: &["title", "phase", "owner"],
    },
    Section {
        key: "exercises",
        en: "Exercises",
        nl: "Oefeningen",
        one_en: "exercise",
        one_nl: "oefening",
        fields: &[
            ID,
            req(
                "kind",
                "Kind",
                "Soort",
                Keyword(&[
                    "tabletop",
                    "walkthrough",
                    "call_tree",
                    "call_forwarding",
                    "restore_test",
                    "failover",
                    "alternate_site",
                    "full",
                ]),
            ),
            f("covers", "Covers", "Omvat", Refs(ANY)),
            f("participants", "Who takes part", "Wie doet mee", Refs(PEOPLE)),
            f("planned", "Planned", "Gepland", Date),
            f("performed", "Performed", "Uitgevoerd", Date),
            f("result", "Result", "Resultaat", Keyword(&["passed", "partly", "failed"])),
            f("measured_hours", "Measured (hours)", "Gemeten (uren)", Number),
            f("findings", "Findings", "Bevindingen", Long),
        ],
        columns: &["kind", "planned", "result"],
    },
];

pub fn section(key: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.key == key)
}

/// A keyword as people say it.
pub fn keyword(value: &str, l: L) -> String {
    use draaiboek_plan::{AssetKind, Hosting, Language, PartyKind, Strategy};
    use draaiboek_render::labels;
    let lang = if l.en() { Language::En } else { Language::Nl };
    if let Some(k) = AssetKind::parse(value) {
        return labels::asset_kind(k, lang).to_owned();
    }
    if let Some(k) = PartyKind::parse(value) {
        return labels::party_kind(k, lang).to_owned();
    }
    if let Some(k) = Strategy::parse(value) {
        return labels::strategy(k, lang).to_owned();
    }
    if let Some(k) = Hosting::parse(value) {
        return labels::hosting(k, lang).to_owned();
    }
    let (en, nl) = match value {
        "nl" => ("Dutch", "Nederlands"),
        "en" => ("English", "Engels"),
        "office" => ("office", "kantoor"),
        "alternate" => ("alternate location", "uitwijklocatie"),
        "datacenter" => ("data centre", "datacenter"),
        "home" => ("home", "thuis"),
        "usb" => ("USB disk", "USB-schijf"),
        "tape" => ("tape", "tape"),
        "snapshot" => ("snapshot", "snapshot"),
        "fire" => ("fire", "brand"),
        "water_damage" => ("water damage", "waterschade"),
        "burglary" => ("burglary", "inbraak"),
        "power_outage" => ("power outage", "stroomuitval"),
        "ransomware" => ("ransomware", "ransomware"),
        "internet_outage" => ("internet outage", "internetstoring"),
        "supplier_outage" => ("supplier outage", "uitval leverancier"),
        "custom" => ("other", "anders"),
        "destroyed" => ("destroyed", "vernietigd"),
        "unavailable" => ("unavailable", "onbruikbaar"),
        "first_hour" => ("first hour", "eerste uur"),
        "first_day" => ("first day", "eerste dag"),
        "recovery" => ("recovery", "herstel"),
        "aftercare" => ("aftercare", "nazorg"),
        "tabletop" => ("tabletop", "tabletop"),
        "walkthrough" => ("walkthrough", "doorloop"),
        "call_tree" => ("call tree", "belboom"),
        "call_forwarding" => ("call forwarding", "doorschakelen"),
        "restore_test" => ("restore test", "hersteltest"),
        "failover" => ("failover", "failover"),
        "alternate_site" => ("alternate site", "uitwijklocatie"),
        "full" => ("full exercise", "volledige oefening"),
        "passed" => ("passed", "geslaagd"),
        "partly" => ("partly", "deels"),
        "failed" => ("failed", "mislukt"),
        "cloud" => ("cloud", "cloud"),
        "nas" => ("NAS", "NAS"),
        "other" => ("other", "anders"),
        _ => return value.replace('_', " "),
    };
    l.s(en, nl).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_of_the_format_has_a_form() {
        let keys: Vec<&str> = SECTIONS.iter().map(|s| s.key).collect();
        assert_eq!(keys, draaiboek_plan::SECTIONS);
        for s in SECTIONS {
            assert_eq!(s.fields[0].key, "id", "{}", s.key);
            for c in s.columns {
                assert!(s.field(c).is_some(), "{}: column {c}", s.key);
            }
            for f in s.fields {
                if let Kind::Ref(to) | Kind::Refs(to) = f.kind {
                    assert!(to.iter().all(|t| ANY.contains(t)), "{}.{}", s.key, f.key);
                }
            }
        }
    }
}
