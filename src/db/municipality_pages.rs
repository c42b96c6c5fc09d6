//! 画面の文言 and the header image: what a municipality wrote for its resident pages
//! (`municipality_texts`, and the call-centre line on the tenant row) and its picture
//! (`header_images`). Every write takes the tenant row first (bumping `pages_version`, so
//! two admins' saves run one after the other and every instance sees its copy is old),
//! reads what was there, and writes the change with its audit entry (before → after) in the
//! same transaction.
use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::audit::{AuditEntry, AuditWrites};
use super::schema::{header_images, municipality_texts, tenants};
use super::tenants::StaffAction;
use super::{Db, DbError};
use crate::core::municipality_pages::header_image::CheckedImage;
use crate::core::municipality_pages::{PageText, Written, describe_change};
use crate::{db_read, db_write};

/// The header image without its bytes: what a page needs to show it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = header_images)]
pub struct HeaderImage {
    pub sha256: String,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub file_name: String,
    pub alt_ja: String,
    pub alt_en: String,
    pub updated_at: i64,
}

/// Everything the municipality wrote for its pages but the call-centre line (which is on
/// the tenant row, read with it), as of one moment.
#[derive(Debug, Clone, Default)]
pub struct StoredPages {
    pub texts: HashMap<PageText, Written>,
    pub image: Option<HeaderImage>,
}

impl StoredPages {
    pub fn written(&self, which: PageText) -> Written {
        self.texts.get(&which).cloned().unwrap_or_default()
    }
}

/// The call-centre line as written on the tenant row ('' = not written).
pub fn call_centre_of(contact: &str, contact_en: &str) -> Written {
    Written {
        ja: (!contact.is_empty()).then(|| contact.to_string()),
        en: (!contact_en.is_empty()).then(|| contact_en.to_string()),
    }
}

fn texts_from_rows(rows: Vec<(String, String, String)>) -> HashMap<PageText, Written> {
    let mut texts: HashMap<PageText, Written> = HashMap::new();
    for (key, lang, body) in rows {
        // A key of a later release that this one does not know is left alone.
        let Some(which) = PageText::from_key(&key) else {
            continue;
        };
        let w = texts.entry(which).or_default();
        match lang.as_str() {
            "ja" => w.ja = Some(body),
            "en" => w.en = Some(body),
            _ => {}
        }
    }
    texts
}

pub async fn load(db: &Db, tenant_id: i64) -> Result<StoredPages, DbError> {
    db_read!(db, |conn| {
        let rows: Vec<(String, String, String)> = municipality_texts::table
            .filter(municipality_texts::tenant_id.eq(tenant_id))
            .select((
                municipality_texts::text_key,
                municipality_texts::lang,
                municipality_texts::body,
            ))
            .load(conn)
            .await?;
        let image = header_images::table
            .find(tenant_id)
            .select(HeaderImage::as_select())
            .get_result(conn)
            .await
            .optional()?;
        Ok(StoredPages {
            texts: texts_from_rows(rows),
            image,
        })
    })
}

