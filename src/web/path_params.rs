//! The URL's path parameters for every handler. axum's own `Path` answers a parameter that
//! does not parse (`/staff/bookings/abc`, an id too large for i64, bad percent-encoding)
//! with a plain-text 400 in English; to a person that is simply a page that does not exist,
//! so this extractor answers with the app's Japanese 404 page instead.
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::WebError;

pub struct PathParams<T>(pub T);

impl<T, S> FromRequestParts<S> for PathParams<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(params)) => Ok(PathParams(params)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(WebError::NotFound),
            // A handler asking for parameters its route does not have: our bug, not the
            // visitor's.
            Err(other) => Err(WebError::Internal(format!("path parameters: {other}"))),
        }
    }
}
