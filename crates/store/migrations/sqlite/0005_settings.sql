-- Small settings per organisation: the calendar feed's token hash, the
-- year planner's skipped proposals.
create table org_settings (
    org integer not null references organisations(id) on delete cascade,
    key text not null,
    value text not null,
    primary key (org, key)
);
create index org_settings_by_value on org_settings(key, value);
