//! Settings (admin only), section 「予約と変更・取消の締切」: when online booking closes and
//! until when a booking can be changed or cancelled online, each either relative to the
//! booked time or as "N days before, until HH:MM"; and whether a slot already past the
//! change deadline may still be booked. Shown on the settings page, saved with its audit
//! entry (before → after, in the words residents read).
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum_extra::extract::CookieJar;

use super::schedule::{Fields, FormView, parse_number, typed};
use super::{Staff, require};
use crate::app::AppState;
use crate::core::deadline::{self, Cutoff};
use crate::db::deadlines::{self, DeadlineSettings};
use crate::db::tenants::{StaffAction, Tenant};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::session::check_csrf;

pub fn routes() -> Router<AppState> {
    Router::new().route("/t/{tenant}/staff/settings/deadlines", post(save))
}

/// The form's key: its fields' ids start with "deadlines-".
pub const FORM_KEY: &str = "deadlines";

const FIELDS: [&str; 9] = [
    "booking_cutoff_form",
    "booking_cutoff_min",
    "booking_cutoff_days",
    "booking_cutoff_until",
    "change_cutoff_form",
    "cancel_deadline_hours",
    "cancel_deadline_days",
    "cancel_deadline_until",
    "late_booking_allowed",
];

/// The form as stored: the relative values are shown even while the days form is in force,
/// so switching back offers what was set before.
pub(super) fn form(tenant: &Tenant) -> FormView {
    let mut values = cutoff_values(
        (
            tenant.same_day_cutoff_min,
            tenant.booking_cutoff_days,
            tenant.booking_cutoff_until_min,
        ),
        (
            tenant.cancel_deadline_hours,
            tenant.cancel_deadline_days,
            tenant.cancel_deadline_until_min,
        ),
    );
    values.push((
        "late_booking_allowed",
        if tenant.late_booking_allowed { "1" } else { "" }.to_string(),
    ));
    FormView::new(FORM_KEY, &values)
}

/// The two cut-offs' fields from their stored columns — the booking cut-off's (minutes,
/// days, until) and the change deadline's (hours, days, until) — for any settings page that
/// edits them with `deadline_macros.html` (card pickup's here, vaccination's too).
pub(in crate::web::staff) fn cutoff_values(
    booking: (i32, Option<i32>, i32),
    change: (i32, Option<i32>, i32),
) -> Vec<(&'static str, String)> {
    let days = |d: Option<i32>| d.map(|d| d.to_string()).unwrap_or_default();
    let until = |d: Option<i32>, min: i32| match d {
        Some(_) => deadline::until_for_form(u16::try_from(min).unwrap_or(deadline::END_OF_DAY)),
        None => String::new(),
    };
    let which =
        |d: Option<i32>, relative: &str| if d.is_some() { "days" } else { relative }.to_string();
    vec![
        ("booking_cutoff_form", which(booking.1, "minutes")),
        ("booking_cutoff_min", booking.0.to_string()),
        ("booking_cutoff_days", days(booking.1)),
        ("booking_cutoff_until", until(booking.1, booking.2)),
        ("change_cutoff_form", which(change.1, "hours")),
        ("cancel_deadline_hours", change.0.to_string()),
        ("cancel_deadline_days", days(change.1)),
        ("cancel_deadline_until", until(change.1, change.2)),
    ]
}

/// The names of the two cut-offs' fields (without card pickup's late-booking checkbox).
pub(in crate::web::staff) const CUTOFF_FIELDS: [&str; 8] = [
    "booking_cutoff_form",
    "booking_cutoff_min",
    "booking_cutoff_days",
    "booking_cutoff_until",
    "change_cutoff_form",
    "cancel_deadline_hours",
    "cancel_deadline_days",
    "cancel_deadline_until",
];

