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
    let body = format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>\
         <body><main id=\"main\" class=\"container\"><h1>{title}</h1><p>{message}</p>\
         <p><a href=\"/\">トップページへ</a></p></main></body></html>"
    );
    (status, Html(body)).into_response()
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound => page(
                StatusCode::NOT_FOUND,
                "ページが見つかりません",
                "お探しのページは見つかりませんでした。URLをご確認ください。",
            ),
            WebError::Forbidden => page(
                StatusCode::FORBIDDEN,
                "この画面の有効期限が切れました",
                "お手数ですが、前の画面に戻って再読み込みしてから、もう一度操作してください。",
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
                    "ただいま混み合っています",
                    "しばらくしてからもう一度お試しください。",
                )
            }
            WebError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "エラーが発生しました",
                    "申し訳ありません。しばらくしてからもう一度お試しください。",
                )
            }
        }
    }
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}
