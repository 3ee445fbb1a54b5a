//! Accounts on SQLite: users, memberships, sessions and one-time links.

use sqlx::FromRow;

use crate::sqlite::{SqliteStore, now};
use crate::{Accounts, Conflict, Invite, Org, Result, Role, Session, StoreError, User};

#[derive(FromRow)]
struct UserRow {
    id: i64,
    email: String,
    name: String,
    admin: bool,
    lang: Option<String>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> User {
        User { id: r.id, email: r.email, name: r.name, admin: r.admin, lang: r.lang }
    }
}

const USER_COLUMNS: &str = "users.id, users.email, users.name, users.admin, users.lang";

fn role(s: &str) -> Result<Role> {
    Role::parse(s).ok_or_else(|| StoreError::Other(format!("unknown role {s:?} in the database")))
}

#[async_trait::async_trait]
impl Accounts for SqliteStore {
    async fn user_count(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("select count(*) from users").fetch_one(&self.pool).await?;
        Ok(n)
    }

    async fn create_user(&self, email: &str, name: &str, password_hash: &str, admin: bool) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let user = insert_user(&mut tx, email, name, password_hash, admin).await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn user(&self, id: i64) -> Result<User> {
        let row: UserRow = sqlx::query_as(&format!("select {USER_COLUMNS} from users where id = ?"))
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.into())
    }

    async fn user_by_email(&self, email: &str) -> Result<(User, String)> {
        let row: (i64, String) = sqlx::query_as("select id, password_hash from users where email = ?")
            .bind(email.trim().to_lowercase())
            .fetch_one(&self.pool)
            .await?;
        Ok((self.user(row.0).await?, row.1))
    }

    async fn users(&self) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(&format!("select {USER_COLUMNS} from users order by name, email"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(User::from).collect())
    }

    async fn set_user_lang(&self, id: i64, lang: Option<&str>) -> Result<()> {
        let done =
            sqlx::query("update users set lang = ? where id = ?").bind(lang).bind(id).execute(&self.pool).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn set_password(&self, id: i64, password_hash: &str) -> Result<()> {
        let done = sqlx::query("update users set password_hash = ? where id = ?")
            .bind(password_hash)
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn set_role(&self, user: i64, org: i64, role: Option<Role>) -> Result<()> {
        match role {
            Some(r) => {
                sqlx::query(
                    "insert into memberships (user_id, org, role) values (?, ?, ?) \
                     on conflict (user_id, org) do update set role = excluded.role",
                )
                .bind(user)
                .bind(org)
                .bind(r.as_str())
                .execute(&self.pool)
                .await?;
            }
            None => {
                sqlx::query("delete from memberships where user_id = ? and org = ?")
                    .bind(user)
                    .bind(org)
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    async fn role(&self, user: i64, org: i64) -> Result<Option<Role>> {
        let row: Option<(String,)> = sqlx::query_as("select role from memberships where user_id = ? and org = ?")
            .bind(user)
            .bind(org)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|(r,)| role(&r)).transpose()
    }

    async fn members(&self, org: i64) -> Result<Vec<(User, Role)>> {
        let rows: Vec<(i64, String, String, bool, Option<String>, String)> = sqlx::query_as(
            "select users.id, users.email, users.name, users.admin, users.lang, memberships.role \
             from memberships join users on users.id = memberships.user_id where memberships.org = ? \
             order by users.name, users.email",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, email, name, admin, lang, r)| Ok((User { id, email, name, admin, lang }, role(&r)?)))
            .collect()
    }

    async fn memberships(&self, user: i64) -> Result<Vec<(Org, Role)>> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "select organisations.id, organisations.slug, organisations.name, memberships.role \
             from memberships join organisations on organisations.id = memberships.org \
             where memberships.user_id = ? order by organisations.name, organisations.slug",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|(id, slug, name, r)| Ok((Org { id, slug, name }, role(&r)?))).collect()
    }

    async fn create_session(&self, token_hash: &str, user: i64, csrf: &str, expires_at: i64) -> Result<()> {
        // Expired sessions are cleared as new ones start.
        sqlx::query("delete from sessions where expires_at <= ?").bind(now()).execute(&self.pool).await?;
        sqlx::query("insert into sessions (token_hash, user_id, csrf, created_at, expires_at) values (?, ?, ?, ?, ?)")
            .bind(token_hash)
            .bind(user)
            .bind(csrf)
            .bind(now())
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session(&self, token_hash: &str, now: i64) -> Result<Session> {
        let row: (i64, String, i64) =
            sqlx::query_as("select user_id, csrf, expires_at from sessions where token_hash = ? and expires_at > ?")
                .bind(token_hash)
                .bind(now)
                .fetch_one(&self.pool)
                .await?;
        Ok(Session { user: self.user(row.0).await?, csrf: row.1, expires_at: row.2 })
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("delete from sessions where token_hash = ?").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    async fn delete_sessions_of(&self, user: i64) -> Result<u64> {
        let done = sqlx::query("delete from sessions where user_id = ?").bind(user).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }

    async fn create_invite(&self, token_hash: &str, invite: &Invite) -> Result<()> {
        sqlx::query(
            "insert into invites (token_hash, admin, org, role, created_by, expires_at) values (?, ?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(invite.admin)
        .bind(invite.org)
        .bind(invite.role.map(Role::as_str))
        .bind(&invite.created_by)
        .bind(invite.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn invite(&self, token_hash: &str, now: i64) -> Result<Invite> {
        let row: (bool, Option<i64>, Option<String>, String, i64) = sqlx::query_as(
            "select admin, org, role, created_by, expires_at from invites where token_hash = ? and expires_at > ?",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(Invite {
            admin: row.0,
            org: row.1,
            role: row.2.as_deref().map(role).transpose()?,
            created_by: row.3,
            expires_at: row.4,
        })
    }

    async fn accept_invite(
        &self,
        token_hash: &str,
        now: i64,
        email: &str,
        name: &str,
        password_hash: &str,
    ) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let row: Option<(bool, Option<i64>, Option<String>)> =
            sqlx::query_as("select admin, org, role from invites where token_hash = ? and expires_at > ?")
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
        let (admin, org, r) = row.ok_or(StoreError::NotFound)?;
        sqlx::query("delete from invites where token_hash = ?").bind(token_hash).execute(&mut *tx).await?;
        let user = insert_user(&mut tx, email, name, password_hash, admin).await?;
        if let (Some(org), Some(r)) = (org, r) {
            sqlx::query("insert into memberships (user_id, org, role) values (?, ?, ?)")
                .bind(user.id)
                .bind(org)
                .bind(role(&r)?.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(user)
    }
}

async fn insert_user(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    email: &str,
    name: &str,
    password_hash: &str,
    admin: bool,
) -> Result<User> {
    let email = email.trim().to_lowercase();
    let taken: Option<(i64,)> =
        sqlx::query_as("select id from users where email = ?").bind(&email).fetch_optional(&mut **tx).await?;
    if taken.is_some() {
        return Err(StoreError::Conflict(Conflict::Exists));
    }
    let row: UserRow = sqlx::query_as(&format!(
        "insert into users (email, name, password_hash, admin, created_at) values (?, ?, ?, ?, ?) \
         returning {}",
        USER_COLUMNS.replace("users.", "")
    ))
    .bind(&email)
    .bind(name.trim())
    .bind(password_hash)
    .bind(admin)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.into())
}
