//! What a resident is told about cut-offs before booking (issue 11): a time past the booking
//! cut-off is refused with the rule that closed it; a time past the change/cancel deadline
//! (when the municipality still takes such bookings) is booked only after the page has said
//! plainly that it cannot be changed or cancelled online, and whom to call instead.
use serde::Serialize;
use time::Date;

use super::booking_rules;
use crate::app::App;
use crate::core::deadline;
use crate::db::tenants::Tenant;
use crate::i18n::{self, Lang, Msg};

/// Why a visit at (`day`, `start_min`) can no longer be booked online, if it cannot: the
/// booking cut-off has passed, or the change deadline has and late booking is not allowed.
pub fn closed(app: &App, tenant: &Tenant, day: Date, start_min: i32) -> Option<Msg> {
    let rules = booking_rules(app, tenant);
    let start = deadline::slot_start(day, start_min);
    if rules.booking_open(start) {
        return None;
    }
    let lang = Lang::current();
    Some(if !rules.booking_cutoff.is_open_through(start, rules.now) {
        Msg::new("booking-closed").arg("rule", i18n::deadline_rule(lang, rules.booking_cutoff))
    } else {
        Msg::new("booking-closed-change")
            .arg("rule", i18n::deadline_rule(lang, rules.change_cutoff))
    })
}

/// The warning shown before a booking that could not be changed or cancelled online.
#[derive(Debug, Clone, Serialize)]
pub struct LateNotice {
    /// "2026年12月1日(火) 23:59"
    pub deadline: String,
    /// "予約日の3日前まで"
    pub rule: String,
}

/// The warning for a visit at (`day`, `start_min`) booked now, if it is already past the
/// change/cancel deadline.
pub fn late_notice(app: &App, tenant: &Tenant, day: Date, start_min: i32) -> Option<LateNotice> {
    let rules = booking_rules(app, tenant);
    let start = deadline::slot_start(day, start_min);
    rules.past_change_deadline(start).then(|| {
        let lang = Lang::current();
        LateNotice {
            deadline: i18n::date_time(lang, rules.change_cutoff.shown_deadline(start)),
            rule: i18n::deadline_rule(lang, rules.change_cutoff),
        }
    })
}

/// The rules as the grid page states them: "ウェブでの予約は…まで、変更・取消は…までです。"
#[derive(Debug, Clone, Serialize)]
pub struct RulesView {
    pub booking: String,
    pub change: String,
}

pub fn rules_view(tenant: &Tenant) -> RulesView {
    let lang = Lang::current();
    RulesView {
        booking: i18n::deadline_rule(lang, tenant.booking_cutoff()),
        change: i18n::deadline_rule(lang, tenant.change_cutoff()),
    }
}
