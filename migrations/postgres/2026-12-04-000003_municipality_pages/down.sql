DROP TABLE header_images;
DROP TABLE municipality_texts;
ALTER TABLE tenants DROP COLUMN pages_version;
ALTER TABLE tenants DROP COLUMN contact_en;
