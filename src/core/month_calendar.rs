//! The month calendar of bookable days (「←先月」「来月→」): months as values, month
//! arithmetic, the weeks of a month as rows of seven, and which months may be paged to.
//!
//! Nothing here knows about any one service: a page gives it the first and last day that
//! may be booked (for vaccination, the ticket's interval already applied) and a requested
//! month from the URL, and gets back what to draw and which links to show.

use std::fmt;

use time::{Date, Month, Weekday};

use crate::i18n::Lang;

/// A calendar month, such as 2027年1月. Ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    // Field order makes the derived ordering chronological.
    year: i32,
    /// 1..=12, kept as a number so that the type is `Ord` (`time::Month` is not).
    month: u8,
}

impl YearMonth {
    /// `None` when the month lies outside the dates `time` can represent.
    pub fn new(year: i32, month: Month) -> Option<YearMonth> {
        Date::from_calendar_date(year, month, 1).ok()?;
        Date::from_calendar_date(year, month, month.length(year)).ok()?;
        Some(YearMonth {
            year,
            month: u8::from(month),
        })
    }

    /// The month `day` falls in.
    pub fn of(day: Date) -> YearMonth {
        YearMonth {
            year: day.year(),
            month: u8::from(day.month()),
        }
    }

    /// Reads a month from a URL parameter: `2027-01` (or `2027-1`), surrounding spaces
    /// allowed. Anything else, a hand-edited or truncated URL included, is `None`, never a panic.
    pub fn parse(param: &str) -> Option<YearMonth> {
        let (year, month) = param.trim().split_once('-')?;
        if year.len() != 4 || !(1..=2).contains(&month.len()) {
            return None;
        }
        if !year
            .bytes()
            .chain(month.bytes())
            .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let month: u8 = month.parse().ok()?;
        YearMonth::new(year, Month::try_from(month).ok()?)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> Month {
        // The field is only ever set from a valid `Month`.
        Month::try_from(self.month).unwrap_or(Month::January)
    }

    /// The month's number, 1 for January: what Japanese labels print.
    pub fn month_number(self) -> u8 {
        self.month
    }

    /// Day 1 of the month.
    pub fn first_day(self) -> Date {
        // `new` and `of` only build months whose first and last days exist.
        Date::from_calendar_date(self.year, self.month(), 1).unwrap_or(Date::MIN)
    }

    /// The month's last day (28, 29, 30 or 31).
    pub fn last_day(self) -> Date {
        Date::from_calendar_date(self.year, self.month(), self.length()).unwrap_or(Date::MAX)
    }

    /// How many days the month has; February knows leap years.
    pub fn length(self) -> u8 {
        self.month().length(self.year)
    }

    pub fn contains(self, day: Date) -> bool {
        YearMonth::of(day) == self
    }

    /// Every day of the month, in order.
    pub fn days(self) -> impl Iterator<Item = Date> {
        let first = self.first_day();
        (0..self.length())
            .filter_map(move |offset| first.checked_add(time::Duration::days(i64::from(offset))))
    }

    /// The month `delta` months away; `None` beyond the calendar's limits.
    pub fn add_months(self, delta: i32) -> Option<YearMonth> {
        let index = self
            .year
            .checked_mul(12)?
            .checked_add(i32::from(self.month) - 1)?
            .checked_add(delta)?;
        let month = u8::try_from(index.rem_euclid(12) + 1).ok()?;
        YearMonth::new(index.div_euclid(12), Month::try_from(month).ok()?)
    }

    /// The following month (December → January of the next year).
    pub fn next(self) -> Option<YearMonth> {
        self.add_months(1)
    }

    /// The preceding month (January → December of the previous year).
    pub fn previous(self) -> Option<YearMonth> {
        self.add_months(-1)
    }

    /// The heading over the calendar: "2027年1月" / "January 2027".
    pub fn label(self, lang: Lang) -> String {
        match lang {
            Lang::Ja => format!("{}年{}月", self.year, self.month),
            Lang::En => format!("{} {}", self.month(), self.year),
        }
    }
}

/// The URL form, which [`YearMonth::parse`] reads back: "2027-01".
impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// `day` moved by `months` calendar months: the same day number in the target month, or
/// that month's last day when it is shorter (31 Jan + 1 month = 28 Feb, or 29 Feb in a
/// leap year; 29 Feb + 12 months = 28 Feb). `None` beyond the calendar's limits.
///
/// This is how Japanese vaccination guidance counts "〇か月後": the same date N months
/// later, and where that date does not exist, the last day of that month.
pub fn add_months(day: Date, months: i32) -> Option<Date> {
    let target = YearMonth::of(day).add_months(months)?;
    Date::from_calendar_date(target.year, target.month(), day.day().min(target.length())).ok()
}

/// Which weekday a calendar row starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WeekStart {
    /// 日 月 火 水 木 金 土: Japanese wall calendars and the vaccination booking calendars
    /// the seed manuals show start on Sunday. (Seed 003 shows the calendar only as a
    /// screenshot, so this is the Japanese convention rather than a word in the text.)
    #[default]
    Sunday,
    /// 月 … 日, as the card-pickup grid's weeks run; for a municipality that wants it.
    Monday,
}

