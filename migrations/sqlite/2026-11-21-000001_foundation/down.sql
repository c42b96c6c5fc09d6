DROP TABLE reminders; DROP TABLE line_links; DROP TABLE waitlist_entries; DROP TABLE resident_tickets;
DROP TABLE auth_failures; DROP TABLE audit_log; DROP TABLE staff_users; DROP TABLE mail_outbox;
DROP TABLE booking_people; DROP TABLE booking_slots; DROP TABLE bookings; DROP TABLE hold_slots;
DROP TABLE holds; DROP TABLE web_sessions; DROP TABLE email_verifications; DROP TABLE notices;
DROP TABLE slots; DROP TABLE closures; DROP TABLE opening_templates; DROP TABLE counters;
DROP TABLE announcements; DROP TABLE services; DROP TABLE tenants;
