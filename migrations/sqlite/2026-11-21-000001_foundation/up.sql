-- The whole schema. Instants are UTC unix seconds (BIGINT) computed in Rust, never by SQL;
-- local calendar values (slot days, minutes after midnight JST) are DATE / INTEGER.

CREATE TABLE tenants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT '',
    faq_url TEXT,
    number1_format TEXT NOT NULL DEFAULT 'AAA-999999',
    number2_format TEXT NOT NULL DEFAULT 'AAAAAAAAAAAAAAAAAA',
    verification_ttl_min INTEGER NOT NULL DEFAULT 60 CHECK (verification_ttl_min > 0),
    hold_ttl_min INTEGER NOT NULL DEFAULT 10 CHECK (hold_ttl_min > 0),
    booking_window_days INTEGER NOT NULL DEFAULT 56 CHECK (booking_window_days >= 0),
    same_day_cutoff_min INTEGER NOT NULL DEFAULT 60 CHECK (same_day_cutoff_min >= 0),
    max_party_size INTEGER NOT NULL DEFAULT 4 CHECK (max_party_size BETWEEN 1 AND 10),
    cancel_deadline_hours INTEGER NOT NULL DEFAULT 24 CHECK (cancel_deadline_hours >= 0),
    recipient_fields TEXT NOT NULL DEFAULT 'name,kana,phone',
    pinned_counter_id BIGINT,
    close_on_holidays BOOLEAN NOT NULL DEFAULT 1,
    close_year_end BOOLEAN NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

-- What a tenant offers: card pickup now; vaccination and others later on the same engine.
CREATE TABLE services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, kind)
);

-- お知らせ on the tenant's home page.
CREATE TABLE announcements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    published BOOLEAN NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE counters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    directions TEXT NOT NULL DEFAULT '',
    map_url TEXT,
    active BOOLEAN NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, name)
);

-- weekday: 1 = Monday .. 7 = Sunday. Minutes are after local midnight (JST).
CREATE TABLE opening_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    counter_id BIGINT NOT NULL REFERENCES counters(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens_min INTEGER NOT NULL CHECK (opens_min BETWEEN 0 AND 1440),
    closes_min INTEGER NOT NULL CHECK (closes_min BETWEEN 0 AND 1440),
    slot_min INTEGER NOT NULL CHECK (slot_min > 0),
    clerks INTEGER NOT NULL CHECK (clerks > 0),
    valid_from DATE,
    valid_until DATE,
    CHECK (closes_min > opens_min)
);

-- counter_id NULL: the whole municipality is closed.
CREATE TABLE closures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    counter_id BIGINT REFERENCES counters(id),
    first_day DATE NOT NULL,
    last_day DATE NOT NULL,
    reason TEXT NOT NULL,
    CHECK (last_day >= first_day)
);

-- taken counts held and booked places; the CHECK is the backstop behind the conditional update.
CREATE TABLE slots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    counter_id BIGINT NOT NULL REFERENCES counters(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    day DATE NOT NULL,
    start_min INTEGER NOT NULL,
    end_min INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    taken INTEGER NOT NULL DEFAULT 0,
    CHECK (taken >= 0 AND taken <= capacity),
    CHECK (end_min > start_min),
    UNIQUE (counter_id, service_id, day, start_min)
);
CREATE INDEX slots_by_tenant_day ON slots (tenant_id, day);

-- 交付通知書: number1 is not unique (hence the number2 fallback), number2 is.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    number1 TEXT NOT NULL,
    number2 TEXT NOT NULL,
    birthdate DATE NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    kana TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'issued',
    imported_at BIGINT NOT NULL,
    UNIQUE (tenant_id, number2)
);
CREATE INDEX notices_by_number1 ON notices (tenant_id, number1);

-- The address check: a single-use link, stored only as a keyed hash.
CREATE TABLE email_verifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    notice_ids TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);

