//! Who has a crisis role, and which parties the plan tells someone to call:
//! what the checks, the call list and the documents all need.

use draaiboek_plan::{Id, Language};

use crate::Analysis;
use crate::graph::Ent;
use crate::text::pick;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Coordinator,
    DeputyCoordinator,
    Activator,
    DeputyActivator,
    Caller,
    TaskOwner,
}

impl Role {
    pub fn label(self, lang: Language) -> &'static str {
        match self {
            Role::Coordinator => pick(lang, "crisis coordinator", "crisiscoördinator"),
            Role::DeputyCoordinator => pick(lang, "deputy coordinator", "plaatsvervangend coördinator"),
            Role::Activator => pick(lang, "plan activator", "activeert het plan"),
            Role::DeputyActivator => pick(lang, "deputy activator", "plaatsvervangend activator"),
            Role::Caller => pick(lang, "caller in the call tree", "belt in de belboom"),
            Role::TaskOwner => pick(lang, "task owner", "eigenaar van een taak"),
        }
    }
}

/// Why the plan tells someone to call a party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CallReason {
    CallTree,
    Task,
    Supplier,
    TelephonyProvider,
    Vendor,
    LocationContact,
}

impl CallReason {
    pub fn label(self, lang: Language) -> &'static str {
        match self {
            CallReason::CallTree => pick(lang, "call tree", "belboom"),
            CallReason::Task => pick(lang, "task", "taak"),
            CallReason::Supplier => pick(lang, "supplier", "leverancier"),
            CallReason::TelephonyProvider => pick(lang, "telephony provider", "telefonieprovider"),
            CallReason::Vendor => pick(lang, "vendor", "leverancier"),
            CallReason::LocationContact => pick(lang, "location contact", "contact van locatie"),
        }
    }
}

fn add<T: PartialEq + Copy>(list: &mut Vec<(usize, Vec<T>)>, i: usize, what: T) {
    match list.iter_mut().find(|(x, _)| *x == i) {
        Some((_, whats)) if !whats.contains(&what) => whats.push(what),
        Some(_) => {}
        None => list.push((i, vec![what])),
    }
}

impl Analysis<'_> {
    fn person(&self, id: &Id) -> Option<usize> {
        match self.graph.ent(id.as_str()) {
            Some(Ent::Person(p)) => Some(p),
            _ => None,
        }
    }

    /// People in a crisis role (index in `people`), with their roles, in the
    /// order the plan names them: coordinator, activator, their deputies,
    /// callers in the call tree, task owners.
    pub fn crisis_roles(&self) -> Vec<(usize, Vec<Role>)> {
        let plan = self.plan();
        let o = &plan.organisation;
        let mut out = Vec::new();
        let mut chief = |id: &Option<Id>, role: Role, deputy: Role| {
            if let Some(p) = id.as_ref().and_then(|id| self.person(id)) {
                add(&mut out, p, role);
                if let Some(d) = plan.people[p].deputy.as_ref().and_then(|d| self.person(d)) {
                    add(&mut out, d, deputy);
                }
            }
        };
        chief(&o.crisis_coordinator, Role::Coordinator, Role::DeputyCoordinator);
        chief(&o.plan_activator, Role::Activator, Role::DeputyActivator);
        for c in &o.call_tree {
            if let Some(p) = self.person(&c.caller) {
                add(&mut out, p, Role::Caller);
            }
        }
        for t in &plan.tasks {
            if let Some(p) = t.owner.as_ref().and_then(|o| self.person(o)) {
                add(&mut out, p, Role::TaskOwner);
            }
        }
        out
    }

    /// Parties (index in `parties`) that the plan tells someone to call,
    /// with why, in the order the plan names them.
    pub fn called_parties(&self) -> Vec<(usize, Vec<CallReason>)> {
        let plan = self.plan();
        let mut named: Vec<(&Id, CallReason)> = Vec::new();
        for c in &plan.organisation.call_tree {
            named.extend(c.calls.iter().map(|x| (x, CallReason::CallTree)));
        }
        for t in &plan.tasks {
            named.extend(t.call.iter().map(|x| (x, CallReason::Task)));
        }
        for a in &plan.assets {
            named.extend(a.replacement.as_ref().and_then(|x| x.supplier.as_ref()).map(|s| (s, CallReason::Supplier)));
        }
        for n in &plan.telephony {
            named.extend(n.provider.as_ref().map(|p| (p, CallReason::TelephonyProvider)));
        }
        for a in &plan.applications {
            named.extend(a.vendor.as_ref().map(|v| (v, CallReason::Vendor)));
        }
        for l in &plan.locations {
            named.extend(l.contact.as_ref().map(|c| (c, CallReason::LocationContact)));
        }
        let mut out = Vec::new();
        for (id, why) in named {
            if let Some(Ent::Party(p)) = self.graph.ent(id.as_str()) {
                add(&mut out, p, why);
            }
        }
        out
    }
}
