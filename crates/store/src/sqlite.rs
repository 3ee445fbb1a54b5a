//! The SQLite store: one database file, write-ahead log, foreign keys on,
//! migrations embedded and run when it opens.

use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{FromRow, Sqlite, Transaction};

use crate::{AuditEntry, AuditFilter, Conflict, Entity, Org, Put, Result, Snapshot, Store, StoreError, Version};

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone)]
pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
}

#[derive(FromRow)]
struct OrgRow {
    id: i64,
    slug: String,
    name: String,
}

#[derive(FromRow)]
struct EntityRow {
    id: String,
    kind: String,
    position: i64,
    version: i64,
    body: String,
    updated_at: i64,
    updated_by: String,
}

#[derive(FromRow)]
struct VersionRow {
    number: i64,
    note: String,
    published_at: i64,
    published_by: String,
}

#[derive(FromRow)]
struct AuditRow {
    seq: i64,
    at: i64,
    by: String,
    entity: String,
    kind: String,
    before: Option<String>,
    after: Option<String>,
}

impl From<OrgRow> for Org {
    fn from(r: OrgRow) -> Org {
        Org { id: r.id, slug: r.slug, name: r.name }
    }
}

impl From<EntityRow> for Entity {
    fn from(r: EntityRow) -> Entity {
        Entity {
            id: r.id,
            kind: r.kind,
            position: r.position,
            version: r.version,
            body: r.body,
            updated_at: r.updated_at,
            updated_by: r.updated_by,
        }
    }
}

pub(crate) fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

const ENTITY_COLUMNS: &str = "id, kind, position, version, body, updated_at, updated_by";

impl SqliteStore {
    /// Opens (or creates) the database at `url` (`sqlite://path` or
    /// `sqlite::memory:`) and brings its schema up to date.
    pub async fn open(url: &str) -> Result<SqliteStore> {
        let memory = url.contains(":memory:");
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .foreign_keys(true)
            .journal_mode(if memory { SqliteJournalMode::Memory } else { SqliteJournalMode::Wal })
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(std::time::Duration::from_secs(10));
        // An in-memory database exists per connection: keep exactly one.
        let pool = SqlitePoolOptions::new().max_connections(if memory { 1 } else { 8 }).connect_with(options).await?;
        let store = SqliteStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    /// A consistent copy of the whole database at `path`, taken while the
    /// store is in use (`VACUUM INTO`). The file must not exist yet.
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<()> {
        if path.exists() {
            return Err(StoreError::Conflict(Conflict::Exists));
        }
        sqlx::query("vacuum into ?").bind(path.display().to_string()).execute(&self.pool).await?;
        Ok(())
    }

    /// Checks that `path` is a sound backup of this store (SQLite's
    /// integrity check passes and it has the tables), by opening it read-only.
    pub async fn check_backup(path: &std::path::Path) -> Result<usize> {
        let options = SqliteConnectOptions::new().filename(path).read_only(true);
        let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
        let (verdict,): (String,) = sqlx::query_as("pragma integrity_check").fetch_one(&pool).await?;
        if verdict != "ok" {
            pool.close().await;
            return Err(StoreError::Other(format!("the database is damaged: {verdict}")));
        }
        let (orgs,): (i64,) = sqlx::query_as("select count(*) from organisations").fetch_one(&pool).await?;
        let _: (i64,) = sqlx::query_as("select count(*) from entities").fetch_one(&pool).await?;
        let _: (i64,) = sqlx::query_as("select count(*) from audit").fetch_one(&pool).await?;
        pool.close().await;
        Ok(orgs as usize)
    }

    /// Closes every connection, so that the database file can be replaced.
    pub async fn close(self) {
        self.pool.close().await;
    }

    /// A transaction that takes the write lock at once (`BEGIN IMMEDIATE`):
    /// one that starts by reading and then writes can otherwise fail with
    /// "database is locked" when another connection wrote in between, which
    /// waiting does not cure.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("begin immediate").await?)
    }