/// The picture's bytes and type when `sha256` is the municipality's picture now.
pub async fn image_bytes(
    db: &Db,
    tenant_id: i64,
    sha256: &str,
) -> Result<Option<(String, Vec<u8>)>, DbError> {
    db_read!(db, |conn| {
        Ok(header_images::table
            .filter(header_images::tenant_id.eq(tenant_id))
            .filter(header_images::sha256.eq(sha256))
            .select((header_images::content_type, header_images::bytes))
            .get_result(conn)
            .await
            .optional()?)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Saved,
    Unchanged,
    /// Only the alternative text was sent, and there is no picture to give it to.
    NoImage,
}

const UNCHANGED: &str = "unchanged";
const NO_IMAGE: &str = "no image";

fn outcome(result: Result<(), DbError>) -> Result<Saved, DbError> {
    match result {
        Ok(()) => Ok(Saved::Saved),
        Err(DbError::Conflict(UNCHANGED)) => Ok(Saved::Unchanged),
        Err(DbError::Conflict(NO_IMAGE)) => Ok(Saved::NoImage),
        Err(e) => Err(e),
    }
}

fn entry<'a>(by: &StaffAction, action: &'a str, detail: &'a str) -> AuditEntry<'a> {
    AuditEntry {
        tenant_id: by.tenant_id,
        staff_user_id: by.staff_user_id,
        action,
        booking_id: None,
        detail,
        now: by.now,
    }
}

/// Stores what the municipality wrote for `which` (`Written::default()` = back to the
/// shipped default), audited as `pages_change` with before and after.
pub async fn save_text(
    db: &Db,
    by: &StaffAction,
    which: PageText,
    new: &Written,
) -> Result<Saved, DbError> {
    outcome(db_write!(db, |conn| {
        // First: the row lock that queues a concurrent save behind this one.
        diesel::update(tenants::table.find(by.tenant_id))
            .set(tenants::pages_version.eq(tenants::pages_version + 1))
            .execute(conn)
            .await?;
        let old = if which == PageText::CallCentre {
            let (ja, en): (String, String) = tenants::table
                .find(by.tenant_id)
                .select((tenants::contact, tenants::contact_en))
                .get_result(conn)
                .await?;
            call_centre_of(&ja, &en)
        } else {
            let rows: Vec<(String, String, String)> = municipality_texts::table
                .filter(municipality_texts::tenant_id.eq(by.tenant_id))
                .filter(municipality_texts::text_key.eq(which.key()))
                .select((
                    municipality_texts::text_key,
                    municipality_texts::lang,
                    municipality_texts::body,
                ))
                .load(conn)
                .await?;
            texts_from_rows(rows).remove(&which).unwrap_or_default()
        };
        let Some(change) = describe_change(which, &old, new) else {
            return Err(DbError::Conflict(UNCHANGED));
        };
        if which == PageText::CallCentre {
            diesel::update(tenants::table.find(by.tenant_id))
                .set((
                    tenants::contact.eq(new.ja.as_deref().unwrap_or("")),
                    tenants::contact_en.eq(new.en.as_deref().unwrap_or("")),
                ))
                .execute(conn)
                .await?;
        } else {
            diesel::delete(
                municipality_texts::table
                    .filter(municipality_texts::tenant_id.eq(by.tenant_id))
                    .filter(municipality_texts::text_key.eq(which.key())),
            )
            .execute(conn)
            .await?;
            for (lang, body) in [("ja", &new.ja), ("en", &new.en)] {
                if let Some(body) = body {
                    diesel::insert_into(municipality_texts::table)
                        .values((
                            municipality_texts::tenant_id.eq(by.tenant_id),
                            municipality_texts::text_key.eq(which.key()),
                            municipality_texts::lang.eq(lang),
                            municipality_texts::body.eq(body),
                            municipality_texts::updated_at.eq(by.now),
                        ))
                        .execute(conn)
                        .await?;
                }
            }
        }
        let detail = if new.is_default() {
            format!("画面の文言を初期値に戻す: {change}")
        } else {
            format!("画面の文言を変更: {change}")
        };
        conn.audit_in(&entry(by, "pages_change", &detail)).await?;
        Ok(())
    }))
}

/// A picture that passed [`check`](crate::core::municipality_pages::header_image::check).
pub struct NewImage<'a> {
    pub bytes: &'a [u8],
    pub checked: CheckedImage,
    pub sha256: String,
    pub file_name: &'a str,
}

fn image_words(image: Option<&HeaderImage>) -> String {
    match image {
        None => "なし".to_string(),
        Some(i) => format!("{}({}×{})", i.file_name, i.width, i.height),
    }
}

fn image_change(old: Option<&HeaderImage>, new: Option<&HeaderImage>) -> Option<String> {
    let mut parts = Vec::new();
    if old.map(|i| &i.sha256) != new.map(|i| &i.sha256) {
        parts.push(format!("画像 {}→{}", image_words(old), image_words(new)));
    }
    let alt = |i: Option<&HeaderImage>, en: bool| match i {
        None => "なし".to_string(),
        Some(i) if en && i.alt_en.is_empty() => "日本語と同じ".to_string(),
        Some(i) => format!("「{}」", if en { &i.alt_en } else { &i.alt_ja }),
    };
    for en in [false, true] {
        let (a, b) = (alt(old, en), alt(new, en));
        if a != b {
            let which = if en {
                "代替テキスト(英語)"
            } else {
                "代替テキスト"
            };
            parts.push(format!("{which} {a}→{b}"));
        }
    }
    (!parts.is_empty()).then(|| parts.join("、"))
}

/// Sets the header picture (`image` None: keeps the picture, changes its alternative
/// texts), audited as `header_image_change` with before and after.
pub async fn save_image(
    db: &Db,
    by: &StaffAction,
    image: Option<&NewImage<'_>>,
    alt_ja: &str,
    alt_en: &str,
) -> Result<Saved, DbError> {
    outcome(db_write!(db, |conn| {
        diesel::update(tenants::table.find(by.tenant_id))
            .set(tenants::pages_version.eq(tenants::pages_version + 1))
            .execute(conn)
            .await?;
        let old = header_images::table
            .find(by.tenant_id)
            .select(HeaderImage::as_select())
            .get_result(conn)
            .await
            .optional()?;
        let new = match (image, &old) {
            (Some(i), _) => HeaderImage {
                sha256: i.sha256.clone(),
                content_type: i.checked.kind.content_type().to_string(),
                width: i.checked.width as i32,
                height: i.checked.height as i32,
                file_name: i.file_name.to_string(),
                alt_ja: alt_ja.to_string(),
                alt_en: alt_en.to_string(),
                updated_at: by.now,
            },
            (None, Some(old)) => HeaderImage {
                alt_ja: alt_ja.to_string(),
                alt_en: alt_en.to_string(),
                updated_at: by.now,
                ..old.clone()
            },
            (None, None) => return Err(DbError::Conflict(NO_IMAGE)),
        };
        let Some(change) = image_change(old.as_ref(), Some(&new)) else {
            return Err(DbError::Conflict(UNCHANGED));
        };
        match image {
            Some(i) => {
                diesel::delete(header_images::table.find(by.tenant_id))
                    .execute(conn)
                    .await?;
                diesel::insert_into(header_images::table)
                    .values((
                        header_images::tenant_id.eq(by.tenant_id),
                        header_images::sha256.eq(&new.sha256),
                        header_images::content_type.eq(&new.content_type),
                        header_images::width.eq(new.width),
                        header_images::height.eq(new.height),
                        header_images::bytes.eq(i.bytes),
                        header_images::file_name.eq(&new.file_name),
                        header_images::alt_ja.eq(&new.alt_ja),
                        header_images::alt_en.eq(&new.alt_en),
                        header_images::updated_at.eq(by.now),
                    ))
                    .execute(conn)
                    .await?;
            }
            None => {
                diesel::update(header_images::table.find(by.tenant_id))
                    .set((
                        header_images::alt_ja.eq(&new.alt_ja),
                        header_images::alt_en.eq(&new.alt_en),
                        header_images::updated_at.eq(by.now),
                    ))
                    .execute(conn)
                    .await?;
            }
        }
        let detail = format!("ヘッダー画像を変更: {change}");
        conn.audit_in(&entry(by, "header_image_change", &detail))
            .await?;
        Ok(())
    }))
}

/// Takes the header picture away (the pages show the site name alone again).
pub async fn remove_image(db: &Db, by: &StaffAction) -> Result<Saved, DbError> {
    outcome(db_write!(db, |conn| {
        diesel::update(tenants::table.find(by.tenant_id))
            .set(tenants::pages_version.eq(tenants::pages_version + 1))
            .execute(conn)
            .await?;
        let old = header_images::table
            .find(by.tenant_id)
            .select(HeaderImage::as_select())
            .get_result(conn)
            .await
            .optional()?;
        let Some(change) = image_change(old.as_ref(), None) else {
            return Err(DbError::Conflict(UNCHANGED));
        };
        diesel::delete(header_images::table.find(by.tenant_id))
            .execute(conn)
            .await?;
        let detail = format!("ヘッダー画像を削除: {change}");
        conn.audit_in(&entry(by, "header_image_change", &detail))
            .await?;
        Ok(())
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(sha: &str, alt_ja: &str, alt_en: &str) -> HeaderImage {
        HeaderImage {
            sha256: sha.into(),
            content_type: "image/png".into(),
            width: 320,
            height: 80,
            file_name: format!("{sha}.png"),
            alt_ja: alt_ja.into(),
            alt_en: alt_en.into(),
            updated_at: 0,
        }
    }

    #[test]
    fn image_changes_are_described_with_before_and_after() {
        let a = image("a", "デモ市", "");
        assert_eq!(
            image_change(None, Some(&a)).unwrap(),
            "画像 なし→a.png(320×80)、代替テキスト なし→「デモ市」、代替テキスト(英語) なし→日本語と同じ"
        );
        let b = image("b", "デモ市", "Demo City");
        assert_eq!(
            image_change(Some(&a), Some(&b)).unwrap(),
            "画像 a.png(320×80)→b.png(320×80)、代替テキスト(英語) 日本語と同じ→「Demo City」"
        );
        assert_eq!(image_change(Some(&a), Some(&a)), None);
        assert!(
            image_change(Some(&a), None)
                .unwrap()
                .starts_with("画像 a.png")
        );
    }

    #[test]
    fn the_call_centre_line_is_written_when_not_empty() {
        assert!(call_centre_of("", "").is_default());
        assert_eq!(
            call_centre_of("市民課", ""),
            Written {
                ja: Some("市民課".into()),
                en: None
            }
        );
    }
}
