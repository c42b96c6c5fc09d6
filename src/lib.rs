//! Madoguchi: appointment booking for Japanese municipal counters.
pub mod app;
pub mod backup;
pub mod config;
pub mod core;
pub mod db;
pub mod demo;
pub mod i18n;
pub mod mail;
pub mod secrets;
pub mod server;
pub mod web;