impl WeekStart {
    /// The seven column headings in order.
    pub fn weekdays(self) -> [Weekday; 7] {
        let first = match self {
            WeekStart::Sunday => Weekday::Sunday,
            WeekStart::Monday => Weekday::Monday,
        };
        let mut day = first;
        std::array::from_fn(|_| {
            let this = day;
            day = day.next();
            this
        })
    }

    /// The column (0..7) a weekday falls in.
    pub fn column(self, weekday: Weekday) -> usize {
        usize::from(match self {
            WeekStart::Sunday => weekday.number_days_from_sunday(),
            WeekStart::Monday => weekday.number_days_from_monday(),
        })
    }
}

/// A month laid out as a calendar: rows of seven, blank (`None`) before day 1 and after
/// the last day. A month has four to six rows (February 2026 from Sunday fills exactly four).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthGrid {
    pub month: YearMonth,
    pub week_start: WeekStart,
    /// Column headings, in the order the cells run.
    pub weekdays: [Weekday; 7],
    pub weeks: Vec<[Option<Date>; 7]>,
}

impl MonthGrid {
    /// The same rows with something the page needs in each day's place (its mark, whether it
    /// can be chosen), blanks kept blank.
    pub fn map_days<T>(&self, mut f: impl FnMut(Date) -> T) -> Vec<[Option<T>; 7]> {
        self.weeks
            .iter()
            .map(|week| std::array::from_fn(|i| week[i].map(&mut f)))
            .collect()
    }
}

/// The weeks of `month`, each row starting on `week_start`.
pub fn month_grid(month: YearMonth, week_start: WeekStart) -> MonthGrid {
    let lead = week_start.column(month.first_day().weekday());
    let mut cells: Vec<Option<Date>> = vec![None; lead];
    cells.extend(month.days().map(Some));
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    let weeks = cells
        .chunks(7)
        .map(|row| std::array::from_fn(|i| row[i]))
        .collect();
    MonthGrid {
        month,
        week_start,
        weekdays: week_start.weekdays(),
        weeks,
    }
}

/// The month to draw and where 「←先月」「来月→」 lead (`None` = the link is not shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthPaging {
    pub shown: YearMonth,
    /// 「←先月」
    pub previous: Option<YearMonth>,
    /// 「来月→」
    pub next: Option<YearMonth>,
    /// The requested month lay outside the bookable months and was moved into them (a
    /// hand-edited or old URL); a page may redirect to the canonical URL of `shown`.
    pub clamped: bool,
}

