ALTER TABLE closures DROP COLUMN service_kind;
