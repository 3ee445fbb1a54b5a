-- The plan put to work: an incident (or an exercise run the same way),
-- its checklist, and its log. An incident is never deleted; its events are
-- only ever added to.
create table incidents (
    id integer primary key,
    org integer not null references organisations(id),
    number integer not null,
    exercise integer not null default 0,
    title text not null,
    -- The scenario of the plan, or null when what is hit was chosen on the spot.
    scenario text,
    -- What is hit, as JSON: {"locations": [...], "assets": [...], "parties": [...]}.
    hits text not null,
    -- The exercise of the plan this run belongs to, if any.
    exercise_id text,
    activated_at integer not null,
    activated_by text not null,
    closed_at integer,
    closed_by text,
    unique (org, number)
);

-- The checklist: recovery steps, tasks, calls of the call tree, and the
-- processes with when the plan says they are back.
create table incident_items (
    incident integer not null references incidents(id),
    seq integer not null,
    -- step, task, call, process
    kind text not null,
    title text not null,
    owner text,
    call text not null default '',
    procedure text not null default '',
    -- Hours after activation the plan expects this done (steps, processes).
    planned_hours real,
    state text not null default 'todo' check (state in ('todo', 'doing', 'done', 'skipped')),
    reason text,
    changed_by text,
    changed_at integer,
    primary key (incident, seq)
);

-- Everything that happened, in order: activation, every change of an item,
-- every log entry, closing.
create table incident_events (
    seq integer primary key,
    incident integer not null references incidents(id),
    at integer not null,
    by text not null,
    kind text not null,
    item integer,
    text text not null
);
create index incident_events_by_incident on incident_events(incident, seq);

create trigger incident_events_are_never_changed before update on incident_events
begin
    select raise(abort, 'the incident log is only ever added to');
end;
create trigger incident_events_are_never_deleted before delete on incident_events
begin
    select raise(abort, 'the incident log is only ever added to');
end;
create trigger incidents_are_never_deleted before delete on incidents
begin
    select raise(abort, 'an incident is never deleted');
end;
create trigger closed_incidents_stay_closed before update on incidents
when old.closed_at is not null
begin
    select raise(abort, 'a closed incident does not change');
end;
