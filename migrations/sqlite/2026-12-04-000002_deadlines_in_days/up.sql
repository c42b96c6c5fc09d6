-- Cut-offs in days (issue 11): a municipality may write its booking cut-off and its
-- change/cancel deadline as "N days before the visit's day, until HH:MM" (「予約日の3日前まで」,
-- 「予約日前日の17:00まで」) besides the minutes/hours before the visit that
-- same_day_cutoff_min and cancel_deadline_hours hold. *_days NULL keeps the relative form in
-- force, so every existing row keeps its meaning; *_until_min is minutes after that day's
-- midnight, 1440 being the end of the day. late_booking_allowed: whether a slot already past
-- the change/cancel deadline may still be booked online (true keeps what residents could
-- book before this change; they are now warned before booking).
ALTER TABLE tenants ADD COLUMN booking_cutoff_days INTEGER NULL CHECK (booking_cutoff_days BETWEEN 0 AND 365);
ALTER TABLE tenants ADD COLUMN booking_cutoff_until_min INTEGER NOT NULL DEFAULT 1440 CHECK (booking_cutoff_until_min BETWEEN 0 AND 1440);
ALTER TABLE tenants ADD COLUMN cancel_deadline_days INTEGER NULL CHECK (cancel_deadline_days BETWEEN 0 AND 365);
ALTER TABLE tenants ADD COLUMN cancel_deadline_until_min INTEGER NOT NULL DEFAULT 1440 CHECK (cancel_deadline_until_min BETWEEN 0 AND 1440);
ALTER TABLE tenants ADD COLUMN late_booking_allowed BOOLEAN NOT NULL DEFAULT 1;
