-- The history of one entity (linked from its form) without reading the
-- whole log of the organisation.
create index audit_by_entity on audit(org, entity, seq);
