//! Availability marks ○ / △ / × (「予約の空き状況が〇△×で表示されます」, seed 003) from free
//! and total places, by a municipality's thresholds, with the words a screen reader says.
//!
//! The same function serves a slot, a venue's day, a day across venues and a venue over
//! the whole window: the caller sums the [`Places`] it means. It should count only places
//! a resident could actually choose (slots not yet started, inside the booking window), or
//! a day whose open slots are all past would still show ○.

use std::fmt;
use std::iter::Sum;
use std::ops::Add;

use serde::Serialize;

use crate::i18n::Lang;

/// Free and total places of whatever is being marked. `free <= total` always holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Places {
    free: u32,
    total: u32,
}

impl Places {
    /// `free` above `total` is clamped to `total`: more free places than exist is bad data,
    /// and showing it as fully free is the least wrong reading.
    pub fn new(free: u32, total: u32) -> Places {
        Places {
            free: free.min(total),
            total,
        }
    }

    /// From a slot's stored `capacity` and `taken` (signed columns). Negative values count as
    /// 0, and an over-booked slot (capacity lowered after bookings were made) is simply full.
    pub fn from_capacity(capacity: i32, taken: i32) -> Places {
        let total = u32::try_from(capacity).unwrap_or(0);
        let taken = u32::try_from(taken).unwrap_or(0);
        Places::new(total.saturating_sub(taken), total)
    }

    pub fn free(self) -> u32 {
        self.free
    }

    pub fn total(self) -> u32 {
        self.total
    }

    /// Nothing is offered at all (no slots, a closed day).
    pub fn is_closed(self) -> bool {
        self.total == 0
    }
}

/// Sums saturate: no real day gets near `u32::MAX` places, and a sum must never wrap to "free".
impl Add for Places {
    type Output = Places;
    fn add(self, other: Places) -> Places {
        Places::new(
            self.free.saturating_add(other.free),
            self.total.saturating_add(other.total),
        )
    }
}

impl Sum for Places {
    fn sum<I: Iterator<Item = Places>>(iter: I) -> Places {
        iter.fold(Places::default(), Add::add)
    }
}

/// The mark shown for a day, a venue or a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    /// ○: places free.
    Plenty,
    /// △: only a few places left (by the municipality's thresholds), still bookable.
    Few,
    /// ×: every place taken.
    Full,
    /// －: nothing offered (closed, no slots). Not one of the manual's three marks; shown so
    /// that a closed day does not read as a full one.
    Closed,
}

impl Mark {
    /// In the order a legend lists them.
    pub const ALL: [Mark; 4] = [Mark::Plenty, Mark::Few, Mark::Full, Mark::Closed];

    /// The visible symbol. ○ is U+25CB (WHITE CIRCLE), not U+3007 〇 which some screen
    /// readers say as "zero"; the symbol should be `aria-hidden` with [`Mark::label`] beside it.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Plenty => "○",
            Mark::Few => "△",
            Mark::Full => "×",
            Mark::Closed => "－",
        }
    }

    /// What a screen reader says (and a legend explains) for the mark.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Mark::Plenty, Lang::Ja) => "空きあり",
            (Mark::Few, Lang::Ja) => "残りわずか",
            (Mark::Full, Lang::Ja) => "空きなし",
            (Mark::Closed, Lang::Ja) => "受付なし",
            (Mark::Plenty, Lang::En) => "Available",
            (Mark::Few, Lang::En) => "Few left",
            (Mark::Full, Lang::En) => "Full",
            (Mark::Closed, Lang::En) => "Not open",
        }
    }

    /// The stable name for CSS classes and tests: "plenty", "few", "full", "closed".
    pub fn code(self) -> &'static str {
        match self {
            Mark::Plenty => "plenty",
            Mark::Few => "few",
            Mark::Full => "full",
            Mark::Closed => "closed",
        }
    }

    /// ○ and △ may be pressed (「〇または△を押してください」); × and － may not.
    pub fn is_choosable(self) -> bool {
        matches!(self, Mark::Plenty | Mark::Few)
    }

    /// Everything a template needs to draw the mark, in `lang`.
    pub fn view(self, lang: Lang) -> MarkView {
        MarkView {
            code: self.code(),
            symbol: self.symbol(),
            label: self.label(lang),
            choosable: self.is_choosable(),
        }
    }
}

