//! The 予約日選択 grid as a template sees it: both widths (two weeks for wide screens,
//! one week for phones, switched by CSS), each with its own paging links.
use serde::Serialize;
use time::Date;

use crate::core::grid::{self, BookingRules, Cell, GridWidth, SlotView};
use crate::core::{deadline, holidays};
use crate::db::DbError;
use crate::db::slots;
use crate::i18n::{self, Lang, Msg};

#[derive(Serialize)]
pub struct DayHeader {
    iso: String,
    /// "12/1"
    label: String,
    /// "火"
    weekday: String,
    /// "12月1日(火)" for screen readers
    long: String,
    /// weekday, saturday, sunday or holiday: colour and a word, never colour alone
    kind: &'static str,
}

#[derive(Serialize)]
pub struct CellView {
    /// select, full, closed, past or empty
    kind: &'static str,
    slot_id: Option<i64>,
    free: i32,
    /// What a screen reader says for a button: "12月1日(火) 09:00 空き2".
    label: String,
    /// Bookable but already past the change/cancel deadline: marked ※ in the cell.
    late: bool,
}

#[derive(Serialize)]
pub struct RowView {
    time: String,
    cells: Vec<CellView>,
}

#[derive(Serialize)]
pub struct GridView {
    /// wide or narrow: CSS shows one of the two
    width: &'static str,
    width_label: String,
    /// how far << and >> move
    far_label: String,
    days: Vec<DayHeader>,
    rows: Vec<RowView>,
    prev: Option<String>,
    next: Option<String>,
    prev_far: Option<String>,
    next_far: Option<String>,
    range: String,
    has_selectable: bool,
    /// Some selectable cell is past the change/cancel deadline: the legend for ※ is shown.
    has_late: bool,
    /// What a screen reader hears on a cell without a button, resolved once per grid
    /// rather than once per cell.
    sr_none: String,
    sr_full: String,
    sr_closed: String,
}

#[derive(Serialize)]
pub struct GridPair {
    pub wide: GridView,
    pub narrow: GridView,
}

/// "12月1日(火)" / "Tue, December 1": a day said in full (screen readers, the range).
fn day_long(lang: Lang, d: Date) -> String {
    Msg::new("grid-day-long")
        .arg("month", d.month() as u8)
        .arg("monthname", d.month().to_string())
        .arg("day", d.day())
        .arg("weekday", i18n::weekday_short(lang, d))
        .resolve(lang)
}

fn day_header(lang: Lang, d: Date) -> DayHeader {
    let weekday = i18n::weekday_short(lang, d);
    let kind = if holidays::is_national_holiday(d) {
        "holiday"
    } else {
        match d.weekday() {
            time::Weekday::Saturday => "saturday",
            time::Weekday::Sunday => "sunday",
            _ => "weekday",
        }
    };
    DayHeader {
        iso: d.to_string(),
        label: format!("{}/{}", d.month() as u8, d.day()),
        long: day_long(lang, d),
        weekday,
        kind,
    }
}

fn view(
    slots: &[SlotView],
    party: i32,
    rules: &BookingRules,
    width: GridWidth,
    page: grid::GridPage,
) -> GridView {
    let lang = Lang::current();
    let g = grid::build_grid(slots, party, rules, page.first_day, page.days);
    let days: Vec<DayHeader> = g.days.iter().map(|d| day_header(lang, *d)).collect();
    let mut labels = CellLabels::new(lang);
    let late_label = lang.t("grid-cell-late");
    let rows: Vec<RowView> = g
        .times
        .iter()
        .zip(&g.rows)
        .map(|((start, _end), cells)| {
            let time = grid::format_hhmm(*start);
            let cells = cells
                .iter()
                .zip(&days)
                .map(|(cell, day)| match cell {
                    Cell::Selectable {
                        slot_id,
                        free,
                        past_change_deadline,
                    } => CellView {
                        kind: "select",
                        slot_id: Some(*slot_id),
                        free: *free,
                        label: if *past_change_deadline {
                            format!("{} {}", labels.open(*free, &day.long, &time), late_label)
                        } else {
                            labels.open(*free, &day.long, &time)
                        },
                        late: *past_change_deadline,
                    },
                    Cell::Unavailable { free, reason } => CellView {
                        kind: match reason {
                            grid::Unavailability::Full => "full",
                            grid::Unavailability::GroupDoesNotFit => "closed",
                            grid::Unavailability::Past | grid::Unavailability::BeyondWindow => {
                                "past"
                            }
                        },
                        slot_id: None,
                        free: *free,
                        label: String::new(),
                        late: false,
                    },
                    Cell::Empty => CellView {
                        kind: "empty",
                        slot_id: None,
                        free: 0,
                        label: String::new(),
                        late: false,
                    },
                })
                .collect();
            RowView { time, cells }
        })
        .collect();
    let last = page
        .first_day
        .saturating_add(time::Duration::days(i64::from(page.days) - 1));
    let (width, width_label, far_label) = match width {
        GridWidth::Wide => ("wide", lang.t("grid-wide"), lang.t("grid-far-wide")),
        GridWidth::Narrow => ("narrow", lang.t("grid-narrow"), lang.t("grid-far-narrow")),
    };
    GridView {
        width,
        width_label,
        far_label,
        has_selectable: g.has_selectable(),
        has_late: rows.iter().any(|r| r.cells.iter().any(|c| c.late)),
        sr_none: lang.t("grid-cell-none"),
        sr_full: lang.t("grid-cell-full"),
        sr_closed: lang.t("grid-cell-closed"),
        range: Msg::new("grid-range")
            .arg("from", day_long(lang, page.first_day))
            .arg("to", day_long(lang, last))
            .resolve(lang),
        days,
        rows,
        prev: page.prev.map(|d| d.to_string()),
        next: page.next.map(|d| d.to_string()),
        prev_far: page.prev_far.map(|d| d.to_string()),
        next_far: page.next_far.map(|d| d.to_string()),
    }
}

