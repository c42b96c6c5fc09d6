//! What the resident pages of every service share: the municipality a page belongs to and
//! the context every page starts from, and the receipt's QR code. The booking engine's
//! words only (municipality, receipt, page): no service's own steps live here.
pub mod hold;

use axum_extra::extract::CookieJar;

use crate::app::App;
use crate::db::tenants::{self, Tenant};
use crate::web::error::WebError;

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
    let (jar, csrf) = crate::web::session::csrf_token(app, jar);
    let mut ctx = tera::Context::new();
    ctx.insert("tenant_name", &tenant.name);
    ctx.insert("tenant_slug", &tenant.slug);
    ctx.insert("csrf", &csrf);
    let pages = app.pages.cached(tenant).unwrap_or_else(|| {
        tracing::warn!("a resident page without its municipality's texts loaded");
        Default::default()
    });
    crate::web::municipality_pages::insert(&mut ctx, tenant, &pages);
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