/// Paging over the months from `first_bookable`'s to `last_bookable`'s. With no request the
/// calendar opens on the month of the first bookable day; a request before or after the
/// bookable months shows the nearest of them. A link exists only towards a month that still
/// holds a bookable day.
///
/// A window with `last_bookable` before `first_bookable` (nothing bookable: the ticket's
/// interval starts after the window ends) is treated as the first day's month alone, so the
/// page has a month to draw and no links; the page should say why nothing can be chosen.
pub fn month_paging(
    requested: Option<YearMonth>,
    first_bookable: Date,
    last_bookable: Date,
) -> MonthPaging {
    let first = YearMonth::of(first_bookable);
    let last = YearMonth::of(last_bookable.max(first_bookable));
    let shown = requested.unwrap_or(first).clamp(first, last);
    MonthPaging {
        shown,
        previous: (shown > first).then(|| shown.previous()).flatten(),
        next: (shown < last).then(|| shown.next()).flatten(),
        clamped: requested.is_some_and(|r| r != shown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn ym(year: i32, month: u8) -> YearMonth {
        YearMonth::new(year, Month::try_from(month).unwrap()).unwrap()
    }

    #[test]
    fn parses_the_url_form_and_prints_it_back() {
        assert_eq!(YearMonth::parse("2027-01"), Some(ym(2027, 1)));
        assert_eq!(YearMonth::parse("2027-1"), Some(ym(2027, 1)));
        assert_eq!(YearMonth::parse(" 2026-12 "), Some(ym(2026, 12)));
        assert_eq!(ym(2027, 1).to_string(), "2027-01");
        assert_eq!(ym(2026, 12).to_string(), "2026-12");
    }

    #[test]
    fn bad_month_parameters_are_none() {
        for bad in [
            "",
            "-",
            "2027",
            "2027-",
            "-01",
            "2027-00",
            "2027-13",
            "2027-001",
            "27-01",
            "02027-01",
            "2027/01",
            "2027-01-01",
            "２０２７-０１",
            "2027-+1",
            "+027-01",
            "2027--1",
            "abcd-ef",
            "2027-1a",
            "9999999999-01",
            "2027-01\u{0}",
        ] {
            assert_eq!(YearMonth::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn month_lengths_know_leap_years() {
        assert_eq!(ym(2027, 2).length(), 28);
        assert_eq!(ym(2028, 2).length(), 29);
        assert_eq!(ym(2100, 2).length(), 28);
        assert_eq!(ym(2000, 2).length(), 29);
        assert_eq!(ym(2027, 4).last_day(), date!(2027 - 04 - 30));
        assert_eq!(ym(2027, 12).last_day(), date!(2027 - 12 - 31));
        assert_eq!(ym(2028, 2).days().count(), 29);
        assert_eq!(ym(2028, 2).days().last(), Some(date!(2028 - 02 - 29)));
    }

    #[test]
    fn months_step_over_year_ends() {
        assert_eq!(ym(2026, 12).next(), Some(ym(2027, 1)));
        assert_eq!(ym(2027, 1).previous(), Some(ym(2026, 12)));
        assert_eq!(ym(2027, 1).add_months(-13), Some(ym(2025, 12)));
        assert_eq!(ym(2027, 1).add_months(24), Some(ym(2029, 1)));
        assert_eq!(ym(9999, 12).next(), None);
        assert_eq!(ym(-9999, 1).previous(), None);
        assert_eq!(ym(2027, 1).add_months(i32::MAX), None);
        assert_eq!(ym(2027, 1).add_months(i32::MIN), None);
    }

    #[test]
    fn adding_months_keeps_the_day_or_takes_the_month_end() {
        assert_eq!(
            add_months(date!(2027 - 01 - 31), 1),
            Some(date!(2027 - 02 - 28))
        );
        assert_eq!(
            add_months(date!(2028 - 01 - 31), 1),
            Some(date!(2028 - 02 - 29))
        );
        assert_eq!(
            add_months(date!(2028 - 02 - 29), 12),
            Some(date!(2029 - 02 - 28))
        );
        assert_eq!(
            add_months(date!(2028 - 02 - 29), 48),
            Some(date!(2032 - 02 - 29))
        );
        assert_eq!(
            add_months(date!(2026 - 08 - 30), 6),
            Some(date!(2027 - 02 - 28))
        );
        assert_eq!(
            add_months(date!(2026 - 05 - 01), 3),
            Some(date!(2026 - 08 - 01))
        );
        assert_eq!(
            add_months(date!(2026 - 11 - 30), 3),
            Some(date!(2027 - 02 - 28))
        );
        assert_eq!(
            add_months(date!(2026 - 12 - 31), 1),
            Some(date!(2027 - 01 - 31))
        );
        assert_eq!(
            add_months(date!(2027 - 03 - 31), -1),
            Some(date!(2027 - 02 - 28))
        );
        assert_eq!(add_months(date!(9999 - 12 - 01), 1), None);
        assert_eq!(add_months(Date::MAX, 1), None);
        assert_eq!(add_months(Date::MIN, -1), None);
    }

    #[test]
    fn labels_in_both_languages() {
        assert_eq!(ym(2027, 1).label(Lang::Ja), "2027年1月");
        assert_eq!(ym(2027, 1).label(Lang::En), "January 2027");
        assert_eq!(ym(2026, 12).label(Lang::Ja), "2026年12月");
    }

    #[test]
    fn week_headings_start_where_asked() {
        use Weekday::*;
        assert_eq!(
            WeekStart::Sunday.weekdays(),
            [
                Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday
            ]
        );
        assert_eq!(
            WeekStart::Monday.weekdays(),
            [
                Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday
            ]
        );
        assert_eq!(WeekStart::default(), WeekStart::Sunday);
    }

    #[test]
    fn january_2027_from_sunday() {
        // 2027-01-01 is a Friday.
        let g = month_grid(ym(2027, 1), WeekStart::Sunday);
        assert_eq!(g.weeks.len(), 6);
        assert_eq!(
            g.weeks[0],
            [
                None,
                None,
                None,
                None,
                None,
                Some(date!(2027 - 01 - 01)),
                Some(date!(2027 - 01 - 02))
            ]
        );
        assert_eq!(g.weeks[1][0], Some(date!(2027 - 01 - 03)));
        assert_eq!(g.weeks[5][0], Some(date!(2027 - 01 - 31)));
        assert_eq!(g.weeks[5][1..], [None; 6]);
    }

    #[test]
    fn january_2027_from_monday() {
        let g = month_grid(ym(2027, 1), WeekStart::Monday);
        assert_eq!(g.weeks.len(), 5);
        assert_eq!(g.weeks[0][..4], [None; 4]);
        assert_eq!(g.weeks[0][4], Some(date!(2027 - 01 - 01)));
        assert_eq!(g.weeks[4][6], Some(date!(2027 - 01 - 31)));
    }

    #[test]
    fn a_february_can_fill_exactly_four_rows() {
        // 2026-02-01 is a Sunday and 2026 is not a leap year.
        let g = month_grid(ym(2026, 2), WeekStart::Sunday);
        assert_eq!(g.weeks.len(), 4);
        assert!(g.weeks.iter().flatten().all(Option::is_some));
        // From Monday the 1st sits alone at the end of row one, so it takes five.
        let m = month_grid(ym(2026, 2), WeekStart::Monday);
        assert_eq!(m.weeks.len(), 5);
        assert_eq!(m.weeks[0][6], Some(date!(2026 - 02 - 01)));
    }

    #[test]
    fn a_leap_february_ends_on_the_29th() {
        let g = month_grid(ym(2028, 2), WeekStart::Sunday);
        let days: Vec<Date> = g.weeks.iter().flatten().flatten().copied().collect();
        assert_eq!(days.len(), 29);
        assert_eq!(days.last(), Some(&date!(2028 - 02 - 29)));
    }

    #[test]
    fn map_days_keeps_blanks() {
        let g = month_grid(ym(2027, 1), WeekStart::Sunday);
        let mapped = g.map_days(|d| d.day());
        assert_eq!(mapped[0][4], None);
        assert_eq!(mapped[0][5], Some(1));
        assert_eq!(mapped[5][0], Some(31));
    }

    #[test]
    fn opens_on_the_month_of_the_first_bookable_day() {
        let p = month_paging(None, date!(2026 - 12 - 20), date!(2027 - 02 - 10));
        assert_eq!(p.shown, ym(2026, 12));
        assert_eq!(p.previous, None);
        assert_eq!(p.next, Some(ym(2027, 1)));
        assert!(!p.clamped);
    }

    #[test]
    fn links_in_the_middle_and_at_the_end() {
        let (first, last) = (date!(2026 - 12 - 20), date!(2027 - 02 - 10));
        let mid = month_paging(Some(ym(2027, 1)), first, last);
        assert_eq!(
            (mid.previous, mid.next),
            (Some(ym(2026, 12)), Some(ym(2027, 2)))
        );
        let end = month_paging(Some(ym(2027, 2)), first, last);
        assert_eq!((end.previous, end.next), (Some(ym(2027, 1)), None));
        assert!(!end.clamped);
    }

    #[test]
    fn a_hand_edited_month_is_moved_into_the_window() {
        let (first, last) = (date!(2026 - 12 - 20), date!(2027 - 02 - 10));
        let before = month_paging(Some(ym(2020, 5)), first, last);
        assert_eq!(before.shown, ym(2026, 12));
        assert!(before.clamped);
        assert_eq!(before.previous, None);
        let after = month_paging(Some(ym(2031, 1)), first, last);
        assert_eq!(after.shown, ym(2027, 2));
        assert!(after.clamped);
        assert_eq!(after.next, None);
    }

    #[test]
    fn a_window_within_one_month_has_no_links() {
        let p = month_paging(None, date!(2027 - 01 - 05), date!(2027 - 01 - 31));
        assert_eq!((p.shown, p.previous, p.next), (ym(2027, 1), None, None));
    }

    #[test]
    fn an_empty_window_still_has_a_month_to_draw() {
        let p = month_paging(
            Some(ym(2027, 3)),
            date!(2027 - 03 - 15),
            date!(2027 - 02 - 01),
        );
        assert_eq!((p.shown, p.previous, p.next), (ym(2027, 3), None, None));
        assert!(!p.clamped);
    }

    #[test]
    fn paging_at_the_end_of_the_calendar_does_not_panic() {
        let p = month_paging(None, date!(9999 - 12 - 01), Date::MAX);
        assert_eq!((p.shown, p.next), (ym(9999, 12), None));
    }

    fn any_date() -> impl Strategy<Value = Date> {
        // 1900..2200: every day the system could plan.
        (2_415_021i32..2_524_594).prop_map(|jd| Date::from_julian_day(jd).unwrap())
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,12}") {
            let _ = YearMonth::parse(&s);
        }

        #[test]
        fn display_round_trips(day in any_date()) {
            let m = YearMonth::of(day);
            prop_assert_eq!(YearMonth::parse(&m.to_string()), Some(m));
        }

        #[test]
        fn grid_holds_every_day_once_in_its_column(day in any_date(), monday in any::<bool>()) {
            let start = if monday { WeekStart::Monday } else { WeekStart::Sunday };
            let g = month_grid(YearMonth::of(day), start);
            prop_assert!((4..=6).contains(&g.weeks.len()));
            let mut seen = Vec::new();
            for week in &g.weeks {
                for (col, cell) in week.iter().enumerate() {
                    if let Some(d) = cell {
                        prop_assert_eq!(d.weekday(), g.weekdays[col]);
                        seen.push(*d);
                    }
                }
            }
            let expected: Vec<Date> = YearMonth::of(day).days().collect();
            prop_assert_eq!(seen, expected);
            // No row is entirely blank.
            prop_assert!(g.weeks.iter().all(|w| w.iter().any(Option::is_some)));
        }

        #[test]
        fn add_months_lands_in_the_target_month_and_never_overshoots(day in any_date(), n in -240i32..240) {
            let moved = add_months(day, n).unwrap();
            prop_assert_eq!(YearMonth::of(moved), YearMonth::of(day).add_months(n).unwrap());
            prop_assert!(moved.day() <= day.day());
            prop_assert!(moved.day() == day.day() || moved == YearMonth::of(moved).last_day());
            if n > 0 { prop_assert!(moved > day); }
            if n < 0 { prop_assert!(moved < day); }
        }

        #[test]
        fn paging_stays_in_the_window_and_links_are_neighbours(
            first in any_date(),
            span in 0i64..400,
            requested in proptest::option::of(any_date()),
        ) {
            let last = first + time::Duration::days(span);
            let p = month_paging(requested.map(YearMonth::of), first, last);
            prop_assert!(p.shown >= YearMonth::of(first) && p.shown <= YearMonth::of(last));
            prop_assert_eq!(p.previous.is_some(), p.shown > YearMonth::of(first));
            prop_assert_eq!(p.next.is_some(), p.shown < YearMonth::of(last));
            if let Some(prev) = p.previous { prop_assert_eq!(prev.next(), Some(p.shown)); }
            if let Some(next) = p.next { prop_assert_eq!(next.previous(), Some(p.shown)); }
            prop_assert_eq!(p.clamped, requested.is_some_and(|r| YearMonth::of(r) != p.shown));
        }
    }
}
