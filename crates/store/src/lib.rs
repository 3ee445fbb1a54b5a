//! Plans kept in a database behind one trait, [`Store`]: organisations,
//! the entities of each plan as versioned rows, and an audit log written in
//! the same transaction as every change. SQLite (embedded, WAL, foreign keys
//! on) is the implementation here; the SQL is kept portable for PostgreSQL.

mod sqlite;

pub use sqlite::SqliteStore;

mod accounts;
mod incidents;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A stale edit (someone saved in between), or a uniqueness clash.
    #[error("{0}")]
    Conflict(Conflict),
    #[error("{0}")]
    Other(String),
}

#[derive(Debug, PartialEq, Eq)]
pub enum Conflict {
    /// The entity changed since it was read: this is what it is now.
    Stale { current: Box<Entity> },
    /// The entity was deleted since it was read.
    Gone,
    /// An organisation or entity with this id exists already.
    Exists,
    /// The incident is closed: it does not change any more.
    Closed,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Conflict::Stale { current } => write!(
                f,
                "{} was changed by {} in the meantime (now version {})",
                current.id, current.updated_by, current.version
            ),
            Conflict::Gone => f.write_str("it was deleted in the meantime"),
            Conflict::Exists => f.write_str("this id is taken already"),
            Conflict::Closed => f.write_str("the incident is closed"),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(Conflict::Exists),
            other => StoreError::Other(other.to_string()),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// One entity of a plan, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub id: String,
    /// The plan section it belongs to (`assets`, `people`, ...).
    pub kind: String,
    /// Its place in the section, for writing the plan back in order.
    pub position: i64,
    /// Counts from 1; every change adds one.
    pub version: i64,
    /// The entity in the plan format's own shape.
    pub body: String,
    /// Seconds since 1970.
    pub updated_at: i64,
    pub updated_by: String,
}

/// A change to one entity: a new one (`expected` is `None`) or an edit of
/// the version the editor saw.
#[derive(Debug, Clone)]
pub struct Put<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub body: &'a str,
    pub expected: Option<i64>,
    pub by: &'a str,
}

/// Which audit entries to read: those older than `before` (a `seq`, for
/// paging back), of one entity only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub before: Option<i64>,
    pub entity: Option<String>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: i64,
    pub by: String,
    pub entity: String,
    pub kind: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A published version of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub number: i64,
    pub note: String,
    pub published_at: i64,
    pub published_by: String,
}

/// One side of a comparison: a published version, or the plan as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snapshot {
    Version(i64),
    Now,
}

/// How one entity differs between two snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: String,
    pub kind: String,
    /// `None` when the entity is new in the second snapshot.
    pub before: Option<String>,
    /// `None` when the entity is gone in the second snapshot.
    pub after: Option<String>,
}