    /// Runs the embedded migrations that have not run yet.
    pub async fn migrate(&self) -> Result<()> {
        MIGRATIONS.run(&self.pool).await.map_err(|e| StoreError::Other(e.to_string()))
    }

    async fn get(tx: &mut Transaction<'_, Sqlite>, org: i64, id: &str) -> Result<Option<Entity>> {
        let row: Option<EntityRow> =
            sqlx::query_as(&format!("select {ENTITY_COLUMNS} from entities where org = ? and id = ?"))
                .bind(org)
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
        Ok(row.map(Entity::from))
    }

    async fn log(
        tx: &mut Transaction<'_, Sqlite>,
        org: i64,
        by: &str,
        entity: &str,
        kind: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<()> {
        sqlx::query("insert into audit (org, at, by, entity, kind, before, after) values (?, ?, ?, ?, ?, ?, ?)")
            .bind(org)
            .bind(now())
            .bind(by)
            .bind(entity)
            .bind(kind)
            .bind(before)
            .bind(after)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Writes one entity inside `tx`: insert at the end of its section, or
    /// update when `expected` is the version stored now.
    async fn write(tx: &mut Transaction<'_, Sqlite>, org: i64, put: &Put<'_>, position: Option<i64>) -> Result<Entity> {
        let current = Self::get(tx, org, put.id).await?;
        let at = now();
        match (current, put.expected) {
            (None, None) => {
                let position = match position {
                    Some(p) => p,
                    None => {
                        let (next,): (i64,) = sqlx::query_as(
                            "select coalesce(max(position), -1) + 1 from entities where org = ? and kind = ?",
                        )
                        .bind(org)
                        .bind(put.kind)
                        .fetch_one(&mut **tx)
                        .await?;
                        next
                    }
                };
                sqlx::query(
                    "insert into entities (org, id, kind, position, version, body, updated_at, updated_by) \
                     values (?, ?, ?, ?, 1, ?, ?, ?)",
                )
                .bind(org)
                .bind(put.id)
                .bind(put.kind)
                .bind(position)
                .bind(put.body)
                .bind(at)
                .bind(put.by)
                .execute(&mut **tx)
                .await?;
                Self::log(tx, org, put.by, put.id, put.kind, None, Some(put.body)).await?;
            }
            (Some(_), None) => return Err(StoreError::Conflict(Conflict::Exists)),
            (None, Some(_)) => return Err(StoreError::Conflict(Conflict::Gone)),
            (Some(cur), Some(expected)) if cur.version != expected => {
                return Err(StoreError::Conflict(Conflict::Stale { current: Box::new(cur) }));
            }
            (Some(cur), Some(_)) => {
                if cur.body == put.body && cur.kind == put.kind && position.is_none_or(|p| p == cur.position) {
                    return Ok(cur);
                }
                sqlx::query(
                    "update entities set kind = ?, position = ?, version = version + 1, body = ?, updated_at = ?, \
                     updated_by = ? where org = ? and id = ?",
                )
                .bind(put.kind)
                .bind(position.unwrap_or(cur.position))
                .bind(put.body)
                .bind(at)
                .bind(put.by)
                .bind(org)
                .bind(put.id)
                .execute(&mut **tx)
                .await?;
                Self::log(tx, org, put.by, put.id, put.kind, Some(&cur.body), Some(put.body)).await?;
            }
        }
        Self::get(tx, org, put.id).await?.ok_or(StoreError::NotFound)
    }
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn create_org(&self, slug: &str, name: &str) -> Result<Org> {
        let row: OrgRow = sqlx::query_as(
            "insert into organisations (slug, name, created_at) values (?, ?, ?) returning id, slug, name",
        )
        .bind(slug)
        .bind(name)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.into())
    }

    async fn orgs(&self) -> Result<Vec<Org>> {
        let rows: Vec<OrgRow> = sqlx::query_as("select id, slug, name from organisations order by name, slug")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(Org::from).collect())
    }

