//! The resident's pages (seed 004): entry and address check, the booking form, the slot
//! grid and hold, confirmation, and the lookup with change and cancellation.
pub mod apply;
pub mod cutoffs;
pub mod entry;
pub mod grid_view;
pub mod lookup;
pub mod mails;
pub mod recipients;

use axum_extra::extract::CookieJar;

use super::error::WebError;
use crate::app::App;
use crate::db::tenants::{self, Tenant};

/// The municipality of a resident page, with this instance's copy of its 画面の文言 made
/// current (see [`municipality_pages`](crate::web::municipality_pages)), for
/// [`base_context`].
pub async fn load_tenant(app: &App, slug: &str) -> Result<Tenant, WebError> {
    let tenant = tenants::find_by_slug(&app.db, slug)
        .await?
        .ok_or(WebError::NotFound)?;
    app.pages.current(&app.db, &tenant).await?;
    Ok(tenant)
}

/// The context every resident page starts from: tenant, CSRF token, and the
/// municipality's wording (site name, header image, texts, the call-centre line as
/// `contact`) in the request's language, from the copy [`load_tenant`] made current.
pub fn base_context(app: &App, tenant: &Tenant, jar: CookieJar) -> (CookieJar, tera::Context) {
    let (jar, csrf) = super::session::csrf_token(app, jar);
    let mut ctx = tera::Context::new();
    ctx.insert("tenant_name", &tenant.name);
    ctx.insert("tenant_slug", &tenant.slug);
    ctx.insert("csrf", &csrf);
    let pages = app.pages.cached(tenant).unwrap_or_else(|| {
        tracing::warn!("a resident page without its municipality's texts loaded");
        Default::default()
    });
    super::municipality_pages::insert(&mut ctx, tenant, &pages);
    (jar, ctx)
}

/// Puts `receipt_qr` (the inline SVG of the receipt's QR code, named for screen readers in
/// the page's language) into a page's context; `receipt` is the number as stored. The
/// template writes it with `| safe`: the SVG is built from the code's modules and the
/// label is escaped in [`ReceiptQr::svg`](crate::core::receipt_qr::ReceiptQr::svg).
pub fn insert_receipt_qr(ctx: &mut tera::Context, receipt: &str) -> Result<(), WebError> {
    let qr = crate::core::receipt_qr::ReceiptQr::new(receipt)
        .map_err(|_| WebError::Internal("a receipt number too long for a QR code".into()))?;
    let label = crate::i18n::Msg::new("receipt-qr-label")
        .arg("receipt", crate::core::receipt::format_receipt(receipt))
        .resolve(crate::i18n::Lang::current());
    ctx.insert("receipt_qr", &qr.svg(&label));
    ctx.insert(
        "receipt_qr_number",
        &crate::core::receipt::format_receipt(receipt),
    );
    Ok(())
}

/// The booking rules in force now for this tenant.
pub fn booking_rules(app: &App, tenant: &Tenant) -> crate::core::grid::BookingRules {
    crate::core::grid::BookingRules {
        now: app.clock.now_jst(),
        window_days: tenant.booking_window_days,
        booking_cutoff: tenant.booking_cutoff(),
        change_cutoff: tenant.change_cutoff(),
        late_booking_allowed: tenant.late_booking_allowed,
    }
}
