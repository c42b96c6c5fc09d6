//! Choosing a time (seed 003): 「場所から決める」 (the venues with ○△× over the days the dose
//! may take, then a venue's month calendar, then the day's times) and 「日時から決める」
//! (the month calendar over all venues, then the venues open that day, then the times). A
//! day the dose may not take says why. Marks come from `core::availability` through the
//! dose's `DayRules`; the month grid and paging from `core::month_calendar`.
use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use time::Date;

use super::book::{Booking, require_draft};
use super::{load_service, service_context, url};
use crate::app::{App, AppState};
use crate::core::availability::Places;
use crate::core::deadline;
use crate::core::month_calendar::{WeekStart, YearMonth, month_grid, month_paging};
use crate::core::vaccination::calendar_day::{DayRules, DayStatus};
use crate::core::vaccination::eligibility::DayRefusal;
use crate::core::vaccination::open_places::{SlotPlaces, open_places};
use crate::db::slots::{self, Slot};
use crate::db::tenants::Tenant;
use crate::db::vaccination::Settings;
use crate::db::venues::{self, Venue};
use crate::i18n::{self, Lang};
use crate::web::error::WebError;
use crate::web::{PathParams, render};

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

pub fn parse_day(s: &str) -> Option<Date> {
    Date::parse(s, DATE_FORMAT).ok()
}

pub fn day_param(day: Date) -> String {
    day.format(DATE_FORMAT).unwrap_or_default()
}

/// Whether online booking of the slot's time is still open.
pub fn slot_bookable(app: &App, settings: &Settings, slot: &Slot) -> bool {
    settings.booking_cutoff().is_open(
        deadline::slot_start(slot.day, slot.start_min),
        app.clock.now_jst(),
    )
}

fn slot_places(app: &App, settings: &Settings, slot: &Slot) -> SlotPlaces {
    SlotPlaces {
        capacity: slot.capacity,
        taken: slot.taken,
        closed: slot.closed,
        bookable: slot_bookable(app, settings, slot),
    }
}

/// The venue's slots from `first` to `last` with the places free now.
pub(super) async fn venue_slots(
    app: &App,
    venue: &Venue,
    first: Date,
    last: Date,
) -> Result<Vec<Slot>, WebError> {
    Ok(
        slots::find_free_by_counter_days(&app.db, venue.id, first, last, app.clock.now_unix())
            .await?,
    )
}

/// Places per day of the venues' slots.
pub(super) fn places_by_day(
    app: &App,
    settings: &Settings,
    slots: &[Slot],
) -> BTreeMap<Date, Places> {
    let mut by_day: BTreeMap<Date, Vec<SlotPlaces>> = BTreeMap::new();
    for s in slots {
        by_day
            .entry(s.day)
            .or_default()
            .push(slot_places(app, settings, s));
    }
    by_day
        .into_iter()
        .map(|(d, s)| (d, open_places(s)))
        .collect()
}

#[derive(Serialize)]
struct DayCell {
    day: u8,
    code: &'static str,
    symbol: &'static str,
    label: String,
    link: Option<String>,
}

#[derive(Serialize)]
pub(super) struct CalendarView {
    caption: String,
    weekdays: Vec<&'static str>,
    weeks: Vec<Vec<Option<DayCell>>>,
    previous: Option<String>,
    next: Option<String>,
}

