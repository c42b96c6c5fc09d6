//! Deadlines and expiries: cancellation cut-offs, hold lifetimes and their Japanese display, all in JST.

use time::macros::{datetime, offset};
use time::{Duration, PrimitiveDateTime, UtcOffset, Weekday};

mod cutoff;
pub use cutoff::{Cutoff, END_OF_DAY, MAX_DAYS, MAX_MINUTES, parse_until, until_for_form};

/// Japan has used UTC+9 all year since 1951, so a fixed offset is exact for every date we book.
const JST: UtcOffset = offset!(+9);

/// The unix epoch as a JST wall-clock time; differences from it are unix seconds.
const UNIX_EPOCH_JST: PrimitiveDateTime = datetime!(1970-01-01 09:00);

const SECONDS_PER_MINUTE: i64 = 60;

/// The JST wall-clock time at unix second `secs`.
///
/// Saturates at the limits of `time`'s calendar (years ±9999) instead of panicking: a
/// corrupted timestamp must not take a request down, and no real one gets near them.
pub fn jst_from_unix(secs: i64) -> PrimitiveDateTime {
    UNIX_EPOCH_JST.saturating_add(Duration::seconds(secs))
}

/// The unix second of a JST wall-clock time (sub-second parts are floored away).
pub fn unix_from_jst(local: PrimitiveDateTime) -> i64 {
    local.assume_offset(JST).unix_timestamp()
}

/// When a slot begins: `start_min` minutes after local midnight of `day`.
///
/// Minutes outside 0..1440 roll over into the neighbouring days rather than being rejected,
/// so a counter closing at "24:00" (1440) still has a well-defined end.
pub fn slot_start(day: time::Date, start_min: i32) -> PrimitiveDateTime {
    day.midnight()
        .saturating_add(Duration::minutes(i64::from(start_min)))
}

/// Expiry (unix seconds) of a hold of `ttl_min` minutes placed at `now_unix`.
///
/// A negative ttl is treated as 0 (the hold is expired at once) rather than expiring in the past.
pub fn hold_expiry(now_unix: i64, ttl_min: i32) -> i64 {
    now_unix.saturating_add(i64::from(ttl_min.max(0)) * SECONDS_PER_MINUTE)
}

/// New expiry when a resident asks for more time on a hold first placed at `placed_unix`
/// and now running until `expires_unix`: `now + ttl`, but never beyond `max_total_min` after
/// the hold was placed, so one browser tab cannot sit on a place forever. `None` when that
/// gives nothing more than the hold already has (the cap is reached), so the offer to
/// extend is not shown for an extension that would change nothing.
///
/// The cap is never below the first `ttl`, so that an extension can never shorten the
/// expiry the hold was given when it was placed, even if `max_total_min` is set below `ttl_min`.
/// The caller still checks that the hold it extends has not already expired.
pub fn extended_hold_expiry(
    placed_unix: i64,
    expires_unix: i64,
    now_unix: i64,
    ttl_min: i32,
    max_total_min: i32,
) -> Option<i64> {
    let cap = hold_cap(placed_unix, ttl_min, max_total_min);
    let wanted = hold_expiry(now_unix, ttl_min);
    let new_expiry = wanted.min(cap);
    (new_expiry > now_unix && new_expiry > expires_unix).then_some(new_expiry)
}

/// The latest a hold placed at `placed_unix` may ever run to (see [`extended_hold_expiry`]):
/// while its expiry is before this, the offer to extend it stands.
pub fn hold_cap(placed_unix: i64, ttl_min: i32, max_total_min: i32) -> i64 {
    hold_expiry(placed_unix, max_total_min.max(ttl_min))
}

/// "2026年12月1日(火) 09:30", as deadlines are written in Japanese notices and mails.
pub fn format_deadline_ja(t: PrimitiveDateTime) -> String {
    format!(
        "{}年{}月{}日({}) {}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        weekday_ja(t.weekday()),
        format_hhmm_ja(t)
    )
}

