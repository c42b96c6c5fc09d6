//! Pure rules of the vaccination service (seeds 000, 002, 003): the 接種券番号, dose
//! numbers, the interval between doses, and what a calendar day shows to one ticket. The
//! availability marks and the month calendar beneath it are the booking engine's
//! (`core::availability`, `core::month_calendar`) and know nothing of vaccination.
pub mod calendar_day;
// 予約のキャンセル (issue 12, resident step 8)
pub mod cancel_plan;
pub mod change_days;
pub mod dose;
// Console's vaccination pages (issue 12, staff part): which doses a ticket may book now.
pub mod dose_plan;
pub mod eligibility;
pub mod interval;
pub mod my_doses;
pub mod open_places;
pub mod ticket_number;
// 「接種場所の絞り込み」 (seed 002 §3)
pub mod venue_filter;