/// Where plans are kept. Every change is one transaction with its audit
/// entry; a stale edit is refused with what changed, never applied.
#[async_trait::async_trait]
pub trait Store: Send + Sync {
    async fn create_org(&self, slug: &str, name: &str) -> Result<Org>;
    async fn orgs(&self) -> Result<Vec<Org>>;
    async fn org(&self, slug: &str) -> Result<Org>;
    /// Every entity of the organisation's plan, by section and position.
    async fn entities(&self, org: i64) -> Result<Vec<Entity>>;
    async fn entity(&self, org: i64, id: &str) -> Result<Entity>;
    async fn put(&self, org: i64, put: Put<'_>) -> Result<Entity>;
    /// Deletes the version the editor saw.
    async fn delete(&self, org: i64, id: &str, expected: i64, by: &str) -> Result<()>;
    /// Replaces the whole plan in one transaction: all or nothing.
    async fn replace_all(&self, org: i64, entities: &[(String, String, String)], by: &str) -> Result<()>;
    /// The newest `limit` audit entries that pass `filter`, newest first.
    async fn audit(&self, org: i64, filter: &AuditFilter, limit: i64) -> Result<Vec<AuditEntry>>;
    /// Freezes the plan as it is now under the next version number.
    async fn publish(&self, org: i64, note: &str, by: &str) -> Result<Version>;
    /// A number that grows with every change to the organisation's plan
    /// (its newest audit entry), for caching what is derived from it.
    async fn revision(&self, org: i64) -> Result<i64>;
    /// A small setting of the organisation.
    async fn setting(&self, org: i64, key: &str) -> Result<Option<String>>;
    /// Sets (or with `None` removes) a setting.
    async fn set_setting(&self, org: i64, key: &str, value: Option<&str>) -> Result<()>;
    /// Settings whose key starts with `prefix`, by key.
    async fn settings(&self, org: i64, prefix: &str) -> Result<Vec<(String, String)>>;
    /// The organisation that has `key` set to `value`.
    async fn org_with_setting(&self, key: &str, value: &str) -> Result<Org>;
    /// Published versions, newest first.
    async fn versions(&self, org: i64) -> Result<Vec<Version>>;
    /// The entities of a snapshot, by section and position.
    async fn snapshot(&self, org: i64, which: Snapshot) -> Result<Vec<Entity>>;
    /// How many entities differ between a published version and now.
    async fn count_changes_since(&self, org: i64, version: i64) -> Result<usize> {
        Ok(self.compare(org, Snapshot::Version(version), Snapshot::Now).await?.len())
    }
    /// What differs from `from` to `to`, entity by entity, ordered by section and id.
    async fn compare(&self, org: i64, from: Snapshot, to: Snapshot) -> Result<Vec<Change>> {
        let a = self.snapshot(org, from).await?;
        let b = self.snapshot(org, to).await?;
        let in_a: std::collections::HashSet<&str> = a.iter().map(|e| e.id.as_str()).collect();
        let in_b: std::collections::HashMap<&str, &Entity> = b.iter().map(|e| (e.id.as_str(), e)).collect();
        let mut changes = Vec::new();
        for old in &a {
            match in_b.get(old.id.as_str()) {
                Some(new) if new.body == old.body && new.kind == old.kind => {}
                Some(new) => changes.push(Change {
                    id: old.id.clone(),
                    kind: new.kind.clone(),
                    before: Some(old.body.clone()),
                    after: Some(new.body.clone()),
                }),
                None => changes.push(Change {
                    id: old.id.clone(),
                    kind: old.kind.clone(),
                    before: Some(old.body.clone()),
                    after: None,
                }),
            }
        }
        for new in b.iter().filter(|n| !in_a.contains(n.id.as_str())) {
            changes.push(Change {
                id: new.id.clone(),
                kind: new.kind.clone(),
                before: None,
                after: Some(new.body.clone()),
            });
        }
        changes.sort_by(|x, y| x.kind.cmp(&y.kind).then(x.id.cmp(&y.id)));
        Ok(changes)
    }
}

/// What a user may do in an organisation; later roles may do more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Viewer,
    Editor,
    Owner,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Owner, Role::Editor, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Owner => "owner",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Someone who signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// An administrator of the installation: sees every organisation.
    pub admin: bool,
    /// `nl` or `en`; `None` follows the browser.
    pub lang: Option<String>,
}

/// A session found by its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub expires_at: i64,
}

/// What a one-time link creates: an administrator, or a member of an
/// organisation with a role (or a user with neither, to be added later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub admin: bool,
    pub org: Option<i64>,
    pub role: Option<Role>,
    pub created_by: String,
    pub expires_at: i64,
}

/// Accounts, memberships, sessions and one-time links. Tokens are stored
/// only as hashes; the caller hashes them.
#[async_trait::async_trait]
pub trait Accounts: Send + Sync {
    async fn user_count(&self) -> Result<i64>;
    /// A new user; `Conflict::Exists` when the e-mail address is taken.
    async fn create_user(&self, email: &str, name: &str, password_hash: &str, admin: bool) -> Result<User>;
    async fn user(&self, id: i64) -> Result<User>;
    /// The user with this e-mail address (any case) and the password hash.
    async fn user_by_email(&self, email: &str) -> Result<(User, String)>;
    async fn users(&self) -> Result<Vec<User>>;
    async fn set_user_lang(&self, id: i64, lang: Option<&str>) -> Result<()>;
    async fn set_password(&self, id: i64, password_hash: &str) -> Result<()>;
    /// Gives, changes or (with `None`) takes away a user's role.
    async fn set_role(&self, user: i64, org: i64, role: Option<Role>) -> Result<()>;
    async fn role(&self, user: i64, org: i64) -> Result<Option<Role>>;
    async fn members(&self, org: i64) -> Result<Vec<(User, Role)>>;
    async fn memberships(&self, user: i64) -> Result<Vec<(Org, Role)>>;
    async fn create_session(&self, token_hash: &str, user: i64, csrf: &str, expires_at: i64) -> Result<()>;
    /// The session with this token, if it has not expired.
    async fn session(&self, token_hash: &str, now: i64) -> Result<Session>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    /// Signs a user out everywhere; returns how many sessions ended.
    async fn delete_sessions_of(&self, user: i64) -> Result<u64>;
    async fn create_invite(&self, token_hash: &str, invite: &Invite) -> Result<()>;
    /// The invite with this token, if it is unused and has not expired.
    async fn invite(&self, token_hash: &str, now: i64) -> Result<Invite>;
    /// Uses the invite once: creates the user (and membership) and removes
    /// the invite in one transaction.
    async fn accept_invite(
        &self,
        token_hash: &str,
        now: i64,
        email: &str,
        name: &str,
        password_hash: &str,
    ) -> Result<User>;
}

