//! メールの文面: a municipality's own wording of its mails (see
//! [`crate::core::mail_wording`]), one row per mail and language. Read each time a mail is
//! built, so a change on the console is used at once by every instance; the outbox keeps
//! the mail as it was rendered, so a retry sends the same mail. Each change is written with
//! its audit entry (before → after) in one transaction.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::audit::{AuditEntry, AuditWrites};
use super::schema::{mail_templates, tenants};
use super::tenants::StaffAction;
use super::{Db, DbError};
use crate::core::mail_wording::{MailKind, Wording, diff};
use crate::i18n::Lang;
use crate::mail::templates::ShippedWording;
use crate::{db_read, db_write};

/// The audit action: the wording of mails is part of the settings.
pub const AUDIT_ACTION: &str = "settings_change";

/// What the municipality `tenant_id` has worded of `kind` in `lang`.
pub async fn wording(
    db: &Db,
    tenant_id: i64,
    kind: MailKind,
    lang: Lang,
) -> Result<Wording, DbError> {
    let row: Option<(Option<String>, Option<String>)> = db_read!(db, |conn| {
        Ok(mail_templates::table
            .filter(mail_templates::tenant_id.eq(tenant_id))
            .filter(mail_templates::mail.eq(kind.code()))
            .filter(mail_templates::lang.eq(lang.code()))
            .select((mail_templates::subject, mail_templates::body))
            .get_result(conn)
            .await
            .optional()?)
    })?;
    Ok(row
        .map(|(subject, body)| Wording { subject, body })
        .unwrap_or_default())
}

/// One worded mail, for the console's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worded {
    pub kind: MailKind,
    pub lang: Lang,
    pub subject: bool,
    pub body: bool,
    pub updated_at: i64,
}

/// Every mail the municipality has worded.
pub async fn worded(db: &Db, tenant_id: i64) -> Result<Vec<Worded>, DbError> {
    type Row = (String, String, Option<String>, Option<String>, i64);
    let rows: Vec<Row> = db_read!(db, |conn| {
        Ok(mail_templates::table
            .filter(mail_templates::tenant_id.eq(tenant_id))
            .select((
                mail_templates::mail,
                mail_templates::lang,
                mail_templates::subject,
                mail_templates::body,
                mail_templates::updated_at,
            ))
            .load(conn)
            .await?)
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(mail, lang, subject, body, updated_at)| {
            Some(Worded {
                kind: MailKind::parse(&mail)?,
                lang: Lang::parse(&lang)?,
                subject: subject.is_some(),
                body: body.is_some(),
                updated_at,
            })
        })
        .collect())
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordingSaved {
    Saved,
    Unchanged,
}

/// Sets the wording of `kind` in `lang` (an empty [`Wording`] goes back to the shipped
/// one), with an audit entry giving the subject and the changed body lines before and
/// after, as the resident would read them (`shipped` where a part is not worded).
pub async fn save(
    db: &Db,
    by: &StaffAction,
    kind: MailKind,
    lang: Lang,
    new: &Wording,
    shipped: &ShippedWording,
) -> Result<WordingSaved, DbError> {
    db_write!(db, |conn| {
        // The tenant's row is locked first (a no-op update), so that two admins saving at
        // once on PostgreSQL go one after the other and each audit entry's "before" is
        // what the other left.
        diesel::update(tenants::table.find(by.tenant_id))
            .set(tenants::name.eq(tenants::name))
            .execute(conn)
            .await?;
        let old: Option<(Option<String>, Option<String>)> = mail_templates::table
            .filter(mail_templates::tenant_id.eq(by.tenant_id))
            .filter(mail_templates::mail.eq(kind.code()))
            .filter(mail_templates::lang.eq(lang.code()))
            .select((mail_templates::subject, mail_templates::body))
            .get_result(conn)
            .await
            .optional()?;
        let old = old
            .map(|(subject, body)| Wording { subject, body })
            .unwrap_or_default();
        if &old == new {
            return Ok(WordingSaved::Unchanged);
        }
        let shown = |w: &Wording| {
            (
                w.subject.clone().unwrap_or_else(|| shipped.subject.clone()),
                w.body.clone().unwrap_or_else(|| shipped.body.clone()),
            )
        };
        let (old_shown, new_shown) = (shown(&old), shown(new));
        let mut what = diff::describe((&old_shown.0, &old_shown.1), (&new_shown.0, &new_shown.1));
        if what.is_empty() {
            // The same text, worded now or no longer: say which.
            what.push("文面は同じ".to_string());
        }
        let verb = if new.is_shipped() {
            "初期値に戻す"
        } else {
            "変更"
        };
        let detail = format!(
            "メールの文面を{verb}: {}({}) {}",
            kind.title(),
            lang_label(lang),
            what.join("、")
        );
        let scope = mail_templates::table
            .filter(mail_templates::tenant_id.eq(by.tenant_id))
            .filter(mail_templates::mail.eq(kind.code()))
            .filter(mail_templates::lang.eq(lang.code()));
        if new.is_shipped() {
            diesel::delete(scope).execute(conn).await?;
        } else {
            let updated = diesel::update(scope)
                .set((
                    mail_templates::subject.eq(&new.subject),
                    mail_templates::body.eq(&new.body),
                    mail_templates::updated_at.eq(by.now),
                ))
                .execute(conn)
                .await?;
            // The tenant's row lock makes this insert the only one for the mail.
            if updated == 0 {
                diesel::insert_into(mail_templates::table)
                    .values((
                        mail_templates::tenant_id.eq(by.tenant_id),
                        mail_templates::mail.eq(kind.code()),
                        mail_templates::lang.eq(lang.code()),
                        mail_templates::subject.eq(&new.subject),
                        mail_templates::body.eq(&new.body),
                        mail_templates::updated_at.eq(by.now),
                    ))
                    .execute(conn)
                    .await?;
            }
        }
        conn.audit_in(&AuditEntry {
            tenant_id: by.tenant_id,
            staff_user_id: by.staff_user_id,
            action: AUDIT_ACTION,
            booking_id: None,
            detail: &detail,
            now: by.now,
        })
        .await?;
        Ok(WordingSaved::Saved)
    })
}

/// The language's name on the console.
pub fn lang_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "日本語",
        Lang::En => "英語",
    }
}
