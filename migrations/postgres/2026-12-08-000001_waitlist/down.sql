DROP TABLE waitlist_notice_times;
DROP TABLE waitlist_notices;
DROP TABLE waitlist_places;
DROP TABLE waitlist_registrations;
CREATE TABLE waitlist_entries (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    email TEXT,
    line_link_id BIGINT,
    booking_id BIGINT REFERENCES bookings(id),
    kind TEXT NOT NULL DEFAULT 'notify',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);