fn weekday_names(lang: Lang) -> Vec<&'static str> {
    match lang {
        Lang::Ja => vec!["日", "月", "火", "水", "木", "金", "土"],
        Lang::En => vec!["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    }
}

/// The month calendar of ○△× days: a day links to its page (under `link_base`) when it is
/// choosable, or when it is refused for the dose's interval (its page says why); without
/// `link_base` (「接種場所の絞り込み」) no day links. The month links are `page_base` with
/// `month=` added to its query.
pub(super) fn calendar(
    rules: &DayRules,
    requested: Option<YearMonth>,
    places: &BTreeMap<Date, Places>,
    link_base: Option<&str>,
    page_base: &str,
) -> CalendarView {
    let lang = Lang::current();
    let (first, last) = rules
        .bookable_range()
        .unwrap_or((rules.window_first, rules.window_last));
    let paging = month_paging(requested, first, last);
    let grid = month_grid(paging.shown, WeekStart::Sunday);
    let weeks = grid
        .map_days(|day| {
            let status = rules.status(day, places.get(&day).copied().unwrap_or_default());
            let view = status.view(lang);
            let linked = status.is_choosable()
                || matches!(
                    status,
                    DayStatus::Refused(
                        DayRefusal::TooEarly { .. }
                            | DayRefusal::TooLateForNext { .. }
                            | DayRefusal::PreviousDoseUnknown
                    )
                );
            DayCell {
                day: day.day(),
                code: view.code,
                symbol: view.symbol,
                label: view.label.to_string(),
                link: link_base
                    .filter(|_| linked)
                    .map(|base| format!("{base}/{}", day_param(day))),
            }
        })
        .into_iter()
        .map(|w| w.into_iter().collect())
        .collect();
    let sep = if page_base.contains('?') { '&' } else { '?' };
    CalendarView {
        caption: paging.shown.label(lang),
        weekdays: weekday_names(lang),
        weeks,
        previous: paging
            .previous
            .map(|m| format!("{page_base}{sep}month={m}")),
        next: paging.next.map(|m| format!("{page_base}{sep}month={m}")),
    }
}

#[derive(Serialize)]
pub(super) struct VenueView {
    id: i64,
    name: String,
    kind: &'static str,
    address: String,
    directions: String,
    vaccine: String,
    notice: String,
    code: &'static str,
    symbol: &'static str,
    label: &'static str,
    choosable: bool,
}

pub(super) fn venue_view(venue: &Venue, places: Places, rules: &DayRules) -> VenueView {
    let lang = Lang::current();
    let mark = rules.thresholds.mark(places).view(lang);
    VenueView {
        id: venue.id,
        name: venue.name.clone(),
        kind: venue.kind_label(lang),
        address: venue.address.clone(),
        directions: venue.directions.clone(),
        vaccine: venue.vaccine.clone(),
        notice: venue.notice.clone(),
        code: mark.code,
        symbol: mark.symbol,
        label: mark.label,
        choosable: mark.choosable,
    }
}

/// Places of the venue over the days `rules` allows (its ○△× on the list).
pub(super) fn allowed_places(rules: &DayRules, places: &BTreeMap<Date, Places>) -> Places {
    places
        .iter()
        .filter(|(d, _)| rules.status(**d, Places::new(1, 1)).refusal().is_none())
        .fold(Places::new(0, 0), |a, (_, p)| a + *p)
}

async fn begin(
    app: &AppState,
    slug: &str,
    jar: &CookieJar,
) -> Result<Result<(Tenant, Settings, Booking), Box<Response>>, WebError> {
    let (tenant, settings) = load_service(app, slug).await?;
    Ok(require_draft(app, jar, &tenant, &settings)
        .await?
        .map(|b| (tenant, settings, b)))
}

fn context(
    app: &AppState,
    tenant: &Tenant,
    settings: &Settings,
    booking: &Booking,
    jar: CookieJar,
) -> (CookieJar, tera::Context) {
    let (jar, mut ctx) = service_context(app, tenant, settings, jar);
    ctx.insert("dose_label", &booking.dose.label(Lang::current()));
    ctx.insert("changing", &booking.changes());
    (jar, ctx)
}

/// 「場所から決める」: the venues with their ○△× over the days the dose may take.
pub async fn venues_page(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings, booking) = match begin(&app, &slug, &jar).await? {
        Ok(b) => b,
        Err(r) => return Ok(*r),
    };
    let (first, last) = (booking.rules.window_first, booking.rules.window_last);
    let mut views = Vec::new();
    for venue in venues::active(&app.db, tenant.id).await? {
        let slots = venue_slots(&app, &venue, first, last).await?;
        let places = places_by_day(&app, &settings, &slots);
        views.push(venue_view(
            &venue,
            allowed_places(&booking.rules, &places),
            &booking.rules,
        ));
    }
    let (jar, mut ctx) = context(&app, &tenant, &settings, &booking, jar);
    ctx.insert("venues", &views);
    Ok((jar, render(&app, "vaccination/venues.html", &ctx)?).into_response())
}

#[derive(Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

/// A venue's month calendar.
pub async fn venue_calendar(
    State(app): State<AppState>,
    PathParams((slug, venue_id)): PathParams<(String, i64)>,
    Query(q): Query<MonthQuery>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings, booking) = match begin(&app, &slug, &jar).await? {
        Ok(b) => b,
        Err(r) => return Ok(*r),
    };
    let venue = venues::find(&app.db, tenant.id, venue_id)
        .await?
        .filter(|v| v.active)
        .ok_or(WebError::NotFound)?;
    let (first, last) = (booking.rules.window_first, booking.rules.window_last);
    let slots = venue_slots(&app, &venue, first, last).await?;
    let places = places_by_day(&app, &settings, &slots);
    let base = url(&tenant, &format!("/venues/{}", venue.id));
    let cal = calendar(
        &booking.rules,
        q.month.as_deref().and_then(YearMonth::parse),
        &places,
        Some(&base),
        &base,
    );
    let (jar, mut ctx) = context(&app, &tenant, &settings, &booking, jar);
    ctx.insert("calendar", &cal);
    ctx.insert(
        "venue",
        &venue_view(
            &venue,
            allowed_places(&booking.rules, &places),
            &booking.rules,
        ),
    );
    ctx.insert("back", &url(&tenant, "/venues"));
    Ok((jar, render(&app, "vaccination/calendar.html", &ctx)?).into_response())
}

