-- Back to the column: a built-in field is listed when it is asked (a missing row was
-- asked). Whether it was optional, and the municipality's own fields and answers, are lost.
ALTER TABLE tenants ADD COLUMN recipient_fields TEXT NOT NULL DEFAULT 'name,kana,phone';
UPDATE tenants SET recipient_fields = rtrim(
    (CASE WHEN NOT EXISTS (SELECT 1 FROM recipient_fields f WHERE f.tenant_id = tenants.id AND f.kind = 'name' AND NOT f.active) THEN 'name,' ELSE '' END) ||
    (CASE WHEN NOT EXISTS (SELECT 1 FROM recipient_fields f WHERE f.tenant_id = tenants.id AND f.kind = 'kana' AND NOT f.active) THEN 'kana,' ELSE '' END) ||
    (CASE WHEN NOT EXISTS (SELECT 1 FROM recipient_fields f WHERE f.tenant_id = tenants.id AND f.kind = 'phone' AND NOT f.active) THEN 'phone,' ELSE '' END),
    ',');
ALTER TABLE booking_people DROP COLUMN answers;
DROP INDEX recipient_fields_one_builtin;
DROP INDEX recipient_fields_by_tenant;
DROP TABLE recipient_fields;
