//! Which language a resident page is in: the `mdg_lang` cookie, set by the switch in the
//! page header (`/lang?to=en&back=/t/demo/entry`), Japanese when there is none. The
//! layer below makes the language and the page's own address known for the whole
//! request, so `render` and the handlers' messages need no extra parameters.
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::i18n::{self, Lang, REQUEST, RequestLang};

/// The language a cookie header asks for, if any.
pub fn from_headers(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == i18n::COOKIE)
        .and_then(|(_, value)| Lang::parse(value))
}

/// Where the switch brings the person back to: this page, by GET. Two resident actions
/// exist only as POST and redirect to a page; the switch goes to that page instead.
fn back_for(method: &Method, path: &str, query: Option<&str>) -> String {
    if *method == Method::POST {
        if let Some(base) = path.strip_suffix("/booking/resend") {
            return format!("{base}/booking");
        }
        if let Some(base) = path.strip_suffix("/booking/change/extend") {
            return format!("{base}/booking/change");
        }
        return path.to_string();
    }
    match query {
        Some(q) if !q.is_empty() => format!("{path}?{q}"),
        _ => path.to_string(),
    }
}

pub async fn layer(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    // The console is Japanese whatever a resident page in the same browser chose.
    let lang = if path.contains("/staff") {
        Lang::Ja
    } else {
        from_headers(req.headers()).unwrap_or_default()
    };
    let here = back_for(req.method(), path, req.uri().query());
    REQUEST
        .scope(RequestLang { lang, here }, next.run(req))
        .await
}

/// Only a path on this site: never another host (`//evil`, `\\evil`, `https:`).
fn safe_back(back: &str) -> &str {
    let ok = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control);
    if ok { back } else { "/" }
}

/// The cookie that remembers `lang` for a year.
pub fn cookie(app: &AppState, lang: Lang) -> Cookie<'static> {
    let mut c = Cookie::new(i18n::COOKIE, lang.code());
    c.set_path("/");
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_secure(app.settings.security.https);
    c.set_max_age(time::Duration::days(365));
    c
}

#[derive(Deserialize)]
pub struct SwitchQuery {
    to: Option<String>,
    back: Option<String>,
}

/// GET /lang?to=en&back=/t/demo/entry: remember the language, go back to the page. A GET
/// (a plain link) so it works without JavaScript and from any page; it changes nothing
/// but a preference, so it needs no CSRF token.
pub async fn switch(
    State(app): State<AppState>,
    jar: CookieJar,
    Query(q): Query<SwitchQuery>,
) -> Response {
    let back = safe_back(q.back.as_deref().unwrap_or("/")).to_string();
    match q.to.as_deref().and_then(Lang::parse) {
        Some(lang) => (jar.add(cookie(&app, lang)), Redirect::to(&back)).into_response(),
        None => Redirect::to(&back).into_response(),
    }
}

#[derive(Serialize)]
pub struct SwitchLink {
    code: &'static str,
    name: &'static str,
    href: String,
    current: bool,
}

/// The header's links: each language in its own name, the current one marked.
pub fn switch_links(lang: Lang, here: &str) -> Vec<SwitchLink> {
    Lang::ALL
        .into_iter()
        .map(|l| SwitchLink {
            code: l.code(),
            name: match l {
                Lang::Ja => "日本語",
                Lang::En => "English",
            },
            href: format!(
                "/lang?to={}&back={}",
                l.code(),
                url::form_urlencoded::byte_serialize(here.as_bytes()).collect::<String>()
            ),
            current: l == lang,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_come_back() {
        assert_eq!(safe_back("/t/demo/entry?x=1"), "/t/demo/entry?x=1");
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "\\\\evil",
            "/\\evil",
            "evil",
        ] {
            assert_eq!(safe_back(bad), "/", "{bad}");
        }
    }

    #[test]
    fn post_only_actions_come_back_to_their_page() {
        assert_eq!(
            back_for(&Method::POST, "/t/demo/booking/resend", None),
            "/t/demo/booking"
        );
        assert_eq!(
            back_for(&Method::POST, "/t/demo/booking/change/extend", None),
            "/t/demo/booking/change"
        );
        assert_eq!(
            back_for(&Method::GET, "/t/demo/apply/slots", Some("from=2026-12-07")),
            "/t/demo/apply/slots?from=2026-12-07"
        );
    }
}
