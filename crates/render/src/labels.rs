//! Names of the plan format's keywords, for people, in both languages.

use draaiboek_analysis::text::pick;
use draaiboek_plan::{AssetKind, Hosting, Language, PartyKind, Strategy};

pub fn party_kind(k: PartyKind, lang: Language) -> &'static str {
    match k {
        PartyKind::ItProvider => pick(lang, "IT provider", "IT-leverancier"),
        PartyKind::NetworkAdmin => pick(lang, "network administrator", "netwerkbeheerder"),
        PartyKind::Insurer => pick(lang, "insurer", "verzekeraar"),
        PartyKind::Facility => pick(lang, "facility services", "facilitair bedrijf"),
        PartyKind::Telecom => pick(lang, "telecom provider", "telecomprovider"),
        PartyKind::Isp => pick(lang, "internet provider", "internetprovider"),
        PartyKind::HardwareSupplier => pick(lang, "hardware supplier", "hardwareleverancier"),
        PartyKind::SoftwareVendor => pick(lang, "software vendor", "softwareleverancier"),
        PartyKind::AlarmCompany => pick(lang, "alarm company", "alarmcentrale"),
        PartyKind::Utility => pick(lang, "utility", "nutsbedrijf"),
        PartyKind::Landlord => pick(lang, "landlord", "verhuurder"),
        PartyKind::AlternateSite => pick(lang, "alternate site", "uitwijklocatie"),
        PartyKind::Other => pick(lang, "other", "overig"),
    }
}

pub fn asset_kind(k: AssetKind, lang: Language) -> &'static str {
    match k {
        AssetKind::Workstation => pick(lang, "workstation", "werkplek-pc"),
        AssetKind::Laptop => pick(lang, "laptop", "laptop"),
        AssetKind::Server => pick(lang, "server", "server"),
        AssetKind::Nas => pick(lang, "NAS", "NAS"),
        AssetKind::Switch => pick(lang, "switch", "switch"),
        AssetKind::Router => pick(lang, "router", "router"),
        AssetKind::Firewall => pick(lang, "firewall", "firewall"),
        AssetKind::AccessPoint => pick(lang, "access point", "access point"),
        AssetKind::Pbx => pick(lang, "telephone system", "telefooncentrale"),
        AssetKind::Handset => pick(lang, "handset", "toestel"),
        AssetKind::PhoneLine => pick(lang, "phone line", "telefoonlijn"),
        AssetKind::AlarmLine => pick(lang, "alarm line", "alarmlijn"),
        AssetKind::InternetLine => pick(lang, "internet line", "internetverbinding"),
        AssetKind::Printer => pick(lang, "printer", "printer"),
        AssetKind::Scanner => pick(lang, "scanner", "scanner"),
        AssetKind::Fax => pick(lang, "fax", "fax"),
        AssetKind::IdScanner => pick(lang, "ID scanner", "ID-scanner"),
        AssetKind::Ups => pick(lang, "UPS", "UPS"),
        AssetKind::Mobile => pick(lang, "mobile phone", "mobiele telefoon"),
        AssetKind::Other => pick(lang, "other", "overig"),
    }
}

pub fn strategy(s: Strategy, lang: Language) -> &'static str {
    match s {
        Strategy::Buy => pick(lang, "buy", "kopen"),
        Strategy::Rent => pick(lang, "rent", "huren"),
        Strategy::Spare => pick(lang, "spare", "reserve"),
        Strategy::Cloud => pick(lang, "cloud", "cloud"),
        Strategy::None => pick(lang, "none", "geen"),
    }
}

pub fn hosting(h: Hosting, lang: Language) -> &'static str {
    match h {
        Hosting::OnPremises => pick(lang, "on premises", "op locatie"),
        Hosting::Saas => pick(lang, "SaaS", "SaaS"),
        Hosting::Hosted => pick(lang, "hosted", "gehost"),
    }
}
