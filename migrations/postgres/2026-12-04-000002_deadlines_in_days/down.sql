ALTER TABLE tenants DROP COLUMN late_booking_allowed;
ALTER TABLE tenants DROP COLUMN cancel_deadline_until_min;
ALTER TABLE tenants DROP COLUMN cancel_deadline_days;
ALTER TABLE tenants DROP COLUMN booking_cutoff_until_min;
ALTER TABLE tenants DROP COLUMN booking_cutoff_days;
