//! One error type for handlers: what the person sees is short and Japanese; what went wrong
//! is logged, never shown.
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::db::DbError;

#[derive(Debug)]
pub enum WebError {
    NotFound,
    /// A form post without a valid CSRF token (usually an expired cookie).
    Forbidden,
    /// A form body no browser sends from what a person types (a NUL character): refused
    /// before any handler, as PostgreSQL cannot store it in text.
    BadInput,
    /// The database or pool is unreachable: 503 so a load balancer can retry elsewhere.
    Unavailable(String),
    Internal(String),
}

impl From<DbError> for WebError {
    fn from(e: DbError) -> WebError {
        match e {
            DbError::Query(diesel::result::Error::NotFound) => WebError::NotFound,
            DbError::Pool(msg) => WebError::Unavailable(msg),
            other => WebError::Internal(other.to_string()),
        }
    }
}

fn page(status: StatusCode, title: &str, message: &str) -> Response {
    // A fixed page: no template engine, so it renders even when templates are what failed.
    // In the resident's language (the console's requests are always Japanese).
    let lang = crate::i18n::Lang::current();
    let (title, message, top) = (lang.t(title), lang.t(message), lang.t("error-page-top"));
    let code = lang.code();
    let body = format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>\
         <body><main id=\"main\" class=\"container\"><h1>{title}</h1><p>{message}</p>\
         <p><a href=\"/\">{top}</a></p></main></body></html>"
    );
    (status, Html(body)).into_response()
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound => page(
                StatusCode::NOT_FOUND,
                "error-page-not-found-title",
                "error-page-not-found",
            ),
            WebError::Forbidden => page(
                StatusCode::FORBIDDEN,
                "error-page-expired-title",
                "error-page-expired",
            ),
            WebError::BadInput => page(
                StatusCode::BAD_REQUEST,
                "入力内容を読み取れませんでした",
                "使用できない文字が含まれています。前の画面に戻り、入力内容を確かめてから、もう一度お試しください。",
            ),
            WebError::Unavailable(detail) => {
                tracing::error!(%detail, "database unavailable");
                page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "error-page-busy-title",
                    "error-page-busy",
                )
            }
            WebError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "error-page-internal-title",
                    "error-page-internal",
                )
            }
        }
    }
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}