/// The booking cut-off and the change deadline as typed, each with its message next to its
/// field when it cannot be read.
pub(in crate::web::staff) fn read_cutoffs(
    view: &mut FormView,
    form: &Fields,
) -> (Option<Cutoff>, Option<Cutoff>) {
    let booking = read_cutoff(
        view,
        form,
        [
            "booking_cutoff_form",
            "booking_cutoff_min",
            "booking_cutoff_days",
            "booking_cutoff_until",
        ],
        ("minutes", 10080, &["分前まで", "分前", "分"], 1),
    );
    let change = read_cutoff(
        view,
        form,
        [
            "change_cutoff_form",
            "cancel_deadline_hours",
            "cancel_deadline_days",
            "cancel_deadline_until",
        ],
        ("hours", 720, &["時間前まで", "時間前", "時間"], 60),
    );
    (booking, change)
}

/// The rules in force, as the settings page states them above the form.
#[derive(serde::Serialize)]
pub struct InForce {
    booking: String,
    change: String,
    late_booking_allowed: bool,
}

pub(super) fn in_force(tenant: &Tenant) -> InForce {
    InForce {
        booking: tenant.booking_cutoff().describe_ja(),
        change: tenant.change_cutoff().describe_ja(),
        late_booking_allowed: tenant.late_booking_allowed,
    }
}

/// A day count: 0 is the visit's own day.
fn parse_days(input: &str) -> Result<u16, String> {
    parse_number(
        input,
        0,
        i32::from(deadline::MAX_DAYS),
        &["日前まで", "日前", "日"],
    )
    .map(|d| u16::try_from(d).unwrap_or(0))
}

/// One cut-off from its three fields; only the chosen form's fields are read, so what was
/// left in the other form's fields can never block a save.
fn read_cutoff(
    view: &mut FormView,
    form: &Fields,
    names: [&str; 4],
    relative: (&str, i32, &[&str], u32),
) -> Option<Cutoff> {
    let [choice, amount, days, until] = names;
    let (relative_value, max, units, minutes_per_unit) = relative;
    match typed(form, choice).as_str() {
        "days" => {
            let d = view.check(days, parse_days(&typed(form, days)));
            let u = view.check(
                until,
                deadline::parse_until(&typed(form, until)).map_err(str::to_string),
            );
            Some(Cutoff::DaysBefore {
                days: d?,
                until: u?,
            })
        }
        value if value == relative_value => {
            let n = view.check(amount, parse_number(&typed(form, amount), 0, max, units))?;
            Some(Cutoff::MinutesBefore(
                u32::try_from(n).unwrap_or(0) * minutes_per_unit,
            ))
        }
        _ => {
            view.error(choice, "指定方法を選んでください。");
            None
        }
    }
}

/// What changed, before → after, for the audit entry.
fn describe_changes(old: &DeadlineSettings, new: &DeadlineSettings) -> Vec<String> {
    let mut what = Vec::new();
    if old.booking != new.booking {
        what.push(format!(
            "予約の受付締切 {}→{}",
            old.booking.describe_ja(),
            new.booking.describe_ja()
        ));
    }
    if old.change != new.change {
        what.push(format!(
            "変更・取消の期限 {}→{}",
            old.change.describe_ja(),
            new.change.describe_ja()
        ));
    }
    if old.late_booking_allowed != new.late_booking_allowed {
        let word = |allowed: bool| {
            if allowed {
                "受け付ける"
            } else {
                "受け付けない"
            }
        };
        what.push(format!(
            "期限を過ぎた枠の予約 {}→{}",
            word(old.late_booking_allowed),
            word(new.late_booking_allowed)
        ));
    }
    what
}

