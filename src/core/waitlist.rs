//! The cancellation-slot waitlist (issue 13; seed 001, キャンセル枠有効活用システム): when
//! 空き枠のお知らせ goes out, to whom, and which places it lists. Decided here without a clock
//! or a database; the job passes the present moment and what it read in.
//!
//! The notices go out at the municipality's set times (「1日3回、決まった時間に通知」), at most
//! [`MAX_NOTICES_PER_DAY`] a day. A set time the job missed (the server was down at 12:00)
//! is sent when it is back, as long as the next set time has not come; a day missed is not
//! made up the next morning: the places listed then are the morning's.
use time::{Date, PrimitiveDateTime, Time};

/// The seed's 「1日3回」: the most set times a day, so nobody gets more notices than that.
pub const MAX_NOTICES_PER_DAY: usize = 3;

/// The seed's three set times, as minutes after midnight (JST): 9:00, 12:00 and 18:00.
pub const DEFAULT_NOTICE_TIMES: [i32; 3] = [9 * 60, 12 * 60, 18 * 60];

/// The set time whose notice is due at `now`: the latest of `times` (minutes after midnight)
/// that has come today. None before the first one.
pub fn due_notice(times: &[i32], now: PrimitiveDateTime) -> Option<PrimitiveDateTime> {
    let minute = i32::from(now.hour()) * 60 + i32::from(now.minute());
    let at = times.iter().copied().filter(|t| *t <= minute).max()?;
    Some(at_minute(now.date(), at))
}

fn at_minute(day: Date, minute: i32) -> PrimitiveDateTime {
    let h = u8::try_from(minute / 60).unwrap_or(0);
    let m = u8::try_from(minute % 60).unwrap_or(0);
    PrimitiveDateTime::new(day, Time::from_hms(h, m, 0).unwrap_or(Time::MIDNIGHT))
}

/// Why the set times typed in the console were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimesProblem {
    /// No time at all: the waitlist would never be told of anything.
    Empty,
    /// More than [`MAX_NOTICES_PER_DAY`].
    TooMany,
    /// This part is not a time of day as HH:MM.
    NotATime(String),
}

/// Reads 「9:00、12:00、18:00」 (commas, 、, spaces; full-width digits too): the set times
/// in order, each once.
pub fn parse_notice_times(input: &str) -> Result<Vec<i32>, TimesProblem> {
    let mut times = Vec::new();
    for part in input
        .split(|c: char| c == ',' || c == '、' || c == '，' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        match super::reminders::parse_hhmm(part) {
            Some(t) => times.push(t),
            None => return Err(TimesProblem::NotATime(part.to_string())),
        }
    }
    times.sort_unstable();
    times.dedup();
    match times.len() {
        0 => Err(TimesProblem::Empty),
        n if n > MAX_NOTICES_PER_DAY => Err(TimesProblem::TooMany),
        _ => Ok(times),
    }
}

/// The set times as the console shows them: 「09:00、12:00、18:00」.
pub fn format_notice_times(times: &[i32]) -> String {
    times
        .iter()
        .map(|t| super::reminders::format_hhmm(*t))
        .collect::<Vec<_>>()
        .join("、")
}

/// What the job knows of one registrant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registrant {
    /// 「キャンセル枠発生通知を希望」.
    pub notify: bool,
    /// Booked through the waitlist already: no more notices (seed FAQ).
    pub booked: bool,
    /// Notices already sent today.
    pub sent_today: usize,
}

/// Whether a registrant is sent the notice of a set time that lists `places` places.
pub fn gets_notice(r: Registrant, places: usize) -> bool {
    r.notify && !r.booked && places > 0 && r.sent_today < MAX_NOTICES_PER_DAY
}

/// One freed place as the job reads it: the slot, its start, and how many are free in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FreedPlace {
    pub slot_id: i64,
    pub starts: PrimitiveDateTime,
    /// Capacity not taken by bookings or holds now.
    pub free: i32,
}

/// The places a notice (or the 空き枠 page) lists: still free, and still `bookable` (the
/// booking cut-off of their start), soonest first; each slot once.
pub fn listed(
    mut places: Vec<FreedPlace>,
    bookable: impl Fn(PrimitiveDateTime) -> bool,
) -> Vec<FreedPlace> {
    places.retain(|p| p.free > 0 && bookable(p.starts));
    places.sort_by_key(|p| (p.starts, p.slot_id));
    places.dedup_by_key(|p| p.slot_id);
    places
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_notice_due_is_the_latest_set_time_that_has_come_today() {
        let times = DEFAULT_NOTICE_TIMES;
        assert_eq!(due_notice(&times, datetime!(2026-12-02 08:59)), None);
        assert_eq!(
            due_notice(&times, datetime!(2026-12-02 09:00)),
            Some(datetime!(2026-12-02 09:00))
        );
        // Missed at noon (the server was down), sent at 12:40.
        assert_eq!(
            due_notice(&times, datetime!(2026-12-02 12:40)),
            Some(datetime!(2026-12-02 12:00))
        );
        assert_eq!(
            due_notice(&times, datetime!(2026-12-02 23:59)),
            Some(datetime!(2026-12-02 18:00))
        );
        // Yesterday's evening is not made up this morning.
        assert_eq!(due_notice(&times, datetime!(2026-12-03 00:30)), None);
        assert_eq!(due_notice(&[], datetime!(2026-12-03 12:00)), None);
    }

    #[test]
    fn set_times_are_read_as_typed_in_the_console() {
        assert_eq!(
            parse_notice_times("9:00、12:00，18:00"),
            Ok(vec![540, 720, 1080])
        );
        assert_eq!(
            parse_notice_times("１８:００ 9:00 9:00"),
            Ok(vec![540, 1080])
        );
        assert_eq!(parse_notice_times("  "), Err(TimesProblem::Empty));
        assert_eq!(
            parse_notice_times("8:00,9:00,10:00,11:00"),
            Err(TimesProblem::TooMany)
        );
        assert_eq!(
            parse_notice_times("9:00, 25:00"),
            Err(TimesProblem::NotATime("25:00".into()))
        );
        assert_eq!(format_notice_times(&[540, 1080]), "09:00、18:00");
    }

    #[test]
    fn only_opted_in_registrants_without_a_booking_get_a_notice_with_places() {
        let waiting = Registrant {
            notify: true,
            booked: false,
            sent_today: 0,
        };
        assert!(gets_notice(waiting, 1));
        assert!(!gets_notice(waiting, 0), "nothing to tell");
        assert!(!gets_notice(
            Registrant {
                notify: false,
                ..waiting
            },
            3
        ));
        assert!(!gets_notice(
            Registrant {
                booked: true,
                ..waiting
            },
            3
        ));
        assert!(!gets_notice(
            Registrant {
                sent_today: MAX_NOTICES_PER_DAY,
                ..waiting
            },
            3
        ));
    }

    #[test]
    fn a_notice_lists_free_places_after_the_cut_off_soonest_first_once_each() {
        let place = |slot_id, starts, free| FreedPlace {
            slot_id,
            starts,
            free,
        };
        let got = listed(
            vec![
                place(3, datetime!(2026-12-04 10:00), 1),
                place(1, datetime!(2026-12-03 10:00), 2),
                place(1, datetime!(2026-12-03 10:00), 2),
                place(2, datetime!(2026-12-03 09:00), 0),
                place(4, datetime!(2026-12-02 09:30), 1),
            ],
            |starts| starts >= datetime!(2026-12-02 10:00),
        );
        assert_eq!(
            got.iter().map(|p| p.slot_id).collect::<Vec<_>>(),
            vec![1, 3]
        );
    }
}