/// The buttons' labels ("12月1日(火) 09:00 空き2") of one grid. A grid has hundreds of
/// cells, and resolving the Fluent message for each was a measurable share of the page's
/// cost: the message is resolved once per number of free places (Fluent may select on a
/// number) with stand-ins for the day and the time, which are then filled in per cell.
struct CellLabels {
    lang: Lang,
    patterns: std::collections::HashMap<i32, String>,
}

/// Stand-ins from Unicode's private use area: they cannot occur in a message or a date.
const DAY_STAND_IN: &str = "\u{E000}";
const TIME_STAND_IN: &str = "\u{E001}";

impl CellLabels {
    fn new(lang: Lang) -> CellLabels {
        CellLabels {
            lang,
            patterns: std::collections::HashMap::new(),
        }
    }

    fn open(&mut self, free: i32, day: &str, time: &str) -> String {
        let lang = self.lang;
        let pattern = self
            .patterns
            .entry(free)
            .or_insert_with(|| cell_label(lang, DAY_STAND_IN, TIME_STAND_IN, free));
        pattern
            .replacen(DAY_STAND_IN, day, 1)
            .replacen(TIME_STAND_IN, time, 1)
    }
}

fn cell_label(lang: Lang, day: &str, time: &str, free: i32) -> String {
    Msg::new("grid-cell-label")
        .arg("day", day)
        .arg("time", time)
        .arg("free", free)
        .resolve(lang)
}

/// Both grids for one counter, starting from `from` (None: today).
pub async fn build(
    db: &crate::db::Db,
    counter_id: i64,
    party: i32,
    rules: &BookingRules,
    from: Option<Date>,
) -> Result<GridPair, DbError> {
    let wide_page = grid::page(GridWidth::Wide, from, rules);
    let narrow_page = grid::page(GridWidth::Narrow, from, rules);
    let first = wide_page.first_day.min(narrow_page.first_day);
    let last = wide_page.first_day.saturating_add(time::Duration::days(14));
    // Free places at the instant the grid is drawn for: an expired hold's are free.
    let now = deadline::unix_from_jst(rules.now);
    let rows = slots::find_free_by_counter_days(db, counter_id, first, last, now).await?;
    let views: Vec<SlotView> = open_views(&rows);
    Ok(GridPair {
        wide: view(&views, party, rules, GridWidth::Wide, wide_page),
        narrow: view(&views, party, rules, GridWidth::Narrow, narrow_page),
    })
}

/// The slots a resident may see: a closed slot (a closure that came after bookings) is left
/// out, so its time shows as not offered, like the rest of the closed day.
fn open_views(rows: &[slots::Slot]) -> Vec<SlotView> {
    rows.iter().filter(|s| !s.closed).map(slot_view).collect()
}

pub fn slot_view(s: &slots::Slot) -> SlotView {
    SlotView {
        id: s.id,
        day: s.day,
        start_min: s.start_min,
        end_min: s.end_min,
        capacity: s.capacity,
        taken: s.taken,
    }
}

/// The run a group would take starting at `slot_id` on this counter, checked against the
/// current places: None when it is not (or no longer) bookable.
pub async fn run_from(
    db: &crate::db::Db,
    counter_id: i64,
    slot_id: i64,
    party: i32,
    rules: &BookingRules,
) -> Result<Option<Vec<i64>>, DbError> {
    let Some(first) = slots::find(db, slot_id).await? else {
        return Ok(None);
    };
    if first.counter_id != counter_id {
        return Ok(None);
    }
    let now = deadline::unix_from_jst(rules.now);
    let day = slots::find_free_by_counter_days(db, counter_id, first.day, first.day, now).await?;
    let views: Vec<SlotView> = open_views(&day);
    Ok(grid::contiguous_run(&views, slot_id, party, rules))
}

/// `?from=2026-12-01` as a date; anything else is ignored (the grid starts today).
pub fn parse_from(from: Option<&str>) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    from.and_then(|s| Date::parse(s, &format).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_labels_read_as_the_message_resolved_whole() {
        for lang in Lang::ALL {
            let mut labels = CellLabels::new(lang);
            for free in [0, 1, 2, 20] {
                for (day, time) in [("12月1日(火)", "09:00"), ("Tue, December 1", "16:45")] {
                    assert_eq!(
                        labels.open(free, day, time),
                        cell_label(lang, day, time, free),
                        "{lang:?} {free} {day} {time}"
                    );
                }
            }
        }
        assert_eq!(
            CellLabels::new(Lang::Ja).open(2, "12月1日(火)", "09:00"),
            "12月1日(火) 09:00 空き2"
        );
    }
}
