//! The 仮押さえ (hold) as every service's resident pages show and extend it: its time and
//! end, the [仮押さえを延長する] offer and what pressing it says. The hold itself is the
//! engine's (`db::holds`).
use serde::Serialize;

use crate::core::deadline;
use crate::db::holds::Hold;
use crate::i18n::{self, Lang, Msg};

/// A hold can be extended, but not kept beyond this many minutes after it was placed.
const HOLD_MAX_TOTAL_MIN: i32 = 30;

/// Said when an extension worked (in the request's language: it is a flash).
pub fn extended_message(new_expiry: i64) -> String {
    Msg::new("hold-extended")
        .arg(
            "time",
            deadline::format_hhmm_ja(deadline::jst_from_unix(new_expiry)),
        )
        .resolve(Lang::current())
}

#[derive(Serialize)]
pub struct HoldView {
    pub date: String,
    pub time: String,
    pub expires: String,
    pub live: bool,
    pub can_extend: bool,
}

pub fn hold_view(hold: &Hold, now: i64, ttl_min: i32) -> HoldView {
    HoldView {
        date: i18n::date_with_weekday(Lang::current(), hold.day),
        time: i18n::time_range(Lang::current(), hold.start_min, hold.end_min),
        expires: deadline::format_hhmm_ja(deadline::jst_from_unix(hold.expires_at)),
        live: hold.is_live(now),
        // Offered while the hold is live and not yet at its cap (WCAG 2.2.1: a time limit
        // the person can extend). The page is static, so the offer shows even when pressing
        // it this very second would add nothing: it is pressed minutes later.
        can_extend: hold.is_live(now) && hold.expires_at < hold_cap(hold, ttl_min),
    }
}

fn hold_cap(hold: &Hold, ttl_min: i32) -> i64 {
    deadline::hold_cap(hold.placed_at, ttl_min, HOLD_MAX_TOTAL_MIN.max(ttl_min))
}

/// What pressing [仮押さえを延長する] says when it gives no more time: at the cap, or
/// pressed so soon that the hold already runs that long.
pub fn not_extended_message(hold: &Hold, ttl_min: i32) -> String {
    let until = deadline::format_hhmm_ja(deadline::jst_from_unix(hold.expires_at));
    let id = if hold.expires_at >= hold_cap(hold, ttl_min) {
        "hold-not-extended-cap"
    } else {
        "hold-valid-until"
    };
    Msg::new(id).arg("time", until).resolve(Lang::current())
}

/// The expiry an extension of `hold` would give now, if the hold is live and not at its cap.
pub fn extension_of(hold: &Hold, now: i64, ttl_min: i32) -> Option<i64> {
    if !hold.is_live(now) {
        return None;
    }
    deadline::extended_hold_expiry(
        hold.placed_at,
        hold.expires_at,
        now,
        ttl_min,
        HOLD_MAX_TOTAL_MIN.max(ttl_min),
    )
}

/// Said when a time was just held: its day and time, and until when it is held.
pub fn placed_message(hold: &Hold) -> String {
    let lang = Lang::current();
    Msg::new("hold-placed")
        .arg("date", i18n::date_with_weekday(lang, hold.day))
        .arg("time", i18n::time_range(lang, hold.start_min, hold.end_min))
        .arg(
            "until",
            deadline::format_hhmm_ja(deadline::jst_from_unix(hold.expires_at)),
        )
        .resolve(lang)
}
