//! The plan model: one struct per section of `draaiboek/v1`. Optional fields
//! stay `Option` so that a plan written back says exactly what was read;
//! defaults are applied by the accessors and by the analysis.

use crate::types::{Date, Hours, Id, Phone};
use crate::value::Value;

macro_rules! keyword_enum {
    ($(#[$doc:meta])* $name:ident { $($var:ident = $s:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($var),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$var),)+ _ => None }
            }

            pub fn names() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(
    /// The language of the plan's documents and messages.
    Language { Nl = "nl", En = "en" }
);
keyword_enum!(LocationKind {
    Office = "office",
    Alternate = "alternate",
    Datacenter = "datacenter",
    Home = "home",
    Cloud = "cloud",
});
keyword_enum!(PartyKind {
    ItProvider = "it_provider",
    NetworkAdmin = "network_admin",
    Insurer = "insurer",
    Facility = "facility",
    Telecom = "telecom",
    Isp = "isp",
    HardwareSupplier = "hardware_supplier",
    SoftwareVendor = "software_vendor",
    AlarmCompany = "alarm_company",
    Utility = "utility",
    Landlord = "landlord",
    AlternateSite = "alternate_site",
    Other = "other",
});
keyword_enum!(AssetKind {
    Workstation = "workstation",
    Laptop = "laptop",
    Server = "server",
    Nas = "nas",
    Switch = "switch",
    Router = "router",
    Firewall = "firewall",
    AccessPoint = "access_point",
    Pbx = "pbx",
    Handset = "handset",
    PhoneLine = "phone_line",
    AlarmLine = "alarm_line",
    InternetLine = "internet_line",
    Printer = "printer",
    Scanner = "scanner",
    Fax = "fax",
    IdScanner = "id_scanner",
    Ups = "ups",
    Mobile = "mobile",
    Other = "other",
});
keyword_enum!(Strategy {
    Buy = "buy",
    Rent = "rent",
    Spare = "spare",
    Cloud = "cloud",
    None = "none",
});
keyword_enum!(Hosting {
    OnPremises = "on_premises",
    Saas = "saas",
    Hosted = "hosted",
});
keyword_enum!(BackupKind {
    Cloud = "cloud",
    Nas = "nas",
    Usb = "usb",
    Tape = "tape",
    Snapshot = "snapshot",
    Other = "other",
});
keyword_enum!(ScenarioKind {
    Fire = "fire",
    WaterDamage = "water_damage",
    Burglary = "burglary",
    PowerOutage = "power_outage",
    Ransomware = "ransomware",
    InternetOutage = "internet_outage",
    SupplierOutage = "supplier_outage",
    Custom = "custom",
});
keyword_enum!(Effect {
    Destroyed = "destroyed",
    Unavailable = "unavailable",
});
keyword_enum!(Phase {
    FirstHour = "first_hour",
    FirstDay = "first_day",
    Recovery = "recovery",
    Aftercare = "aftercare",
});
keyword_enum!(ExerciseKind {
    Tabletop = "tabletop",
    Walkthrough = "walkthrough",
    CallTree = "call_tree",
    CallForwarding = "call_forwarding",
    RestoreTest = "restore_test",
    Failover = "failover",
    AlternateSite = "alternate_site",
    Full = "full",
});
keyword_enum!(ExerciseResult {
    Passed = "passed",
    Partly = "partly",
    Failed = "failed",
});

impl ScenarioKind {
    /// The effect a scenario of this kind has when it does not say.
    pub fn default_effect(self) -> Effect {
        match self {
            ScenarioKind::Fire | ScenarioKind::WaterDamage | ScenarioKind::Burglary | ScenarioKind::Ransomware => {
                Effect::Destroyed
            }
            _ => Effect::Unavailable,
        }
    }
}

impl BackupKind {
    /// Offline copies that ransomware cannot reach.
    pub fn is_offline(self) -> bool {
        matches!(self, BackupKind::Usb | BackupKind::Tape)
    }
}

/// Free data kept as written, under any key named `extra`.
pub type Extra = Vec<(String, Value)>;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub organisation: Organisation,
    pub locations: Vec<Location>,
    pub people: Vec<Person>,
    pub departments: Vec<Department>,
    pub parties: Vec<Party>,
    pub assets: Vec<Asset>,
    pub telephony: Vec<Number>,
    pub applications: Vec<Application>,
    pub data: Vec<DataSet>,
    pub processes: Vec<Process>,
    pub scenarios: Vec<Scenario>,
    pub tasks: Vec<Task>,
    pub exercises: Vec<Exercise>,
    /// Free data at the top level, kept as written.
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Organisation {
    pub name: String,
    pub language: Option<Language>,
    pub address: Option<String>,
    pub review_every_months: Option<u32>,
    pub last_reviewed: Option<Date>,
    pub crisis_coordinator: Option<Id>,
    pub plan_activator: Option<Id>,
    pub activation_criteria: Option<String>,
    pub emergency_number: Option<Phone>,
    pub call_tree: Vec<CallTreeEntry>,
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CallTreeEntry {
    pub caller: Id,
    pub calls: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub id: Id,
    pub name: String,
    pub kind: LocationKind,
    pub address: Option<String>,
    pub access: Option<String>,
    pub workplaces: Option<u32>,
    pub ready_within_hours: Option<Hours>,
    pub contact: Option<Id>,
    pub arrangements: Option<String>,
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: Id,
    pub name: String,
    pub role: Option<String>,
    pub department: Option<Id>,
    pub phone: Option<Phone>,
    pub mobile: Option<Phone>,
    pub email: Option<String>,
    pub private_email: Option<String>,
    pub deputy: Option<Id>,
    pub skills: Vec<String>,
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Department {
    pub id: Id,
    pub name: String,
    pub responsible: Option<Id>,
    pub location: Option<Id>,
    pub staff: Option<u32>,
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub id: Id,
    pub name: String,
    pub kind: PartyKind,
    pub phone: Option<Phone>,
    pub email: Option<String>,
    pub contract: Option<String>,
    pub reference: Option<String>,
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    pub id: Id,
    pub kind: AssetKind,
    pub name: String,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub specs: Option<String>,
    pub quantity: Option<u32>,
    pub location: Option<Id>,
    pub managed_by: Option<Id>,
    pub purchased: Option<Date>,
    pub warranty_until: Option<Date>,
    pub depends_on: Vec<Id>,
    pub replacement: Option<Replacement>,
    pub extra: Extra,
}

impl Asset {
    pub fn quantity(&self) -> u32 {
        self.quantity.unwrap_or(1)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Replacement {
    pub strategy: Strategy,
    pub supplier: Option<Id>,
    pub lead_time_hours: Option<Hours>,
    pub setup_hours: Option<Hours>,
    pub cost_eur: Option<f64>,
    pub extra: Extra,
}

/// A telephone number of the organisation (section `telephony`).
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub id: Id,
    pub number: Phone,
    pub label: Option<String>,
    pub provider: Option<Id>,
    pub carried_by: Vec<Id>,
    pub forward_to: Option<ForwardTo>,
    pub forward_how: Option<String>,
    pub forward_minutes: Option<Hours>,
    pub extra: Extra,
}

/// Where a number is forwarded: a person of the plan, or a phone number.
#[derive(Debug, Clone, PartialEq)]
pub enum ForwardTo {
    Person(Id),
    Number(Phone),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Application {
    pub id: Id,
    pub name: String,
    pub hosting: Option<Hosting>,
    pub vendor: Option<Id>,
    pub runs_on: Vec<Id>,
    pub depends_on: Vec<Id>,
    pub data: Vec<Id>,
    pub restore_hours: Option<Hours>,
    pub restore_procedure: Option<String>,
    pub remote_access: Option<String>,
    pub credentials_at: Option<String>,
    pub restore_by: Vec<Id>,
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataSet {
    pub id: Id,
    pub name: String,
    pub stored_on: Vec<Id>,
    pub rpo_hours: Option<Hours>,
    pub backups: Vec<Backup>,
    pub extra: Extra,
}

/// Where a backup is kept: a location of the plan, or the cloud.
#[derive(Debug, Clone, PartialEq)]
pub enum BackupPlace {
    Location(Id),
    Cloud,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Backup {
    pub id: Id,
    pub kind: BackupKind,
    pub location: BackupPlace,
    pub stored_on: Vec<Id>,
    pub every_hours: Hours,
    pub restore_hours: Hours,
    pub immutable: Option<bool>,
    pub last_restore_test: Option<Date>,
    pub extra: Extra,
}

impl Backup {
    pub fn immutable(&self) -> bool {
        self.immutable.unwrap_or(false)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Process {
    pub id: Id,
    pub name: String,
    pub department: Option<Id>,
    pub priority: Option<u32>,
    pub rto_hours: Option<Hours>,
    pub mtpd_hours: Option<Hours>,
    pub needs: Vec<Id>,
    pub remote_capable: Option<bool>,
    pub staff_needed: Option<u32>,
    pub cost_per_hour_eur: Option<f64>,
    pub workaround: Option<String>,
    pub extra: Extra,
}

impl Process {
    pub fn remote_capable(&self) -> bool {
        self.remote_capable.unwrap_or(false)
    }
    pub fn staff_needed(&self) -> u32 {
        self.staff_needed.unwrap_or(1)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub id: Id,
    pub name: String,
    pub kind: ScenarioKind,
    pub hits: Hits,
    pub effect: Option<Effect>,
    pub likelihood: Option<u32>,
    pub duration_hours: Option<Hours>,
    pub location_unusable_hours: Option<Hours>,
    pub extra: Extra,
}

impl Scenario {
    pub fn effect(&self) -> Effect {
        self.effect.unwrap_or(self.kind.default_effect())
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hits {
    pub locations: Vec<Id>,
    pub assets: Vec<Id>,
    pub parties: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: Id,
    pub title: String,
    pub phase: Option<Phase>,
    pub owner: Option<Id>,
    pub call: Vec<Id>,
    pub scenarios: Vec<Id>,
    pub after: Vec<Id>,
    pub details: Option<String>,
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Exercise {
    pub id: Id,
    pub kind: ExerciseKind,
    pub covers: Vec<Id>,
    /// The people who take part.
    pub participants: Vec<Id>,
    pub planned: Option<Date>,
    pub performed: Option<Date>,
    pub result: Option<ExerciseResult>,
    pub measured_hours: Option<Hours>,
    pub findings: Option<String>,
    pub extra: Extra,
}