    async fn org(&self, slug: &str) -> Result<Org> {
        let row: OrgRow = sqlx::query_as("select id, slug, name from organisations where slug = ?")
            .bind(slug)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.into())
    }

    async fn entities(&self, org: i64) -> Result<Vec<Entity>> {
        let rows: Vec<EntityRow> =
            sqlx::query_as(&format!("select {ENTITY_COLUMNS} from entities where org = ? order by kind, position, id"))
                .bind(org)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(Entity::from).collect())
    }

    async fn entity(&self, org: i64, id: &str) -> Result<Entity> {
        let mut tx = self.begin_write().await?;
        let found = Self::get(&mut tx, org, id).await?;
        tx.commit().await?;
        found.ok_or(StoreError::NotFound)
    }

    async fn put(&self, org: i64, put: Put<'_>) -> Result<Entity> {
        let mut tx = self.begin_write().await?;
        let entity = Self::write(&mut tx, org, &put, None).await?;
        tx.commit().await?;
        Ok(entity)
    }

    async fn delete(&self, org: i64, id: &str, expected: i64, by: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let Some(cur) = Self::get(&mut tx, org, id).await? else {
            return Err(StoreError::Conflict(Conflict::Gone));
        };
        if cur.version != expected {
            return Err(StoreError::Conflict(Conflict::Stale { current: Box::new(cur) }));
        }
        sqlx::query("delete from entities where org = ? and id = ?").bind(org).bind(id).execute(&mut *tx).await?;
        Self::log(&mut tx, org, by, id, &cur.kind, Some(&cur.body), None).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn replace_all(&self, org: i64, entities: &[(String, String, String)], by: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let existing: Vec<EntityRow> = sqlx::query_as(&format!("select {ENTITY_COLUMNS} from entities where org = ?"))
            .bind(org)
            .fetch_all(&mut *tx)
            .await?;
        let keep: std::collections::HashSet<&str> = entities.iter().map(|(_, id, _)| id.as_str()).collect();
        for old in existing.iter().filter(|e| !keep.contains(e.id.as_str())) {
            sqlx::query("delete from entities where org = ? and id = ?")
                .bind(org)
                .bind(&old.id)
                .execute(&mut *tx)
                .await?;
            Self::log(&mut tx, org, by, &old.id, &old.kind, Some(&old.body), None).await?;
        }
        let mut positions: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
        for (kind, id, body) in entities {
            let position = positions.entry(kind.as_str()).or_insert(0);
            let expected = existing.iter().find(|e| &e.id == id).map(|e| e.version);
            let put = Put { id, kind, body, expected, by };
            Self::write(&mut tx, org, &put, Some(*position)).await?;
            *position += 1;
        }
        // Dropping the transaction without commit rolls every row back.
        tx.commit().await?;
        Ok(())
    }

    async fn audit(&self, org: i64, filter: &AuditFilter, limit: i64) -> Result<Vec<AuditEntry>> {
        // Only the conditions in use, so that SQLite picks the index that
        // fits (by organisation, or by organisation and entity).
        let mut sql = String::from("select seq, at, by, entity, kind, before, after from audit where org = ?1");
        if filter.before.is_some() {
            sql.push_str(" and seq < ?2");
        }
        if filter.entity.is_some() {
            sql.push_str(" and entity = ?3");
        }
        sql.push_str(" order by seq desc limit ?4");
        let rows: Vec<AuditRow> = sqlx::query_as(&sql)
            .bind(org)
            .bind(filter.before)
            .bind(filter.entity.as_deref())
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                seq: r.seq,
                at: r.at,
                by: r.by,
                entity: r.entity,
                kind: r.kind,
                before: r.before,
                after: r.after,
            })
            .collect())
    }

    async fn publish(&self, org: i64, note: &str, by: &str) -> Result<Version> {
        let mut tx = self.begin_write().await?;
        let (number,): (i64,) = sqlx::query_as("select coalesce(max(number), 0) + 1 from versions where org = ?")
            .bind(org)
            .fetch_one(&mut *tx)
            .await?;
        let at = now();
        sqlx::query("insert into versions (org, number, note, published_at, published_by) values (?, ?, ?, ?, ?)")
            .bind(org)
            .bind(number)
            .bind(note)
            .bind(at)
            .bind(by)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "insert into version_entities (org, number, id, kind, position, body) \
             select org, ?, id, kind, position, body from entities where org = ?",
        )
        .bind(number)
        .bind(org)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Version { number, note: note.to_owned(), published_at: at, published_by: by.to_owned() })
    }

    async fn revision(&self, org: i64) -> Result<i64> {
        let (seq,): (i64,) = sqlx::query_as("select coalesce(max(seq), 0) from audit where org = ?")
            .bind(org)
            .fetch_one(&self.pool)
            .await?;
        Ok(seq)
    }

    async fn count_changes_since(&self, org: i64, version: i64) -> Result<usize> {
        // In the database, by key: no need to load both plans.
        let (n,): (i64,) = sqlx::query_as(
            "select (select count(*) from version_entities v where v.org = ?1 and v.number = ?2 and not exists \
               (select 1 from entities e where e.org = v.org and e.id = v.id and e.body = v.body and e.kind = v.kind)) \
             + (select count(*) from entities e where e.org = ?1 and not exists \
               (select 1 from version_entities v where v.org = e.org and v.number = ?2 and v.id = e.id))",
        )
        .bind(org)
        .bind(version)
        .fetch_one(&self.pool)
        .await?;
        Ok(n as usize)
    }

    async fn setting(&self, org: i64, key: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("select value from org_settings where org = ? and key = ?")
            .bind(org)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.0))
    }

    async fn set_setting(&self, org: i64, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => {
                sqlx::query(
                    "insert into org_settings (org, key, value) values (?, ?, ?) \
                     on conflict (org, key) do update set value = excluded.value",
                )
                .bind(org)
                .bind(key)
                .bind(v)
                .execute(&self.pool)
                .await?;
            }
            None => {
                sqlx::query("delete from org_settings where org = ? and key = ?")
                    .bind(org)
                    .bind(key)
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    async fn settings(&self, org: i64, prefix: &str) -> Result<Vec<(String, String)>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("select key, value from org_settings where org = ? and substr(key, 1, ?) = ? order by key")
                .bind(org)
                .bind(prefix.len() as i64)
                .bind(prefix)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows)
    }

    async fn org_with_setting(&self, key: &str, value: &str) -> Result<Org> {
        let row: OrgRow = sqlx::query_as(
            "select organisations.id, organisations.slug, organisations.name from org_settings \
             join organisations on organisations.id = org_settings.org where key = ? and value = ?",
        )
        .bind(key)
        .bind(value)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.into())
    }

    async fn versions(&self, org: i64) -> Result<Vec<Version>> {
        let rows: Vec<VersionRow> = sqlx::query_as(
            "select number, note, published_at, published_by from versions where org = ? order by number desc",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Version {
                number: r.number,
                note: r.note,
                published_at: r.published_at,
                published_by: r.published_by,
            })
            .collect())
    }

    async fn snapshot(&self, org: i64, which: Snapshot) -> Result<Vec<Entity>> {
        let number = match which {
            Snapshot::Now => return self.entities(org).await,
            Snapshot::Version(n) => n,
        };
        let version: Option<VersionRow> = sqlx::query_as(
            "select number, note, published_at, published_by from versions where org = ? and number = ?",
        )
        .bind(org)
        .bind(number)
        .fetch_optional(&self.pool)
        .await?;
        let version = version.ok_or(StoreError::NotFound)?;
        let rows: Vec<EntityRow> = sqlx::query_as(
            "select id, kind, position, 0 as version, body, ? as updated_at, ? as updated_by \
             from version_entities where org = ? and number = ? order by kind, position, id",
        )
        .bind(version.published_at)
        .bind(&version.published_by)
        .bind(org)
        .bind(number)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Entity::from).collect())
    }
}
