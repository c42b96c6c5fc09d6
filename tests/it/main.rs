//! Integration tests: the app driven over HTTP, on SQLite and on PostgreSQL.
mod common;
mod foundation;
mod i18n;
mod limits;
mod mail;
mod operator;
mod race;
mod resident;
mod resident_edges;
mod resident_groups;
mod slots;
mod staff_audit;
mod staff_auth;
mod staff_import;
mod staff_phone;
mod staff_roster;
mod staff_schedule;
