-- The cancellation-slot waitlist (issue 13, seed 001). Replaces the foundation's
-- placeholder `waitlist_entries`, which nothing ever wrote.
DROP TABLE waitlist_entries;

-- One person waiting (キャンセル待ち申請): a family registers each person from one checked
-- address. `booking_id` is set in the booking's own transaction: one booking each.
CREATE TABLE waitlist_registrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    birthdate DATE NOT NULL,
    phone TEXT NOT NULL,
    dose_number INTEGER NOT NULL,
    notify BOOLEAN NOT NULL DEFAULT 1,
    booking_id BIGINT REFERENCES bookings(id),
    lang TEXT NOT NULL DEFAULT 'ja',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX waitlist_registrations_by_email ON waitlist_registrations (tenant_id, email);
CREATE INDEX waitlist_registrations_by_service ON waitlist_registrations (service_id, notify);
CREATE UNIQUE INDEX waitlist_registrations_one_booking ON waitlist_registrations (booking_id);

-- Places that became free for the waitlist: a cancelled booking's, or a venue's posted
-- キャンセル枠 (which adds them to the slot's capacity in the same transaction).
CREATE TABLE waitlist_places (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    slot_id BIGINT NOT NULL REFERENCES slots(id),
    places INTEGER NOT NULL CHECK (places > 0),
    source TEXT NOT NULL CHECK (source IN ('cancel', 'venue')),
    staff_user_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX waitlist_places_by_service ON waitlist_places (service_id, slot_id);

-- When each registrant was sent 空き枠のお知らせ: one row per set time, so a notice goes
-- out once however many instances run the job.
CREATE TABLE waitlist_notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    registration_id BIGINT NOT NULL REFERENCES waitlist_registrations(id) ON DELETE CASCADE,
    notice_at BIGINT NOT NULL,
    queued_at BIGINT NOT NULL,
    UNIQUE (registration_id, notice_at)
);

-- The set times of a service's notices (「1日3回、決まった時間」), as HH:MM minutes.
CREATE TABLE waitlist_notice_times (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    at_min INTEGER NOT NULL CHECK (at_min BETWEEN 0 AND 1439),
    UNIQUE (service_id, at_min)
);
INSERT INTO waitlist_notice_times (tenant_id, service_id, at_min)
    SELECT tenant_id, id, t.at_min FROM services,
        (SELECT 540 AS at_min UNION ALL SELECT 720 UNION ALL SELECT 1080) AS t
    WHERE kind = 'vaccination';
