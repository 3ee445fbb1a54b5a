//! Incidents on SQLite: the plan put to work, its checklist and its log.

use sqlx::FromRow;

use crate::sqlite::{SqliteStore, now};
use crate::{Conflict, Event, Incident, IncidentFull, Incidents, Item, ItemChange, NewIncident, Result, StoreError};

const INCIDENT_COLUMNS: &str =
    "id, number, exercise, title, scenario, hits, exercise_id, activated_at, activated_by, closed_at, closed_by";

#[derive(FromRow)]
struct IncidentRow {
    id: i64,
    number: i64,
    exercise: bool,
    title: String,
    scenario: Option<String>,
    hits: String,
    exercise_id: Option<String>,
    activated_at: i64,
    activated_by: String,
    closed_at: Option<i64>,
    closed_by: Option<String>,
}

impl From<IncidentRow> for Incident {
    fn from(r: IncidentRow) -> Incident {
        Incident {
            id: r.id,
            number: r.number,
            exercise: r.exercise,
            title: r.title,
            scenario: r.scenario,
            hits: r.hits,
            exercise_id: r.exercise_id,
            activated_at: r.activated_at,
            activated_by: r.activated_by,
            closed_at: r.closed_at,
            closed_by: r.closed_by,
        }
    }
}

#[derive(FromRow)]
struct ItemRow {
    seq: i64,
    kind: String,
    title: String,
    owner: Option<String>,
    call: String,
    procedure: String,
    planned_hours: Option<f64>,
    state: String,
    reason: Option<String>,
    changed_by: Option<String>,
    changed_at: Option<i64>,
}

impl From<ItemRow> for Item {
    fn from(r: ItemRow) -> Item {
        Item {
            seq: r.seq,
            kind: r.kind,
            title: r.title,
            owner: r.owner,
            call: r.call,
            procedure: r.procedure,
            planned_hours: r.planned_hours,
            state: r.state,
            reason: r.reason,
            changed_by: r.changed_by,
            changed_at: r.changed_at,
        }
    }
}

#[derive(FromRow)]
struct EventRow {
    seq: i64,
    at: i64,
    by: String,
    kind: String,
    item: Option<i64>,
    text: String,
}

impl From<EventRow> for Event {
    fn from(r: EventRow) -> Event {
        Event { seq: r.seq, at: r.at, by: r.by, kind: r.kind, item: r.item, text: r.text }
    }
}

const ITEM_COLUMNS: &str =
    "seq, kind, title, owner, call, procedure, planned_hours, state, reason, changed_by, changed_at";

async fn event(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    incident: i64,
    by: &str,
    kind: &str,
    item: Option<i64>,
    text: &str,
) -> Result<Event> {
    let row: EventRow = sqlx::query_as(
        "insert into incident_events (incident, at, by, kind, item, text) values (?, ?, ?, ?, ?, ?) \
         returning seq, at, by, kind, item, text",
    )
    .bind(incident)
    .bind(now())
    .bind(by)
    .bind(kind)
    .bind(item)
    .bind(text)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.into())
}

async fn open_incident(tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>, org: i64, number: i64) -> Result<IncidentRow> {
    let row: IncidentRow =
        sqlx::query_as(&format!("select {INCIDENT_COLUMNS} from incidents where org = ? and number = ?"))
            .bind(org)
            .bind(number)
            .fetch_one(&mut **tx)
            .await?;
    if row.closed_at.is_some() {
        return Err(StoreError::Conflict(Conflict::Closed));
    }
    Ok(row)
}

