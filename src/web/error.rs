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

/// `title` and `message` are Fluent message ids (templates/locales/*/), never sentences.
fn page(status: StatusCode, title: &'static str, message: &'static str) -> Response {
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

impl WebError {
    /// The page's status and the Fluent ids of its title and sentence.
    fn page_ids(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            WebError::NotFound => (
                StatusCode::NOT_FOUND,
                "error-page-not-found-title",
                "error-page-not-found",
            ),
            WebError::Forbidden => (
                StatusCode::FORBIDDEN,
                "error-page-expired-title",
                "error-page-expired",
            ),
            WebError::BadInput => (
                StatusCode::BAD_REQUEST,
                "error-page-bad-input-title",
                "error-page-bad-input",
            ),
            WebError::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "error-page-busy-title",
                "error-page-busy",
            ),
            WebError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "error-page-internal-title",
                "error-page-internal",
            ),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match &self {
            WebError::Unavailable(detail) => tracing::error!(%detail, "database unavailable"),
            WebError::Internal(detail) => tracing::error!(%detail, "internal error"),
            _ => {}
        }
        let (status, title, message) = self.page_ids();
        page(status, title, message)
    }
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Msg};

    /// Every error page's words are message ids found in both languages (a sentence passed
    /// as an id shows untranslated and logs `missing message`).
    #[test]
    fn every_error_page_is_worded_in_both_languages() {
        let errors = [
            WebError::NotFound,
            WebError::Forbidden,
            WebError::BadInput,
            WebError::Unavailable(String::new()),
            WebError::Internal(String::new()),
        ];
        for e in &errors {
            let (_, title, message) = e.page_ids();
            for id in [title, message, "error-page-top"] {
                assert!(id.is_ascii(), "{id} is not a message id");
                for lang in Lang::ALL {
                    assert!(
                        Msg::new(id).try_resolve(lang).is_some(),
                        "{id} missing in {lang:?}"
                    );
                }
            }
        }
        let (_, title, _) = WebError::BadInput.page_ids();
        assert_eq!(Lang::En.t(title), "The form could not be read");
        assert_eq!(Lang::Ja.t(title), "入力内容を読み取れませんでした");
    }
}
