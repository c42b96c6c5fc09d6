//! 「接種場所の絞り込み」 (seed 002 §3: 「接種会場の予約状況等を確認することができます」):
//! from the マイページ, the venues narrowed by 種別 and ワクチン with their ○△× over the
//! booking window and a month calendar of ○△× days over the venues shown. Read only: no
//! day links and no hold; booking starts from 「予約」 on the マイページ. The filter is a GET
//! form, so it works without JavaScript and the month links keep it.
use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use time::Date;

use super::choose::{allowed_places, calendar, places_by_day, venue_slots, venue_view};
use super::mypage::window;
use super::visit::{Login, require_login};
use super::{load_service, service_context, url};
use crate::app::AppState;
use crate::core::availability::Places;
use crate::core::month_calendar::YearMonth;
use crate::core::vaccination::calendar_day::DayRules;
use crate::core::vaccination::eligibility::Eligibility;
use crate::core::vaccination::venue_filter::{KINDS, VenueFilter, vaccines};
use crate::db::venues::{self, kind_label};
use crate::i18n::Lang;
use crate::web::error::WebError;
use crate::web::{PathParams, render};

#[derive(Deserialize)]
pub struct BrowseQuery {
    kind: Option<String>,
    vaccine: Option<String>,
    month: Option<String>,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

pub async fn show(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    Query(q): Query<BrowseQuery>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    if let Login::Out(r) = require_login(&app, &jar, &tenant, &settings).await? {
        return Ok(r);
    }
    let lang = Lang::current();
    let filter = VenueFilter::parse(q.kind.as_deref(), q.vaccine.as_deref());
    let all = venues::active(&app.db, tenant.id).await?;
    let (window_first, window_last) = window(&app, &settings);
    // Availability as anyone sees it: every day of the window, no dose interval.
    let rules = DayRules {
        window_first,
        window_last,
        eligibility: Eligibility::AnyDay,
        latest: None,
        thresholds: settings.thresholds(),
    };
    let mut shown = Vec::new();
    let mut by_day: BTreeMap<Date, Places> = BTreeMap::new();
    for venue in all
        .iter()
        .filter(|v| filter.matches(&v.venue_kind, &v.vaccine))
    {
        let slots = venue_slots(&app, venue, window_first, window_last).await?;
        let places = places_by_day(&app, &settings, &slots);
        for (d, p) in &places {
            let e = by_day.entry(*d).or_default();
            *e = *e + *p;
        }
        shown.push(venue_view(venue, allowed_places(&rules, &places), &rules));
    }
    let page_base = format!("{}?{}", url(&tenant, "/browse"), filter.query());
    let cal = calendar(
        &rules,
        q.month.as_deref().and_then(YearMonth::parse),
        &by_day,
        None,
        &page_base,
    );
    let kinds: Vec<Choice> = KINDS
        .iter()
        .map(|k| Choice {
            value: (*k).to_string(),
            label: kind_label(k, lang).to_string(),
            selected: filter.kind == Some(*k),
        })
        .collect();
    let offered: Vec<Choice> = vaccines(all.iter().map(|v| v.vaccine.as_str()))
        .into_iter()
        .map(|v| Choice {
            selected: filter.vaccine.as_deref() == Some(v.as_str()),
            label: v.clone(),
            value: v,
        })
        .collect();
    let (jar, mut ctx) = service_context(&app, &tenant, &settings, jar);
    ctx.insert("kinds", &kinds);
    ctx.insert("vaccines", &offered);
    ctx.insert("venues", &shown);
    ctx.insert("calendar", &cal);
    Ok((jar, render(&app, "vaccination/browse.html", &ctx)?).into_response())
}
