//! Pure domain logic: no I/O, no clock, no database. Everything here is unit-tested hard.
pub mod availability;
pub mod client_ip;
pub mod deadline;
pub mod grid;
pub mod holidays;
pub mod ics;
pub mod month_calendar;
pub mod notice_import;
pub mod pow;
pub mod receipt;
pub mod receipt_qr;
pub mod recipient_fields;
pub mod redact;
pub mod resident_input;
pub mod roster_csv;
pub mod schedule;
pub mod throttle;
pub mod vaccination;
// 画面の文言 and the header image (issue 11).
pub mod municipality_pages;
// メールの文面 (issue 11, mails): the municipality's own wording of its mails.
pub mod mail_wording;
// The vaccination ticket list (issue 12, tickets): the CSV read as the notice list is.
pub mod ticket_import;
// Reminders (issue 13): which bookings a reminder is due for.
pub mod reminders;
// The cancellation-slot waitlist (issue 13, seed 001).
pub mod waitlist;