/// A mark ready for a template: `<span aria-hidden="true">{{symbol}}</span><span class="sr-label">{{label}}</span>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MarkView {
    pub code: &'static str,
    pub symbol: &'static str,
    pub label: &'static str,
    pub choosable: bool,
}

/// A municipality's rule for △. Either test may be switched off; when both are on, △ shows
/// as soon as either says "few". × is always "no place free" and is not configurable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MarkThresholds {
    /// △ while the free share is strictly below this percentage of the total (20 → △ at
    /// 19.9 %, ○ at exactly 20 %). 0 switches the test off.
    few_below_percent: u8,
    /// △ while at most this many places are free ("△ when 5 or fewer"); `None` = off.
    few_at_or_below: Option<u32>,
}

/// The example of the issue: △ below 20 % free.
impl Default for MarkThresholds {
    fn default() -> Self {
        MarkThresholds {
            few_below_percent: 20,
            few_at_or_below: None,
        }
    }
}

/// A threshold an administrator entered that cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdError {
    PercentAbove100 { got: u32 },
}

impl fmt::Display for ThresholdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThresholdError::PercentAbove100 { got } => write!(
                f,
                "「残りわずか(△)」の割合は0から100までの数で入力してください(入力されたのは{got}です)。"
            ),
        }
    }
}

impl std::error::Error for ThresholdError {}

impl MarkThresholds {
    /// `percent` 0..=100 (0 = off); `at_or_below` `None` = off.
    pub fn new(percent: u32, at_or_below: Option<u32>) -> Result<MarkThresholds, ThresholdError> {
        let few_below_percent = u8::try_from(percent)
            .ok()
            .filter(|p| *p <= 100)
            .ok_or(ThresholdError::PercentAbove100 { got: percent })?;
        Ok(MarkThresholds {
            few_below_percent,
            few_at_or_below: at_or_below,
        })
    }

    pub fn few_below_percent(self) -> u8 {
        self.few_below_percent
    }

    pub fn few_at_or_below(self) -> Option<u32> {
        self.few_at_or_below
    }

    /// The mark for `places`: － when nothing is offered, × when nothing is free, △ when the
    /// thresholds say few, otherwise ○.
    ///
    /// The percentage is compared exactly in integers (`free × 100 < percent × total`), so
    /// there is no rounding at the boundary: 1 of 5 free is exactly 20 % and shows ○ under
    /// "below 20 %". With very few places a share reads coarsely (1 of 3 free is 33 %, ○);
    /// the absolute threshold is for municipalities that want △ there.
    pub fn mark(self, places: Places) -> Mark {
        if places.is_closed() {
            return Mark::Closed;
        }
        if places.free == 0 {
            return Mark::Full;
        }
        let below_share = u64::from(places.free) * 100
            < u64::from(self.few_below_percent) * u64::from(places.total);
        let few_left = self.few_at_or_below.is_some_and(|n| places.free <= n);
        if below_share || few_left {
            Mark::Few
        } else {
            Mark::Plenty
        }
    }