#[async_trait::async_trait]
impl Incidents for SqliteStore {
    async fn create_incident(&self, org: i64, new: &NewIncident) -> Result<Incident> {
        let mut tx = self.begin_write().await?;
        let (number,): (i64,) = sqlx::query_as("select coalesce(max(number), 0) + 1 from incidents where org = ?")
            .bind(org)
            .fetch_one(&mut *tx)
            .await?;
        let row: IncidentRow = sqlx::query_as(&format!(
            "insert into incidents (org, number, exercise, title, scenario, hits, exercise_id, activated_at, activated_by) \
             values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning {INCIDENT_COLUMNS}"
        ))
        .bind(org)
        .bind(number)
        .bind(new.exercise)
        .bind(&new.title)
        .bind(&new.scenario)
        .bind(&new.hits)
        .bind(&new.exercise_id)
        .bind(now())
        .bind(&new.by)
        .fetch_one(&mut *tx)
        .await?;
        for (seq, item) in new.items.iter().enumerate() {
            sqlx::query(
                "insert into incident_items (incident, seq, kind, title, owner, call, procedure, planned_hours) \
                 values (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(row.id)
            .bind(seq as i64 + 1)
            .bind(&item.kind)
            .bind(&item.title)
            .bind(&item.owner)
            .bind(&item.call)
            .bind(&item.procedure)
            .bind(item.planned_hours)
            .execute(&mut *tx)
            .await?;
        }
        event(&mut tx, row.id, &new.by, "activated", None, &new.title).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    async fn incidents(&self, org: i64) -> Result<Vec<Incident>> {
        let rows: Vec<IncidentRow> =
            sqlx::query_as(&format!("select {INCIDENT_COLUMNS} from incidents where org = ? order by number desc"))
                .bind(org)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(Incident::from).collect())
    }

    async fn incident(&self, org: i64, number: i64) -> Result<IncidentFull> {
        let row: IncidentRow =
            sqlx::query_as(&format!("select {INCIDENT_COLUMNS} from incidents where org = ? and number = ?"))
                .bind(org)
                .bind(number)
                .fetch_one(&self.pool)
                .await?;
        let items: Vec<ItemRow> =
            sqlx::query_as(&format!("select {ITEM_COLUMNS} from incident_items where incident = ? order by seq"))
                .bind(row.id)
                .fetch_all(&self.pool)
                .await?;
        let events: Vec<EventRow> =
            sqlx::query_as("select seq, at, by, kind, item, text from incident_events where incident = ? order by seq")
                .bind(row.id)
                .fetch_all(&self.pool)
                .await?;
        Ok(IncidentFull {
            incident: row.into(),
            items: items.into_iter().map(Item::from).collect(),
            events: events.into_iter().map(Event::from).collect(),
        })
    }

    async fn change_item(&self, org: i64, number: i64, seq: i64, change: &ItemChange) -> Result<(Item, Event)> {
        if change.state == "skipped" && change.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(StoreError::Other("a skipped item needs a reason".into()));
        }
        if !["todo", "doing", "done", "skipped"].contains(&change.state.as_str()) {
            return Err(StoreError::Other(format!("unknown state {:?}", change.state)));
        }
        let mut tx = self.begin_write().await?;
        let incident = open_incident(&mut tx, org, number).await?;
        let before: ItemRow =
            sqlx::query_as(&format!("select {ITEM_COLUMNS} from incident_items where incident = ? and seq = ?"))
                .bind(incident.id)
                .bind(seq)
                .fetch_one(&mut *tx)
                .await?;
        let reason = if change.state == "skipped" { change.reason.clone() } else { None };
        let owner = change.owner.clone().unwrap_or_else(|| before.owner.clone());
        sqlx::query(
            "update incident_items set state = ?, reason = ?, owner = ?, changed_by = ?, changed_at = ? \
             where incident = ? and seq = ?",
        )
        .bind(&change.state)
        .bind(&reason)
        .bind(&owner)
        .bind(&change.by)
        .bind(now())
        .bind(incident.id)
        .bind(seq)
        .execute(&mut *tx)
        .await?;
        let mut what = Vec::new();
        if before.state != change.state {
            what.push(format!("{} -> {}", before.state, change.state));
        }
        if before.owner != owner {
            what.push(format!(
                "owner {} -> {}",
                before.owner.as_deref().unwrap_or("-"),
                owner.as_deref().unwrap_or("-")
            ));
        }
        if let Some(r) = &reason {
            what.push(format!("reason: {r}"));
        }
        let text = format!("{}: {}", before.title, what.join("; "));
        let e = event(&mut tx, incident.id, &change.by, "item", Some(seq), &text).await?;
        let after: ItemRow =
            sqlx::query_as(&format!("select {ITEM_COLUMNS} from incident_items where incident = ? and seq = ?"))
                .bind(incident.id)
                .bind(seq)
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok((after.into(), e))
    }

    async fn log(&self, org: i64, number: i64, by: &str, text: &str) -> Result<Event> {
        let mut tx = self.begin_write().await?;
        let incident = open_incident(&mut tx, org, number).await?;
        let e = event(&mut tx, incident.id, by, "log", None, text).await?;
        tx.commit().await?;
        Ok(e)
    }

    async fn close_incident(&self, org: i64, number: i64, by: &str, note: &str) -> Result<Incident> {
        let mut tx = self.begin_write().await?;
        let incident = open_incident(&mut tx, org, number).await?;
        event(&mut tx, incident.id, by, "closed", None, note).await?;
        let row: IncidentRow = sqlx::query_as(&format!(
            "update incidents set closed_at = ?, closed_by = ? where id = ? returning {INCIDENT_COLUMNS}"
        ))
        .bind(now())
        .bind(by)
        .bind(incident.id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row.into())
    }
}
