-- People who sign in. `admin` is an administrator of the installation (the
-- IT provider): sees and creates every organisation.
create table users (
    id integer primary key,
    email text not null unique,
    name text not null,
    password_hash text not null,
    admin integer not null default 0,
    lang text,
    created_at integer not null
);

-- Who may do what in which organisation: owner, editor or viewer.
create table memberships (
    user_id integer not null references users(id) on delete cascade,
    org integer not null references organisations(id) on delete cascade,
    role text not null check (role in ('owner', 'editor', 'viewer')),
    primary key (user_id, org)
);

-- Sessions kept on the server, by a hash of the cookie's token; `csrf` is
-- the anti-forgery token every form of the session carries.
create table sessions (
    token_hash text primary key,
    user_id integer not null references users(id) on delete cascade,
    csrf text not null,
    created_at integer not null,
    expires_at integer not null
);
create index sessions_by_user on sessions(user_id);

-- One-time links to create an account, by a hash of the link's token.
create table invites (
    token_hash text primary key,
    admin integer not null default 0,
    org integer references organisations(id) on delete cascade,
    role text check (role in ('owner', 'editor', 'viewer')),
    created_by text not null,
    expires_at integer not null
);
