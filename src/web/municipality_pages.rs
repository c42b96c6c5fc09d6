//! What the resident pages show of the municipality's 画面の文言 and header image, and the
//! image's own URL.
//!
//! Each instance keeps the municipality's texts in memory with the `pages_version` they
//! were read at. Every resident request reads the tenant row anyway, and a change bumps
//! that version in the same transaction, so a request that sees a newer version than the
//! copy reloads it: a change shows on the next page on every instance, and an unchanged
//! municipality costs no query.
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::error::WebError;
use crate::app::{App, AppState};
use crate::core::municipality_pages::header_image::ImageKind;
use crate::core::municipality_pages::{PageText, Shown, shown};
use crate::db::municipality_pages::{self as storage, StoredPages, call_centre_of};
use crate::db::tenants::Tenant;
use crate::db::{Db, DbError};
use crate::i18n::{Lang, Msg};
use crate::web::PathParams;

/// The copies of each municipality's texts this instance holds, by tenant id, with the
/// version they were read at.
#[derive(Default)]
pub struct PagesCache {
    copies: RwLock<HashMap<i64, (i64, Arc<StoredPages>)>>,
}

impl PagesCache {
    /// This instance's copy when it is as new as `tenant`'s version, without a query.
    pub fn cached(&self, tenant: &Tenant) -> Option<Arc<StoredPages>> {
        let copies = self.copies.read().unwrap_or_else(|e| e.into_inner());
        copies
            .get(&tenant.id)
            .filter(|(version, _)| *version >= tenant.pages_version)
            .map(|(_, pages)| pages.clone())
    }

    /// The municipality's texts as of `tenant`'s version or later, read from the database
    /// when this instance's copy is older.
    pub async fn current(&self, db: &Db, tenant: &Tenant) -> Result<Arc<StoredPages>, DbError> {
        if let Some(pages) = self.cached(tenant) {
            return Ok(pages);
        }
        let pages = Arc::new(storage::load(db, tenant.id).await?);
        let mut copies = self.copies.write().unwrap_or_else(|e| e.into_inner());
        // A slower request that read an older tenant row must not put an older copy back.
        let keep_newer = copies
            .get(&tenant.id)
            .is_some_and(|(version, _)| *version > tenant.pages_version);
        if !keep_newer {
            copies.insert(tenant.id, (tenant.pages_version, pages.clone()));
        }
        Ok(pages)
    }
}

/// The header picture as a page shows it.
#[derive(Serialize)]
struct HeaderImageView {
    url: String,
    alt: String,
    /// "ja" when an English page shows the Japanese alternative text.
    alt_lang: Option<&'static str>,
    width: i32,
    height: i32,
}

pub fn image_url(slug: &str, image: &storage::HeaderImage) -> String {
    let ext = ImageKind::from_content_type(&image.content_type)
        .map(ImageKind::extension)
        .unwrap_or("img");
    format!("/t/{slug}/header-image/{}.{ext}", image.sha256)
}

/// The shipped wording of `which` in `lang`.
pub fn default_text(which: PageText, lang: Lang, tenant: &Tenant) -> String {
    match which.default_id() {
        // The English hints end with a space for the format's description after them.
        Some(id) => Msg::new(id)
            .arg("tenant", tenant.name.as_str())
            .resolve(lang)
            .trim_end()
            .to_string(),
        None => String::new(),
    }
}

/// What a page in `lang` shows for `which`.
pub fn text_in(pages: &StoredPages, tenant: &Tenant, which: PageText, lang: Lang) -> Shown {
    let written = if which == PageText::CallCentre {
        call_centre_of(&tenant.contact, &tenant.contact_en)
    } else {
        pages.written(which)
    };
    shown(&written, lang, |l| default_text(which, l, tenant))
}

/// The call-centre line in `lang` (the Japanese when no English was given): for mails and
/// sentences made in Rust, which need no copy of the other texts.
pub fn call_centre(tenant: &Tenant, lang: Lang) -> String {
    text_in(&StoredPages::default(), tenant, PageText::CallCentre, lang).text
}

/// Puts the municipality's wording into a resident page's context, in the request's
/// language: `site_name`, `header_image`, `pages.<key>` (each `{text, lang}`), and
/// `contact` (the call-centre line, the name every template reads) with `contact_lang`.
pub fn insert(ctx: &mut tera::Context, tenant: &Tenant, pages: &StoredPages) {
    let lang = Lang::current();
    let mut texts: HashMap<&'static str, Shown> = HashMap::new();
    for which in PageText::ALL {
        texts.insert(which.key(), text_in(pages, tenant, which, lang));
    }
    let contact = texts.remove(PageText::CallCentre.key()).unwrap_or(Shown {
        text: String::new(),
        lang: None,
    });
    ctx.insert("contact", &contact.text);
    ctx.insert("contact_lang", &contact.lang);
    ctx.insert("site_name", &texts.remove(PageText::SiteName.key()));
    ctx.insert("pages", &texts);
    let image = pages.image.as_ref().map(|i| {
        let (alt, alt_lang) = match lang {
            Lang::En if !i.alt_en.is_empty() => (i.alt_en.clone(), None),
            Lang::En => (i.alt_ja.clone(), Some("ja")),
            Lang::Ja => (i.alt_ja.clone(), None),
        };
        HeaderImageView {
            url: image_url(&tenant.slug, i),
            alt,
            alt_lang,
            width: i.width,
            height: i.height,
        }
    });
    ctx.insert("header_image", &image);
}

/// Loads the municipality's texts (see [`PagesCache`]) and puts them into `ctx`.
pub async fn insert_current(
    app: &App,
    ctx: &mut tera::Context,
    tenant: &Tenant,
) -> Result<(), WebError> {
    let pages = app.pages.current(&app.db, tenant).await?;
    insert(ctx, tenant, &pages);
    Ok(())
}

/// `/t/{tenant}/header-image/{sha256}.{ext}`: the picture, cached for a year by browsers
/// and proxies (its URL changes with its content). An old or unknown name is not found.
pub async fn header_image(
    State(app): State<AppState>,
    PathParams((slug, file)): PathParams<(String, String)>,
) -> Result<Response, WebError> {
    let tenant = crate::db::tenants::find_by_slug(&app.db, &slug)
        .await?
        .ok_or(WebError::NotFound)?;
    let Some((sha256, ext)) = file.split_once('.') else {
        return Err(WebError::NotFound);
    };
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(WebError::NotFound);
    }
    let (content_type, bytes) = storage::image_bytes(&app.db, tenant.id, sha256)
        .await?
        .ok_or(WebError::NotFound)?;
    let kind = ImageKind::from_content_type(&content_type).ok_or(WebError::NotFound)?;
    if kind.extension() != ext {
        return Err(WebError::NotFound);
    }
    Ok((
        [
            (header::CONTENT_TYPE, kind.content_type()),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        bytes,
    )
        .into_response())
}
