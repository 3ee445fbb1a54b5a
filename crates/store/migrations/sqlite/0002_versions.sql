-- Published versions: the whole plan frozen under a number, with a note.
create table versions (
    org integer not null references organisations(id) on delete cascade,
    number integer not null,
    note text not null,
    published_at integer not null,
    published_by text not null,
    primary key (org, number)
);

-- The entities of each published version, as they were.
create table version_entities (
    org integer not null,
    number integer not null,
    id text not null,
    kind text not null,
    position integer not null,
    body text not null,
    primary key (org, number, id),
    foreign key (org, number) references versions(org, number) on delete cascade
);