/// 「日時から決める」: the month calendar over all venues.
pub async fn dates_calendar(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    Query(q): Query<MonthQuery>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings, booking) = match begin(&app, &slug, &jar).await? {
        Ok(b) => b,
        Err(r) => return Ok(*r),
    };
    let (first, last) = (booking.rules.window_first, booking.rules.window_last);
    let mut places: BTreeMap<Date, Places> = BTreeMap::new();
    for venue in venues::active(&app.db, tenant.id).await? {
        let slots = venue_slots(&app, &venue, first, last).await?;
        for (d, p) in places_by_day(&app, &settings, &slots) {
            let e = places.entry(d).or_default();
            *e = *e + p;
        }
    }
    let base = url(&tenant, "/dates");
    let cal = calendar(
        &booking.rules,
        q.month.as_deref().and_then(YearMonth::parse),
        &places,
        Some(&base),
        &base,
    );
    let (jar, mut ctx) = context(&app, &tenant, &settings, &booking, jar);
    ctx.insert("calendar", &cal);
    ctx.insert("venue", &None::<VenueView>);
    let back = match booking.changes() {
        Some(id) => format!("/bookings/{id}/change"),
        None => format!("/book?dose={}", booking.dose.get()),
    };
    ctx.insert("back", &url(&tenant, &back));
    Ok((jar, render(&app, "vaccination/calendar.html", &ctx)?).into_response())
}

/// The refusal of `day` for the dose, if it is refused, in words.
fn refusal_of(rules: &DayRules, day: Date) -> Option<(String, bool)> {
    rules.status(day, Places::new(1, 1)).refusal().map(|r| {
        (
            r.message(Lang::current()),
            r == DayRefusal::PreviousDoseUnknown,
        )
    })
}

/// The venues open on a day (by date), with their ○△× that day.
pub async fn date_venues(
    State(app): State<AppState>,
    PathParams((slug, day)): PathParams<(String, String)>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings, booking) = match begin(&app, &slug, &jar).await? {
        Ok(b) => b,
        Err(r) => return Ok(*r),
    };
    let day = parse_day(&day).ok_or(WebError::NotFound)?;
    let refusal = refusal_of(&booking.rules, day);
    let mut views = Vec::new();
    if refusal.is_none() {
        for venue in venues::active(&app.db, tenant.id).await? {
            let slots = venue_slots(&app, &venue, day, day).await?;
            if slots.is_empty() {
                continue;
            }
            let places = places_by_day(&app, &settings, &slots);
            let p = places.get(&day).copied().unwrap_or_default();
            views.push(venue_view(&venue, p, &booking.rules));
        }
    }
    let (jar, mut ctx) = context(&app, &tenant, &settings, &booking, jar);
    ctx.insert("date", &i18n::date_with_weekday(Lang::current(), day));
    ctx.insert("day_param", &day_param(day));
    ctx.insert("venues", &views);
    ctx.insert("refusal", &refusal);
    ctx.insert(
        "back",
        &url(&tenant, &format!("/dates?month={}", YearMonth::of(day))),
    );
    Ok((jar, render(&app, "vaccination/date_venues.html", &ctx)?).into_response())
}

#[derive(Serialize)]
struct TimeView {
    slot_id: i64,
    time: String,
    free: u32,
    choosable: bool,
}

/// A venue's times on a day, with the places left; choosing one holds it.
pub async fn day_times(
    State(app): State<AppState>,
    PathParams((slug, venue_id, day)): PathParams<(String, i64, String)>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings, booking) = match begin(&app, &slug, &jar).await? {
        Ok(b) => b,
        Err(r) => return Ok(*r),
    };
    let venue = venues::find(&app.db, tenant.id, venue_id)
        .await?
        .filter(|v| v.active)
        .ok_or(WebError::NotFound)?;
    let day = parse_day(&day).ok_or(WebError::NotFound)?;
    let refusal = refusal_of(&booking.rules, day);
    let mut times = Vec::new();
    if refusal.is_none() {
        for slot in venue_slots(&app, &venue, day, day).await? {
            let places = slot_places(&app, &settings, &slot).places();
            times.push(TimeView {
                slot_id: slot.id,
                time: i18n::time_range(Lang::current(), slot.start_min, slot.end_min),
                free: places.free(),
                choosable: places.free() > 0,
            });
        }
    }
    let (jar, mut ctx) = context(&app, &tenant, &settings, &booking, jar);
    ctx.insert("date", &i18n::date_with_weekday(Lang::current(), day));
    ctx.insert(
        "venue",
        &venue_view(&venue, Places::new(0, 0), &booking.rules),
    );
    ctx.insert("times", &times);
    ctx.insert("refusal", &refusal);
    ctx.insert(
        "back",
        &url(
            &tenant,
            &format!("/venues/{}?month={}", venue.id, YearMonth::of(day)),
        ),
    );
    Ok((jar, render(&app, "vaccination/times.html", &ctx)?).into_response())
}
