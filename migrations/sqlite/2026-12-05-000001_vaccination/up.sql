-- Vaccination booking (issue 12, seeds 000, 002, 003): the second service on the engine.
--
-- Counters serve one service each: a card-pickup counter (窓口) or a vaccination venue
-- (接種会場: a 集団接種会場 or a 医療機関) with the vaccine it gives and its own notice.
-- Existing counters are card-pickup counters.
ALTER TABLE counters ADD COLUMN service_kind TEXT NOT NULL DEFAULT 'card_pickup' CHECK (service_kind IN ('card_pickup', 'vaccination'));
ALTER TABLE counters ADD COLUMN venue_kind TEXT NOT NULL DEFAULT '' CHECK (venue_kind IN ('', 'group', 'clinic'));
ALTER TABLE counters ADD COLUMN vaccine TEXT NOT NULL DEFAULT '';
ALTER TABLE counters ADD COLUMN notice TEXT NOT NULL DEFAULT '';
CREATE INDEX counters_by_service ON counters (tenant_id, service_kind, position);

-- The ticket (接種券): its person as the municipality's list names them, the dose it is for
-- and, when known, the day of the previous dose (the interval counts from it).
ALTER TABLE resident_tickets ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE resident_tickets ADD COLUMN kana TEXT NOT NULL DEFAULT '';
ALTER TABLE resident_tickets ADD COLUMN previous_dose_on DATE NULL;
ALTER TABLE resident_tickets ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

-- A vaccination booking is for one ticket and one dose; the terms version agreed to, the
-- 予約者 when someone books for the person (seed 002: name and phone), and whether they
-- would take an earlier day (「接種日の繰上げを希望する」, acted on by a later issue).
ALTER TABLE bookings ADD COLUMN ticket_id BIGINT NULL REFERENCES resident_tickets(id);
ALTER TABLE bookings ADD COLUMN dose_number INTEGER NULL CHECK (dose_number BETWEEN 1 AND 20);
ALTER TABLE bookings ADD COLUMN terms_version INTEGER NULL;
ALTER TABLE bookings ADD COLUMN booker_name TEXT NULL;
ALTER TABLE bookings ADD COLUMN booker_phone TEXT NULL;
ALTER TABLE bookings ADD COLUMN wants_earlier BOOLEAN NOT NULL DEFAULT 0;
-- No ticket is booked twice for one dose, however the requests race.
CREATE UNIQUE INDEX bookings_one_per_ticket_dose ON bookings (ticket_id, dose_number) WHERE status = 'booked' AND ticket_id IS NOT NULL;

-- The ticket list arrives as the notice list does, through the same pending-import table.
ALTER TABLE notice_imports ADD COLUMN kind TEXT NOT NULL DEFAULT 'notices' CHECK (kind IN ('notices', 'tickets'));

-- The vaccination service's rules and wording, one row per municipality that offers it.
CREATE TABLE vaccination_settings (
    service_id BIGINT PRIMARY KEY REFERENCES services(id),
    tenant_id BIGINT NOT NULL UNIQUE REFERENCES tenants(id),
    -- IntervalRules::to_setting: "2:21d 3:5m".
    intervals TEXT NOT NULL DEFAULT '2:21d 3:5m',
    -- △ below this share free (percent), and/or at or below this many free.
    few_below_percent INTEGER NOT NULL DEFAULT 20 CHECK (few_below_percent BETWEEN 0 AND 100),
    few_at_or_below INTEGER NULL CHECK (few_at_or_below >= 0),
    booking_window_days INTEGER NOT NULL DEFAULT 60 CHECK (booking_window_days BETWEEN 1 AND 366),
    -- Cut-offs as on tenants: *_days NULL = the minutes/hours column.
    booking_cutoff_min INTEGER NOT NULL DEFAULT 0 CHECK (booking_cutoff_min >= 0),
    booking_cutoff_days INTEGER NULL DEFAULT 1 CHECK (booking_cutoff_days BETWEEN 0 AND 365),
    booking_cutoff_until_min INTEGER NOT NULL DEFAULT 1440 CHECK (booking_cutoff_until_min BETWEEN 0 AND 1440),
    cancel_deadline_hours INTEGER NOT NULL DEFAULT 24 CHECK (cancel_deadline_hours >= 0),
    cancel_deadline_days INTEGER NULL DEFAULT 3 CHECK (cancel_deadline_days BETWEEN 0 AND 365),
    cancel_deadline_until_min INTEGER NOT NULL DEFAULT 1440 CHECK (cancel_deadline_until_min BETWEEN 0 AND 1440),
    session_idle_min INTEGER NOT NULL DEFAULT 30 CHECK (session_idle_min BETWEEN 5 AND 240),
    terms_version INTEGER NOT NULL DEFAULT 1,
    terms_ja TEXT NOT NULL DEFAULT '',
    terms_en TEXT NOT NULL DEFAULT '',
    privacy_ja TEXT NOT NULL DEFAULT '',
    privacy_en TEXT NOT NULL DEFAULT '',
    notice_ja TEXT NOT NULL DEFAULT '',
    notice_en TEXT NOT NULL DEFAULT '',
    items_ja TEXT NOT NULL DEFAULT '',
    items_en TEXT NOT NULL DEFAULT '',
    -- 予約相談センター: what the pages show when the site cannot help.
    call_centre_name TEXT NOT NULL DEFAULT '',
    call_centre_phone TEXT NOT NULL DEFAULT '',
    call_centre_hours TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL DEFAULT 0
);
