-- An uploaded issued-notice list between its preview and its commit. App instances keep
-- nothing in memory, so the validated rows wait here (payload: JSON, emptied once committed).
CREATE TABLE notice_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    staff_user_id BIGINT REFERENCES staff_users(id),
    encoding TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    row_count INTEGER NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'committed')),
    created_at BIGINT NOT NULL,
    committed_at BIGINT,
    new_count INTEGER,
    updated_count INTEGER
);
CREATE INDEX notice_imports_by_tenant ON notice_imports (tenant_id, created_at);
