-- 画面の文言 and the header image: a municipality's own wording of the resident pages
-- (issue 11). The call-centre line keeps its column (tenants.contact, Japanese, read by the
-- mails too) and gains its English beside it; '' = not given (English falls back to the
-- Japanese). pages_version grows with every change of the texts or the image, so an
-- instance that keeps them in memory sees from the tenant row it reads anyway that its
-- copy is old.
ALTER TABLE tenants ADD COLUMN contact_en TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN pages_version BIGINT NOT NULL DEFAULT 0;

-- One row per text and language the municipality wrote; no row = the shipped default
-- (Japanese) or, in English, the Japanese it wrote (shown with lang="ja"), else the shipped
-- English. An empty Japanese body is a text the municipality chose not to show.
CREATE TABLE municipality_texts (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    text_key TEXT NOT NULL CHECK (text_key IN ('site_name', 'number1_where', 'number2_where', 'bring', 'done_note')),
    lang TEXT NOT NULL CHECK (lang IN ('ja', 'en')),
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, text_key, lang)
);

-- The picture at the top of the resident pages, at most one per municipality, stored in
-- the database so every instance serves it. sha256 (hex) names it in its URL, which is
-- cached for a year; a new picture has a new URL.
CREATE TABLE header_images (
    tenant_id BIGINT PRIMARY KEY NOT NULL REFERENCES tenants(id),
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    file_name TEXT NOT NULL,
    alt_ja TEXT NOT NULL,
    alt_en TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