    /// The rule in words for the settings page and the legend: "空きが20%未満" /
    /// "空きが20%未満または5以下"; `None` when △ is never shown.
    pub fn describe_ja(self) -> Option<String> {
        let share =
            (self.few_below_percent > 0).then(|| format!("{}%未満", self.few_below_percent));
        let count = self
            .few_at_or_below
            .filter(|n| *n > 0)
            .map(|n| format!("{n}以下"));
        match (share, count) {
            (Some(s), Some(c)) => Some(format!("空きが{s}または{c}")),
            (Some(x), None) | (None, Some(x)) => Some(format!("空きが{x}")),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(free: u32, total: u32) -> Places {
        Places::new(free, total)
    }

    fn t(percent: u32, at_or_below: Option<u32>) -> MarkThresholds {
        MarkThresholds::new(percent, at_or_below).unwrap()
    }

    #[test]
    fn default_is_few_below_twenty_percent() {
        let d = MarkThresholds::default();
        assert_eq!(d.mark(p(10, 10)), Mark::Plenty);
        assert_eq!(d.mark(p(3, 10)), Mark::Plenty);
        assert_eq!(
            d.mark(p(2, 10)),
            Mark::Plenty,
            "exactly 20 % is not below it"
        );
        assert_eq!(d.mark(p(1, 10)), Mark::Few);
        assert_eq!(d.mark(p(0, 10)), Mark::Full);
    }

    #[test]
    fn boundary_is_exact_not_rounded() {
        let d = MarkThresholds::default();
        // 20 % of 7 is 1.4 places.
        assert_eq!(d.mark(p(1, 7)), Mark::Few);
        assert_eq!(d.mark(p(2, 7)), Mark::Plenty);
        // 1 of 5 is exactly 20 %.
        assert_eq!(d.mark(p(1, 5)), Mark::Plenty);
        // 199 of 1000 is 19.9 %, which would round to 20 %.
        assert_eq!(d.mark(p(199, 1000)), Mark::Few);
        assert_eq!(d.mark(p(200, 1000)), Mark::Plenty);
        // Few places: one of three left reads as a third free.
        assert_eq!(d.mark(p(1, 3)), Mark::Plenty);
        assert_eq!(d.mark(p(1, 1)), Mark::Plenty);
    }

    #[test]
    fn nothing_offered_is_closed_and_everything_taken_is_full() {
        let d = MarkThresholds::default();
        assert_eq!(d.mark(p(0, 0)), Mark::Closed);
        assert_eq!(d.mark(Places::default()), Mark::Closed);
        assert_eq!(d.mark(p(0, 1)), Mark::Full);
        assert_eq!(d.mark(p(0, 5000)), Mark::Full);
        assert_eq!(t(0, None).mark(p(0, 3)), Mark::Full);
        assert_eq!(t(0, None).mark(p(0, 0)), Mark::Closed);
    }

    #[test]
    fn absolute_threshold() {
        let five = t(0, Some(5));
        assert_eq!(five.mark(p(6, 100)), Mark::Plenty);
        assert_eq!(five.mark(p(5, 100)), Mark::Few);
        assert_eq!(five.mark(p(1, 100)), Mark::Few);
        assert_eq!(five.mark(p(0, 100)), Mark::Full);
        assert_eq!(
            five.mark(p(3, 3)),
            Mark::Few,
            "few places, all free, are still few"
        );
        assert_eq!(t(0, Some(0)).mark(p(1, 100)), Mark::Plenty);
    }

    #[test]
    fn either_threshold_gives_few() {
        let both = t(20, Some(5));
        assert_eq!(both.mark(p(5, 10)), Mark::Few, "by count");
        assert_eq!(both.mark(p(10, 100)), Mark::Few, "by share");
        assert_eq!(both.mark(p(30, 100)), Mark::Plenty);
    }

    #[test]
    fn percent_switched_off_or_at_its_limits() {
        assert_eq!(t(0, None).mark(p(1, 1000)), Mark::Plenty);
        // 100 %: anything less than all free is few.
        assert_eq!(t(100, None).mark(p(9, 10)), Mark::Few);
        assert_eq!(t(100, None).mark(p(10, 10)), Mark::Plenty);
        assert_eq!(
            MarkThresholds::new(101, None),
            Err(ThresholdError::PercentAbove100 { got: 101 })
        );
        assert_eq!(
            MarkThresholds::new(u32::MAX, None),
            Err(ThresholdError::PercentAbove100 { got: u32::MAX })
        );
        assert!(
            ThresholdError::PercentAbove100 { got: 101 }
                .to_string()
                .contains("0から100")
        );
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        let d = MarkThresholds::default();
        assert_eq!(d.mark(p(u32::MAX, u32::MAX)), Mark::Plenty);
        assert_eq!(d.mark(p(1, u32::MAX)), Mark::Few);
    }

    #[test]
    fn places_from_stored_counts() {
        assert_eq!(Places::from_capacity(5, 2), p(3, 5));
        assert_eq!(Places::from_capacity(5, 5), p(0, 5));
        assert_eq!(Places::from_capacity(3, 5), p(0, 3), "over-booked is full");
        assert_eq!(Places::from_capacity(-1, 0), p(0, 0));
        assert_eq!(Places::from_capacity(4, -2), p(4, 4));
        assert_eq!(Places::new(9, 4), p(4, 4));
    }

    #[test]
    fn places_sum_over_slots_and_venues() {
        let day: Places = [(5, 5), (5, 4), (5, 1)]
            .into_iter()
            .map(|(c, t)| Places::from_capacity(c, t))
            .sum();
        assert_eq!(day, p(5, 15));
        let none: Places = std::iter::empty().sum();
        assert!(none.is_closed());
        assert_eq!(p(u32::MAX, u32::MAX) + p(1, 1), p(u32::MAX, u32::MAX));
    }

    #[test]
    fn marks_have_symbols_and_words_in_both_languages() {
        assert_eq!(Mark::ALL.map(Mark::symbol), ["○", "△", "×", "－"]);
        assert_eq!(
            Mark::ALL.map(|m| m.label(Lang::Ja)),
            ["空きあり", "残りわずか", "空きなし", "受付なし"]
        );
        assert_eq!(
            Mark::ALL.map(|m| m.label(Lang::En)),
            ["Available", "Few left", "Full", "Not open"]
        );
        assert_eq!(
            Mark::ALL.map(Mark::is_choosable),
            [true, true, false, false]
        );
        let v = Mark::Few.view(Lang::En);
        assert_eq!(
            (v.code, v.symbol, v.label, v.choosable),
            ("few", "△", "Few left", true)
        );
        assert_eq!(
            serde_json::to_value(Mark::Plenty).unwrap(),
            serde_json::json!("plenty")
        );
        assert_eq!(
            serde_json::to_value(Mark::Closed.view(Lang::Ja)).unwrap(),
            serde_json::json!({"code": "closed", "symbol": "－", "label": "受付なし", "choosable": false})
        );
    }

    #[test]
    fn thresholds_in_words() {
        assert_eq!(
            MarkThresholds::default().describe_ja().as_deref(),
            Some("空きが20%未満")
        );
        assert_eq!(
            t(20, Some(5)).describe_ja().as_deref(),
            Some("空きが20%未満または5以下")
        );
        assert_eq!(t(0, Some(5)).describe_ja().as_deref(), Some("空きが5以下"));
        assert_eq!(t(0, None).describe_ja(), None);
        assert_eq!(t(0, Some(0)).describe_ja(), None);
    }

    proptest! {
        #[test]
        fn marks_follow_their_definitions(free in 0u32..2000, total in 0u32..2000, percent in 0u32..=100, count in proptest::option::of(0u32..50)) {
            let places = Places::new(free, total);
            let mark = t(percent, count).mark(places);
            let free = places.free();
            match mark {
                Mark::Closed => prop_assert_eq!(total, 0),
                Mark::Full => prop_assert!(total > 0 && free == 0),
                Mark::Few => prop_assert!(free > 0 && (
                    f64::from(free) / f64::from(total) < f64::from(percent) / 100.0
                    || count.is_some_and(|n| free <= n))),
                Mark::Plenty => prop_assert!(free > 0
                    && f64::from(free) / f64::from(total) >= f64::from(percent) / 100.0
                    && count.is_none_or(|n| free > n)),
            }
            prop_assert_eq!(mark.is_choosable(), free > 0);
        }

        #[test]
        fn more_free_places_never_make_the_mark_worse(free in 0u32..500, extra in 0u32..500, total in 1u32..1000, percent in 0u32..=100, count in proptest::option::of(0u32..50)) {
            let rank = |m: Mark| match m { Mark::Closed | Mark::Full => 0, Mark::Few => 1, Mark::Plenty => 2 };
            let th = t(percent, count);
            let less = th.mark(Places::new(free, total));
            let more = th.mark(Places::new(free.saturating_add(extra), total));
            prop_assert!(rank(more) >= rank(less));
        }
    }
}
