-- One organisation, one plan.
create table organisations (
    id integer primary key,
    slug text not null unique,
    name text not null,
    created_at integer not null
);

-- Every entity of a plan as a row, its body in the plan format's own shape,
-- so that a plan loads whole in one query and is written back entity by
-- entity. `version` refuses stale edits; `position` keeps the plan's order.
create table entities (
    org integer not null references organisations(id) on delete cascade,
    id text not null,
    kind text not null,
    position integer not null,
    version integer not null,
    body text not null,
    updated_at integer not null,
    updated_by text not null,
    primary key (org, id)
);

-- Every change: who, when, which entity, its body before and after.
create table audit (
    seq integer primary key,
    org integer not null references organisations(id) on delete cascade,
    at integer not null,
    by text not null,
    entity text not null,
    kind text not null,
    before text,
    after text
);
create index audit_by_org on audit(org, seq);