/// The plan put to work: an incident, or an exercise run the same way.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: i64,
    /// Counts from 1 per organisation.
    pub number: i64,
    pub exercise: bool,
    pub title: String,
    /// The scenario of the plan; `None` when what is hit was chosen on the spot.
    pub scenario: Option<String>,
    /// What is hit, as JSON: `{"locations": [..], "assets": [..], "parties": [..]}`.
    pub hits: String,
    /// The exercise of the plan this run belongs to.
    pub exercise_id: Option<String>,
    pub activated_at: i64,
    pub activated_by: String,
    pub closed_at: Option<i64>,
    pub closed_by: Option<String>,
}

/// One line of an incident's checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub seq: i64,
    /// `step`, `task`, `call` or `process`.
    pub kind: String,
    pub title: String,
    pub owner: Option<String>,
    /// Whom to call, with numbers.
    pub call: String,
    pub procedure: String,
    /// Hours after activation the plan expects it done.
    pub planned_hours: Option<f64>,
    /// `todo`, `doing`, `done` or `skipped`.
    pub state: String,
    pub reason: Option<String>,
    pub changed_by: Option<String>,
    pub changed_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewItem {
    pub kind: String,
    pub title: String,
    pub owner: Option<String>,
    pub call: String,
    pub procedure: String,
    pub planned_hours: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewIncident {
    pub exercise: bool,
    pub title: String,
    pub scenario: Option<String>,
    pub hits: String,
    pub exercise_id: Option<String>,
    pub by: String,
    pub items: Vec<NewItem>,
}

/// A change of an item's state or owner; skipping needs a reason.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemChange {
    pub state: String,
    pub reason: Option<String>,
    /// `None` keeps the owner the item has; `Some(None)` leaves it without.
    pub owner: Option<Option<String>>,
    pub by: String,
}

/// One line of an incident's log: what happened, when, by whom.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub seq: i64,
    pub at: i64,
    pub by: String,
    /// `activated`, `item`, `log` or `closed`.
    pub kind: String,
    pub item: Option<i64>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IncidentFull {
    pub incident: Incident,
    pub items: Vec<Item>,
    pub events: Vec<Event>,
}

/// Incidents and exercises. Nothing here edits or deletes an event or an
/// incident, and the database refuses it too; a closed incident does not change.
#[async_trait::async_trait]
pub trait Incidents: Send + Sync {
    async fn create_incident(&self, org: i64, new: &NewIncident) -> Result<Incident>;
    /// Newest first.
    async fn incidents(&self, org: i64) -> Result<Vec<Incident>>;
    async fn incident(&self, org: i64, number: i64) -> Result<IncidentFull>;
    async fn change_item(&self, org: i64, number: i64, seq: i64, change: &ItemChange) -> Result<(Item, Event)>;
    /// Adds a line to the log.
    async fn log(&self, org: i64, number: i64, by: &str, text: &str) -> Result<Event>;
    async fn close_incident(&self, org: i64, number: i64, by: &str, note: &str) -> Result<Incident>;
}

/// Everything the web application needs from its database.
pub trait Db: Store + Accounts + Incidents {}
impl<T: Store + Accounts + Incidents> Db for T {}
