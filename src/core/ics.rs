//! iCalendar (RFC 5545) for one booked visit, attached to confirmation mails so residents
//! can put the visit in their phone's calendar. Pure: the caller supplies every value.
//!
//! Times are written in UTC (`...Z`), converted from JST, so no VTIMEZONE is needed and
//! every calendar shows the visit at the right local time wherever the phone thinks it is.
use time::PrimitiveDateTime;

/// One visit. `start` and `end` are JST wall-clock times; `stamp_unix` is when the
/// calendar object was made (DTSTAMP).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    pub uid: String,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub start: PrimitiveDateTime,
    pub end: PrimitiveDateTime,
    pub stamp_unix: i64,
    /// False for the calendar file of a cancellation mail: it removes the visit.
    pub cancelled: bool,
}

/// SEQUENCE counts revisions of one UID, and a calendar keeps the highest it has seen. The
/// seconds since this instant (2023-11-14) grow with every change of a booking without
/// storing a counter, and stay inside iCalendar's 32-bit INTEGER until the 2090s.
const SEQUENCE_EPOCH: i64 = 1_700_000_000;

pub const PRODID: &str = "-//Madoguchi//Madoguchi Appointment Booking//JA";

/// RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
const MAX_LINE_OCTETS: usize = 75;

/// The whole VCALENDAR text: CRLF line endings, TEXT values escaped, long lines folded.
pub fn to_ics(e: &CalendarEvent) -> String {
    let start = utc_stamp(crate::core::deadline::unix_from_jst(e.start));
    let end = utc_stamp(crate::core::deadline::unix_from_jst(e.end));
    let (method, status) = if e.cancelled {
        ("CANCEL", "CANCELLED")
    } else {
        ("PUBLISH", "CONFIRMED")
    };
    let sequence = (e.stamp_unix - SEQUENCE_EPOCH).clamp(0, i64::from(i32::MAX));
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        format!("PRODID:{PRODID}"),
        "VERSION:2.0".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        format!("METHOD:{method}"),
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", escape_text(&e.uid)),
        format!("SEQUENCE:{sequence}"),
        format!("STATUS:{status}"),
        format!("DTSTAMP:{}", utc_stamp(e.stamp_unix)),
        format!("DTSTART:{start}"),
        format!("DTEND:{end}"),
        format!("SUMMARY:{}", escape_text(&e.summary)),
        format!("LOCATION:{}", escape_text(&e.location)),
        format!("DESCRIPTION:{}", escape_text(&e.description)),
        "END:VEVENT".to_string(),
        "END:VCALENDAR".to_string(),
    ];
    let mut out = String::new();
    for line in &lines {
        fold_into(line, &mut out);
    }
    out
}