-- Browser sessions (resident application in progress, staff login): the cookie holds a
-- random id, the table holds its keyed hash, so app instances stay stateless.
CREATE TABLE web_sessions (
    id_hash TEXT PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    kind TEXT NOT NULL,
    staff_user_id BIGINT,
    data TEXT NOT NULL DEFAULT '{}',
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);

-- 仮押さえ: places taken for a short time; releasing gives them back.
CREATE TABLE holds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    counter_id BIGINT NOT NULL REFERENCES counters(id),
    party_size INTEGER NOT NULL CHECK (party_size > 0),
    placed_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    state TEXT NOT NULL DEFAULT 'active'
);
CREATE INDEX holds_by_state_expiry ON holds (state, expires_at);

CREATE TABLE hold_slots (
    hold_id BIGINT NOT NULL REFERENCES holds(id),
    slot_id BIGINT NOT NULL REFERENCES slots(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (hold_id, slot_id)
);

CREATE TABLE bookings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    counter_id BIGINT NOT NULL REFERENCES counters(id),
    receipt_number TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    email TEXT,
    email2 TEXT,
    party_size INTEGER NOT NULL CHECK (party_size > 0),
    day DATE NOT NULL,
    start_min INTEGER NOT NULL,
    end_min INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'booked',
    source TEXT NOT NULL DEFAULT 'web',
    idempotency_key TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    cancelled_at BIGINT,
    anonymised_at BIGINT,
    UNIQUE (tenant_id, receipt_number)
);
CREATE INDEX bookings_by_roster ON bookings (tenant_id, counter_id, day);

CREATE TABLE booking_slots (
    booking_id BIGINT NOT NULL REFERENCES bookings(id),
    slot_id BIGINT NOT NULL REFERENCES slots(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (booking_id, slot_id)
);

-- One row per person; active is cleared on cancellation so that the partial unique index
-- refuses a second active booking for the same notice on both databases.
CREATE TABLE booking_people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    booking_id BIGINT NOT NULL REFERENCES bookings(id),
    notice_id BIGINT REFERENCES notices(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    kana TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'booked',
    active BOOLEAN NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX booking_people_one_active_per_notice ON booking_people (notice_id) WHERE active;
CREATE INDEX booking_people_by_booking ON booking_people (booking_id);

-- Transactional outbox: written with the booking, sent afterwards by a worker.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT REFERENCES tenants(id),
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT,
    ics TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);

CREATE TABLE staff_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    login TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('clerk', 'admin')),
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, login)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    staff_user_id BIGINT REFERENCES staff_users(id),
    at BIGINT NOT NULL,
    action TEXT NOT NULL,
    booking_id BIGINT REFERENCES bookings(id),
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, at);

-- Failed identifications and rate counters, per scope (entry, lookup, staff_login, mail)
-- and key (a keyed hash of the client or of the number tried): shared by every instance.
CREATE TABLE auth_failures (
    scope TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    window_started_at BIGINT NOT NULL,
    locked_until BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (scope, key_hash)
);

-- Later flows (DESIGN.md): tables they join, not yet used by any screen.
-- Vaccination-ticket login (10-digit ticket number + birthdate).
CREATE TABLE resident_tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    ticket_number TEXT NOT NULL,
    birthdate DATE NOT NULL,
    dose_number INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, ticket_number)
);

-- Cancellation-slot waitlist (seed 001) and "move me earlier" (seed 002).
CREATE TABLE waitlist_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    email TEXT,
    line_link_id BIGINT,
    booking_id BIGINT REFERENCES bookings(id),
    kind TEXT NOT NULL DEFAULT 'notify',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE line_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    line_user_hash TEXT NOT NULL,
    resident_ticket_id BIGINT REFERENCES resident_tickets(id),
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, line_user_hash)
);

CREATE TABLE reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    booking_id BIGINT NOT NULL REFERENCES bookings(id),
    channel TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    sent_at BIGINT,
    UNIQUE (booking_id, channel)
);
