//! The web layer: routes, shared middleware and page rendering. Handlers stay thin: they
//! parse, call the storage layer or the pure core, and render a template.
pub mod admission;
pub mod booking;
mod dev;
mod dev_mailbox;
pub mod error;
mod health;
mod home;
pub mod lang;
pub mod limits;
pub mod municipality_pages;
mod path_params;
pub mod pickup;
pub mod reminders;
pub mod session;
pub mod staff;
pub mod vaccination;
pub mod waitlist;
pub mod worded_mails;

use std::time::Duration;

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::response::Html;
use axum::routing::{get, post};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::app::AppState;
use error::WebError;
pub use path_params::PathParams;
use pickup::{apply, entry, lookup};

/// The whole URL space, in one place.
pub fn router(app: AppState) -> Router {
    let timeout = Duration::from_secs(app.settings.server.request_timeout_secs.max(1));
    let hsts = app
        .settings
        .security
        .https
        .then(|| HeaderValue::from_static("max-age=63072000"));
    Router::new()
        .route("/", get(home::index))
        .route("/t/{tenant}/", get(home::tenant_home))
        .route("/lang", get(lang::switch))
        .route("/t/{tenant}/faq", get(home::faq))
        .route(
            "/t/{tenant}/header-image/{file}",
            get(municipality_pages::header_image),
        )
        // The resident's booking flow (seed 004).
        .route("/t/{tenant}/entry", get(entry::show).post(entry::submit))
        .route("/t/{tenant}/entry/sent", get(entry::sent))
        .route(
            "/t/{tenant}/apply",
            get(apply::form).post(apply::form_submit),
        )
        .route(
            "/t/{tenant}/apply/slots",
            get(apply::slots_page).post(apply::slots_choose),
        )
        .route(
            "/t/{tenant}/apply/confirm",
            get(apply::confirm_page).post(apply::book),
        )
        .route("/t/{tenant}/apply/done", get(apply::done))
        .route(
            "/t/{tenant}/apply/{token}",
            get(apply::link_landing).post(apply::link_use),
        )
        // 予約照会: details, print, change, cancel, resend.
        .route("/t/{tenant}/lookup", get(lookup::form).post(lookup::submit))
        .route("/t/{tenant}/booking", get(lookup::details))
        .route("/t/{tenant}/booking/print", get(lookup::print))
        .route(
            "/t/{tenant}/booking/slots",
            get(lookup::change_slots).post(lookup::change_choose),
        )
        .route(
            "/t/{tenant}/booking/change",
            get(lookup::change_confirm).post(lookup::change_submit),
        )
        .route(
            "/t/{tenant}/booking/change/extend",
            post(lookup::change_extend),
        )
        .route(
            "/t/{tenant}/booking/cancel",
            get(lookup::cancel_confirm).post(lookup::cancel_submit),
        )
        .route("/t/{tenant}/booking/resend", post(lookup::resend))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/{*path}", get(home::static_file))
        .merge(staff::routes())
        .merge(vaccination::routes())
        .merge(waitlist::routes())
        .route("/dev/samples", get(dev::samples))
        .route("/dev/mailbox", get(dev_mailbox::list))
        .route("/dev/mailbox/{id}", get(dev_mailbox::show))
        .layer(axum::middleware::from_fn(refuse_nul_in_forms))
        // Forms are small: 1 MB is plenty and bounds what a client can make us read.
        .layer(RequestBodyLimitLayer::new(1024 * 1024))
        // The notice import takes files of up to 20 MB under its own limit.
        .merge(staff::imports::routes())
        // The header image of 画面の文言 (1 MB) under its own limit too.
        .merge(staff::pages::upload_routes())
        // The vaccination ticket list (20 MB, as the notice list).
        .merge(staff::vaccination::upload_routes())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(lang::layer))
        // The waiting room, inside the request log (waiting pages are logged too) and
        // outside everything that touches the database.
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            admission::middleware,
        ))
        .layer(
            // Log the route pattern, never the raw path: paths may carry one-time tokens.
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let route = req
                        .extensions()
                        .get::<MatchedPath>()
                        .map(|m| m.as_str().to_owned())
                        .unwrap_or_else(|| "(unmatched)".to_owned());
                    tracing::info_span!("request", method = %req.method(), route = %route)
                })
                // One line per answered request (status, latency) at INFO, the default level:
                // the route pattern in the span, never the path, a query or a body.
                .on_response(
                    tower_http::trace::DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Millis),
                ),
        )
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        ))
        // Browsers without CSP frame-ancestors.
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        // Pages carry names, numbers and booking details: a shared computer's cache or back
        // button must not show them to the next person. Static files set their own.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // HSTS only where the site is served over TLS (it pins the browser to https).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            hsts,
        ))
        .with_state(app)
}

/// Refuses a urlencoded form whose body holds a NUL character (raw or as `%00`). Nobody
/// types one, PostgreSQL text cannot hold one (the query fails: a 500 for the visitor), and
/// SQLite would store it and cut strings short in other programs. Checked once here for
/// every form rather than in each handler. Runs inside the body limit, so what it reads is
/// bounded.
async fn refuse_nul_in_forms(
    request: Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let is_form = request.method() == axum::http::Method::POST
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        // Over the body limit (or the client went away).
        Err(_) => return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    if bytes.contains(&0) || bytes.windows(3).any(|w| w == b"%00") {
        return error::WebError::BadInput.into_response();
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// Renders `name` with `context`; a template error is a logged 500, never shown.
///
/// Resident pages come out in the request's language with the language switch; the
/// console and the development pages stay Japanese.
pub fn render(
    app: &AppState,
    name: &str,
    context: &tera::Context,
) -> Result<Html<String>, WebError> {
    let resident =
        !(name.starts_with("staff/") || name.starts_with("dev") || name == "tenant_list.html");
    let lang = if resident {
        crate::i18n::Lang::current()
    } else {
        crate::i18n::Lang::Ja
    };
    let mut ctx = context.clone();
    ctx.insert("lang", lang.code());
    if resident {
        ctx.insert(
            "lang_switch",
            &lang::switch_links(lang, &crate::i18n::current_here()),
        );
    }
    app.templates_for(lang)
        .render(name, &ctx)
        .map(Html)
        .map_err(|e| WebError::Internal(format!("template {name}: {e:?}")))
}