pub async fn save(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match require(&app, &jar, &slug, true).await {
        Ok(s) => s,
        Err(denied) => return denied.into_response(),
    };
    if let Err(e) = check_csrf(
        &app,
        &jar,
        form.get("csrf").map(String::as_str).unwrap_or(""),
    ) {
        return e.into_response();
    }
    let mut view = FormView::typed(FORM_KEY, &form, &FIELDS);
    let late_booking_allowed = form.contains_key("late_booking_allowed");
    view.values.insert(
        "late_booking_allowed".to_string(),
        if late_booking_allowed { "1" } else { "" }.to_string(),
    );
    let (booking, change) = read_cutoffs(&mut view, &form);
    let (Some(booking), Some(change)) = (booking, change) else {
        return super::settings::invalid(&app, &staff, view).await;
    };
    let new = DeadlineSettings {
        booking,
        change,
        late_booking_allowed,
    };
    let what = describe_changes(&DeadlineSettings::of(&staff.tenant), &new);
    if what.is_empty() {
        return done(&staff, "unchanged");
    }
    let detail = format!("予約と変更・取消の締切を変更: {}", what.join("、"));
    let by = StaffAction {
        tenant_id: staff.tenant.id,
        staff_user_id: Some(staff.user.id),
        now: app.clock.now_unix(),
    };
    match deadlines::update(&app.db, &by, &new, &detail).await {
        Ok(()) => done(&staff, "deadlines_saved"),
        Err(e) => WebError::from(e).into_response(),
    }
}

fn done(staff: &Staff, code: &str) -> Response {
    Redirect::to(&staff.url(&format!("/settings?done={code}#deadlines"))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    const CHANGE: [&str; 4] = [
        "change_cutoff_form",
        "cancel_deadline_hours",
        "cancel_deadline_days",
        "cancel_deadline_until",
    ];

    fn read(pairs: &[(&str, &str)]) -> (Option<Cutoff>, FormView) {
        let form = fields(pairs);
        let mut view = FormView::typed(FORM_KEY, &form, &FIELDS);
        let c = read_cutoff(&mut view, &form, CHANGE, ("hours", 720, &["時間前"], 60));
        (c, view)
    }

    #[test]
    fn reads_the_chosen_form_only() {
        let (c, _) = read(&[
            ("change_cutoff_form", "days"),
            ("cancel_deadline_hours", "いろいろ"),
            ("cancel_deadline_days", "３"),
            ("cancel_deadline_until", ""),
        ]);
        assert_eq!(
            c,
            Some(Cutoff::DaysBefore {
                days: 3,
                until: deadline::END_OF_DAY
            })
        );
        let (c, _) = read(&[
            ("change_cutoff_form", "hours"),
            ("cancel_deadline_hours", "48時間前"),
            ("cancel_deadline_days", "x"),
        ]);
        assert_eq!(c, Some(Cutoff::MinutesBefore(48 * 60)));
    }

    #[test]
    fn bad_values_get_a_message_next_to_their_field() {
        let (c, view) = read(&[
            ("change_cutoff_form", "days"),
            ("cancel_deadline_days", "400"),
            ("cancel_deadline_until", "25時"),
        ]);
        assert_eq!(c, None);
        assert!(view.errors["cancel_deadline_days"].contains("0から365まで"));
        assert!(view.errors["cancel_deadline_until"].contains("0:00〜24:00"));
        let (c, view) = read(&[("change_cutoff_form", "weeks")]);
        assert_eq!(c, None);
        assert!(view.errors.contains_key("change_cutoff_form"));
    }

    #[test]
    fn changes_are_described_before_and_after() {
        let old = DeadlineSettings {
            booking: Cutoff::MinutesBefore(60),
            change: Cutoff::MinutesBefore(24 * 60),
            late_booking_allowed: true,
        };
        let new = DeadlineSettings {
            booking: Cutoff::DaysBefore {
                days: 1,
                until: 17 * 60,
            },
            change: Cutoff::DaysBefore {
                days: 3,
                until: deadline::END_OF_DAY,
            },
            late_booking_allowed: false,
        };
        assert_eq!(
            describe_changes(&old, &new),
            vec![
                "予約の受付締切 予約日時の1時間前まで→予約日前日の17:00まで".to_string(),
                "変更・取消の期限 予約日時の24時間前まで→予約日の3日前まで".to_string(),
                "期限を過ぎた枠の予約 受け付ける→受け付けない".to_string(),
            ]
        );
        assert!(describe_changes(&old, &old).is_empty());
    }
}