/// "09:30": 24-hour clock with a leading zero, as on the counter's own signage.
pub fn format_hhmm_ja(t: PrimitiveDateTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// The one-character weekday used in parentheses after Japanese dates.
fn weekday_ja(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "月",
        Weekday::Tuesday => "火",
        Weekday::Wednesday => "水",
        Weekday::Thursday => "木",
        Weekday::Friday => "金",
        Weekday::Saturday => "土",
        Weekday::Sunday => "日",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn unix_epoch_is_nine_in_the_morning_in_japan() {
        assert_eq!(jst_from_unix(0), datetime!(1970-01-01 09:00));
        assert_eq!(unix_from_jst(datetime!(1970-01-01 09:00)), 0);
    }

    #[test]
    fn known_timestamp_converts_both_ways() {
        // 2026-12-01 00:30:00 UTC
        assert_eq!(jst_from_unix(1_796_085_000), datetime!(2026-12-01 09:30));
        assert_eq!(unix_from_jst(datetime!(2026-12-01 09:30)), 1_796_085_000);
    }

    #[test]
    fn utc_afternoon_is_already_tomorrow_in_japan() {
        // 2026-12-31 15:00:00 UTC is New Year's midnight in Japan.
        assert_eq!(jst_from_unix(1_798_729_200), datetime!(2027-01-01 00:00));
        assert_eq!(jst_from_unix(1_798_729_199), datetime!(2026-12-31 23:59:59));
    }

    #[test]
    fn absurd_timestamps_saturate_instead_of_panicking() {
        assert_eq!(jst_from_unix(i64::MAX), PrimitiveDateTime::MAX);
        assert_eq!(jst_from_unix(i64::MIN), PrimitiveDateTime::MIN);
    }

    #[test]
    fn slot_start_counts_minutes_from_local_midnight() {
        assert_eq!(
            slot_start(date!(2026 - 12 - 01), 0),
            datetime!(2026-12-01 00:00)
        );
        assert_eq!(
            slot_start(date!(2026 - 12 - 01), 510),
            datetime!(2026-12-01 08:30)
        );
        assert_eq!(
            slot_start(date!(2026 - 12 - 31), 1440),
            datetime!(2027-01-01 00:00)
        );
    }

    #[test]
    fn hold_lasts_ttl_minutes() {
        assert_eq!(hold_expiry(1_000_000, 10), 1_000_600);
        assert_eq!(hold_expiry(1_000_000, 0), 1_000_000);
        assert_eq!(hold_expiry(1_000_000, -3), 1_000_000);
    }

    #[test]
    fn extension_pushes_expiry_to_now_plus_ttl() {
        // Placed at 0 with 10 min, extended at minute 8: expires at minute 18.
        assert_eq!(extended_hold_expiry(0, 600, 480, 10, 30), Some(1_080));
    }

    #[test]
    fn extension_is_capped_at_max_total_after_placement() {
        // At minute 25 a full 10 min would run to 35, past the 30-minute cap.
        assert_eq!(extended_hold_expiry(0, 1_680, 1_500, 10, 30), Some(1_800));
        // One second before the cap there is still one second to give.
        assert_eq!(extended_hold_expiry(0, 1_799, 1_799, 10, 30), Some(1_800));
    }

    #[test]
    fn no_extension_once_the_cap_is_reached() {
        assert_eq!(extended_hold_expiry(0, 1_800, 1_800, 10, 30), None);
        assert_eq!(extended_hold_expiry(0, 1_800, 5_000, 10, 30), None);
    }

    #[test]
    fn no_extension_once_the_hold_already_runs_to_the_cap() {
        // Extended at minute 25 to the 30-minute cap; at minute 26 there is nothing to add.
        assert_eq!(extended_hold_expiry(0, 1_800, 1_560, 10, 30), None);
        // Nor straight after placing, when now + ttl is the expiry it already has.
        assert_eq!(extended_hold_expiry(0, 600, 0, 10, 30), None);
    }

    #[test]
    fn extension_never_shortens_the_first_hold_when_cap_is_below_ttl() {
        // Misconfigured: max total 5 min but ttl 10 min. The first hold ran to minute 10;
        // an extension at minute 3 must not cut it back to minute 5.
        assert_eq!(hold_expiry(0, 10), 600);
        assert_eq!(extended_hold_expiry(0, 600, 180, 10, 5), None);
        assert_eq!(extended_hold_expiry(0, 600, 180, 10, 20), Some(780));
    }

    #[test]
    fn formats_deadline_in_japanese() {
        assert_eq!(
            format_deadline_ja(datetime!(2026-12-01 09:30)),
            "2026年12月1日(火) 09:30"
        );
        assert_eq!(
            format_deadline_ja(datetime!(2027-01-03 17:05:59)),
            "2027年1月3日(日) 17:05"
        );
        assert_eq!(
            format_deadline_ja(datetime!(2026-11-28 00:00)),
            "2026年11月28日(土) 00:00"
        );
    }

    #[test]
    fn every_weekday_has_its_kanji() {
        // 2026-11-30 is a Monday.
        let expected = ["月", "火", "水", "木", "金", "土", "日"];
        for (offset, kanji) in expected.iter().enumerate() {
            let t = datetime!(2026-11-30 12:00) + Duration::days(offset as i64);
            assert!(format_deadline_ja(t).contains(&format!("({kanji})")));
        }
    }

    #[test]
    fn formats_time_with_leading_zeros() {
        assert_eq!(format_hhmm_ja(datetime!(2026-12-01 09:30)), "09:30");
        assert_eq!(format_hhmm_ja(datetime!(2026-12-01 00:05)), "00:05");
        assert_eq!(format_hhmm_ja(datetime!(2026-12-01 23:59:59)), "23:59");
    }

    /// Roughly years 1900..2200: every timestamp the system could store.
    const PLAUSIBLE_UNIX: std::ops::Range<i64> = -2_208_988_800..7_258_118_400;

    proptest! {
        #[test]
        fn unix_round_trips_through_jst(secs in PLAUSIBLE_UNIX) {
            prop_assert_eq!(unix_from_jst(jst_from_unix(secs)), secs);
        }

        #[test]
        fn jst_round_trips_through_unix(secs in PLAUSIBLE_UNIX) {
            let local = jst_from_unix(secs);
            prop_assert_eq!(jst_from_unix(unix_from_jst(local)), local);
        }

        #[test]
        fn jst_is_utc_plus_nine(secs in PLAUSIBLE_UNIX) {
            let utc = time::OffsetDateTime::from_unix_timestamp(secs).unwrap();
            let jst = jst_from_unix(secs);
            prop_assert_eq!(jst - Duration::hours(9), PrimitiveDateTime::new(utc.date(), utc.time()));
        }

        #[test]
        fn extension_stays_within_cap_and_after_now(
            placed in 0i64..4_000_000_000,
            elapsed in 0i64..20_000,
            extra in 0i64..20_000,
            ttl in 1i32..60,
            max_total in 0i32..240,
        ) {
            let now = placed + elapsed;
            let cap = placed + i64::from(max_total.max(ttl)) * 60;
            // The hold runs until somewhere between its first expiry and the cap.
            let expires = (placed + i64::from(ttl) * 60 + extra).min(cap);
            match extended_hold_expiry(placed, expires, now, ttl, max_total) {
                Some(expiry) => {
                    prop_assert!(expiry > now);
                    prop_assert!(expiry > expires, "an extension always adds time");
                    prop_assert!(expiry <= cap);
                    prop_assert!(expiry <= now + i64::from(ttl) * 60);
                }
                None => prop_assert!(now >= cap || (now + i64::from(ttl) * 60).min(cap) <= expires),
            }
        }
    }
}