/// A unix second as an iCalendar UTC DATE-TIME, e.g. `20261201T000000Z`. A timestamp
/// outside `time`'s calendar (no real one is) is written as the epoch rather than panicking.
fn utc_stamp(unix: i64) -> String {
    let t =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// RFC 5545 3.3.11 TEXT: backslash, semicolon and comma are escaped with a backslash, a
/// line break (CRLF, LF or CR) becomes `\n`. Other control characters are not allowed in
/// TEXT and are dropped (a tab is kept).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (RFC 5545 3.1) and its CRLF. A continuation line
/// starts with one space, which counts towards its 75 octets. Folding happens only between
/// characters, so a multi-byte UTF-8 character (3 octets for most Japanese) is never split.
fn fold_into(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn event() -> CalendarEvent {
        CalendarEvent {
            uid: "booking-42@madoguchi.example.jp".into(),
            summary: "マイナンバーカード受取".into(),
            location: "本庁舎 1階, 市民課".into(),
            description: "受付番号: A1B2C3\n交付通知書をお持ちください; 当日".into(),
            start: datetime!(2026-12-01 09:00),
            end: datetime!(2026-12-01 09:30),
            // 2026-11-21 12:00:00 UTC
            stamp_unix: 1_795_262_400,
            cancelled: false,
        }
    }

    #[test]
    fn a_later_revision_has_a_higher_sequence_and_a_cancellation_cancels() {
        let first = to_ics(&event());
        let mut moved = event();
        moved.stamp_unix += 3_600;
        let mut cancelled = moved.clone();
        cancelled.stamp_unix += 60;
        cancelled.cancelled = true;
        let seq = |ics: &str| -> i64 {
            ics.lines()
                .find_map(|l| l.strip_prefix("SEQUENCE:"))
                .unwrap()
                .parse()
                .unwrap()
        };
        assert!(seq(&to_ics(&moved)) > seq(&first));
        let cancel = to_ics(&cancelled);
        assert!(seq(&cancel) > seq(&to_ics(&moved)));
        assert!(cancel.contains("METHOD:CANCEL\r\n") && cancel.contains("STATUS:CANCELLED\r\n"));
        assert!(first.contains("METHOD:PUBLISH\r\n") && first.contains("STATUS:CONFIRMED\r\n"));
    }

    #[test]
    fn whole_calendar_is_exact() {
        // DESCRIPTION reaches 75 octets just after `\;`: the space before 当日 starts the
        // continuation line, after the one space that marks it as a continuation.
        let expected = "BEGIN:VCALENDAR\r\n\
            PRODID:-//Madoguchi//Madoguchi Appointment Booking//JA\r\n\
            VERSION:2.0\r\n\
            CALSCALE:GREGORIAN\r\n\
            METHOD:PUBLISH\r\n\
            BEGIN:VEVENT\r\n\
            UID:booking-42@madoguchi.example.jp\r\n\
            SEQUENCE:95262400\r\n\
            STATUS:CONFIRMED\r\n\
            DTSTAMP:20261121T120000Z\r\n\
            DTSTART:20261201T000000Z\r\n\
            DTEND:20261201T003000Z\r\n\
            SUMMARY:マイナンバーカード受取\r\n\
            LOCATION:本庁舎 1階\\, 市民課\r\n\
            DESCRIPTION:受付番号: A1B2C3\\n交付通知書をお持ちください\\;\r\n  当日\r\n\
            END:VEVENT\r\n\
            END:VCALENDAR\r\n";
        assert_eq!(to_ics(&event()), expected);
    }

    #[test]
    fn jst_converts_to_utc_across_midnight_and_year_end() {
        let mut e = event();
        // 08:30 JST is 23:30 UTC the previous day; New Year's morning goes back a year.
        e.start = datetime!(2027-01-01 08:30);
        e.end = datetime!(2027-01-01 09:15);
        let ics = to_ics(&e);
        assert!(ics.contains("\r\nDTSTART:20261231T233000Z\r\n"), "{ics}");
        assert!(ics.contains("\r\nDTEND:20270101T001500Z\r\n"), "{ics}");
    }

    #[test]
    fn text_escaping() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(escape_text("1\r\n2\n3\r4"), r"1\n2\n3\n4");
        assert_eq!(escape_text("tab\there\u{7}bell"), "tab\therebell");
        assert_eq!(escape_text("窓口:本庁舎"), "窓口:本庁舎");
    }

    #[test]
    fn folds_ascii_at_75_octets() {
        let mut out = String::new();
        fold_into(&format!("DESCRIPTION:{}", "x".repeat(200)), &mut out);
        let lines: Vec<&str> = out.strip_suffix("\r\n").unwrap().split("\r\n").collect();
        assert_eq!(lines[0].len(), 75);
        assert_eq!(lines[1].len(), 75);
        assert!(lines[1].starts_with(' '));
        assert_eq!(lines.len(), 3);
        // "DESCRIPTION:" + 200 = 212 octets = 75 + 74 + 63.
        assert_eq!(lines[2].len(), 1 + 63);
    }

    #[test]
    fn folds_japanese_without_splitting_characters() {
        let mut out = String::new();
        // 8 ASCII octets + 40 three-octet characters.
        let line = format!("SUMMARY:あ{}", "い".repeat(39));
        fold_into(&line, &mut out);
        // 8 + 3*22 = 74 octets fit on the first line; the 23rd character would make 77.
        let expected = format!("SUMMARY:あ{}\r\n {}\r\n", "い".repeat(21), "い".repeat(18));
        assert_eq!(out, expected);
    }

    #[test]
    fn every_line_is_short_and_unfolding_gives_back_the_text() {
        let mut e = event();
        e.description = "ご来庁の際は、交付通知書(はがき)と本人確認書類をお持ちください。\n\
                         受付番号とパスワードは予約の照会・変更・取消しに必要です。"
            .repeat(3);
        let ics = to_ics(&e);
        assert!(ics.ends_with("\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "too long: {line:?} ({})", line.len());
            assert!(!line.contains('\n') && !line.contains('\r'));
        }
        // Unfolding (RFC 5545 3.1): remove every CRLF followed by one space.
        let unfolded = ics.replace("\r\n ", "");
        let description = unfolded
            .split("\r\n")
            .find(|l| l.starts_with("DESCRIPTION:"))
            .unwrap();
        assert_eq!(
            description,
            format!("DESCRIPTION:{}", escape_text(&e.description))
        );
    }
}
