//! The municipality's 受取人情報 fields (see [`crate::core::recipient_fields`]): read on every
//! booking form, so a change on the console takes effect at once on every instance; and the
//! console's changes, each written with its audit entry (before → after) in one
//! transaction. The answers live with the people (`booking_people.answers`, see
//! [`super::bookings::people`]).
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::audit::{AuditEntry, AuditWrites};
use super::schema::{recipient_fields, tenants};
use super::tenants::StaffAction;
use super::{Db, DbError};
use crate::core::recipient_fields::admin::{Definition, describe_definition_change};
use crate::core::recipient_fields::{
    Asked, Builtin, Choice, ExtraField, ExtraKind, MAX_EXTRA_FIELDS, RecipientForm, Requirement,
    Wording,
};
use crate::{db_read, db_write};

/// The audit action: the fields were part of the settings and still are.
pub const AUDIT_ACTION: &str = "settings_change";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = recipient_fields)]
struct FieldRow {
    id: i64,
    kind: String,
    label_ja: String,
    label_en: String,
    help_ja: String,
    help_en: String,
    choices: String,
    requirement: String,
    active: bool,
    position: i32,
}

/// The form from a tenant's rows (in position, then id, order). A built-in field without
/// a row is asked as it always was; a row this program cannot read (never expected) asks
/// the built-in field as by default and leaves out an extra field.
fn assemble(rows: Vec<FieldRow>) -> RecipientForm {
    let mut form = RecipientForm::default();
    for row in rows {
        let requirement = Requirement::parse(&row.requirement);
        if let Some(which) = Builtin::parse(&row.kind) {
            let asked = match requirement {
                _ if !row.active => None,
                Some(r) if which.allows(r) => Some(r),
                _ => which.default_asked(),
            };
            form.set_builtin(which, asked);
            continue;
        }
        let Some(kind) = ExtraKind::parse(&row.kind) else {
            continue;
        };
        let choices: Vec<Choice> = serde_json::from_str(&row.choices).unwrap_or_default();
        form.extras.push(ExtraField {
            id: row.id,
            kind,
            label: Wording::new(row.label_ja, row.label_en),
            help: Wording::new(row.help_ja, row.help_en),
            choices,
            required: requirement != Some(Requirement::Optional),
            active: row.active,
            position: row.position,
        });
    }
    form
}

/// What `tenant_id` asks of each person now: one query.
pub async fn form(db: &Db, tenant_id: i64) -> Result<RecipientForm, DbError> {
    let rows = db_read!(db, |conn| {
        Ok(recipient_fields::table
            .filter(recipient_fields::tenant_id.eq(tenant_id))
            .order((recipient_fields::position, recipient_fields::id))
            .select(FieldRow::as_select())
            .load(conn)
            .await?)
    })?;
    Ok(assemble(rows))
}

fn entry<'a>(by: &StaffAction, detail: &'a str) -> AuditEntry<'a> {
    AuditEntry {
        tenant_id: by.tenant_id,
        staff_user_id: by.staff_user_id,
        action: AUDIT_ACTION,
        booking_id: None,
        detail,
        now: by.now,
    }
}

/// Sets how the three built-in fields are asked, with the audit entry `detail`.
pub async fn save_builtins(
    db: &Db,
    by: &StaffAction,
    asked: [Asked; 3],
    detail: &str,
) -> Result<(), DbError> {
    // A row is created the first time a built-in field is changed. Two admins saving the
    // very first change at once on PostgreSQL may both try to create it: the unique index
    // refuses the second, which then finds the row and updates it.
    for attempt in 0..2 {
        let outcome = db_write!(db, |conn| {
            for (which, asked) in Builtin::ALL.into_iter().zip(asked) {
                let (active, requirement) = match asked {
                    Some(r) => (true, r),
                    None => (
                        false,
                        which.default_asked().unwrap_or(Requirement::Required),
                    ),
                };
                let updated = diesel::update(
                    recipient_fields::table
                        .filter(recipient_fields::tenant_id.eq(by.tenant_id))
                        .filter(recipient_fields::kind.eq(which.code())),
                )
                .set((
                    recipient_fields::active.eq(active),
                    recipient_fields::requirement.eq(requirement.as_str()),
                    recipient_fields::updated_at.eq(by.now),
                ))
                .execute(conn)
                .await?;
                if updated == 0 {
                    diesel::insert_into(recipient_fields::table)
                        .values((
                            recipient_fields::tenant_id.eq(by.tenant_id),
                            recipient_fields::kind.eq(which.code()),
                            recipient_fields::active.eq(active),
                            recipient_fields::requirement.eq(requirement.as_str()),
                            recipient_fields::created_at.eq(by.now),
                            recipient_fields::updated_at.eq(by.now),
                        ))
                        .execute(conn)
                        .await?;
                }
            }
            conn.audit_in(&entry(by, detail)).await?;
            Ok(())
        });
        match outcome {
            Err(e) if attempt == 0 && e.is_unique_violation() => continue,
            other => return other,
        }
    }
    unreachable!("the second attempt returns")
}

fn requirement_of(def: &Definition) -> &'static str {
    if def.required {
        Requirement::Required.as_str()
    } else {
        Requirement::Optional.as_str()
    }
}

fn choices_json(def: &Definition) -> String {
    serde_json::to_string(&def.choices).unwrap_or_else(|_| "[]".to_string())
}

/// What a change to a field of the municipality's own did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldSaved {
    Saved,
    Unchanged,
    /// The municipality has [`MAX_EXTRA_FIELDS`] fields already; nothing was written.
    TooMany,
    /// No such field in this municipality.
    NotFound,
}

const TOO_MANY: &str = "too many fields";

/// Adds a field of the municipality's own, with its audit entry.
pub async fn add_extra(db: &Db, by: &StaffAction, def: &Definition) -> Result<FieldSaved, DbError> {
    let outcome = db_write!(db, |conn| {
        // The tenant's row is locked first (a no-op update), so that two admins adding
        // at once on PostgreSQL count one after the other and never pass the limit.
        diesel::update(tenants::table.find(by.tenant_id))
            .set(tenants::name.eq(tenants::name))
            .execute(conn)
            .await?;
        let extras: i64 = recipient_fields::table
            .filter(recipient_fields::tenant_id.eq(by.tenant_id))
            .filter(recipient_fields::kind.ne_all(Builtin::ALL.map(Builtin::code).to_vec()))
            .count()
            .get_result(conn)
            .await?;
        if extras >= MAX_EXTRA_FIELDS as i64 {
            return Err(DbError::Conflict(TOO_MANY));
        }
        diesel::insert_into(recipient_fields::table)
            .values((
                recipient_fields::tenant_id.eq(by.tenant_id),
                recipient_fields::kind.eq(def.kind.as_str()),
                recipient_fields::label_ja.eq(&def.label.ja),
                recipient_fields::label_en.eq(&def.label.en),
                recipient_fields::help_ja.eq(&def.help.ja),
                recipient_fields::help_en.eq(&def.help.en),
                recipient_fields::choices.eq(choices_json(def)),
                recipient_fields::requirement.eq(requirement_of(def)),
                recipient_fields::active.eq(def.active),
                recipient_fields::position.eq(def.position),
                recipient_fields::created_at.eq(by.now),
                recipient_fields::updated_at.eq(by.now),
            ))
            .execute(conn)
            .await?;
        let detail = format!("受取人情報の項目を追加: {}", def.summary());
        conn.audit_in(&entry(by, &detail)).await?;
        Ok(FieldSaved::Saved)
    });
    match outcome {
        Err(DbError::Conflict(TOO_MANY)) => Ok(FieldSaved::TooMany),
        other => other,
    }
}

/// Reading one field inside a write transaction.
trait ExtraFieldReads {
    /// The municipality's own field `id`, if it is one of `tenant_id`'s.
    fn extra_in(
        &mut self,
        tenant_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<Option<ExtraField>, DbError>> + Send;
}

crate::impl_for_both_backends!(ExtraFieldReads {
    async fn extra_in(&mut self, tenant_id: i64, id: i64) -> Result<Option<ExtraField>, DbError> {
        let row: Option<FieldRow> = recipient_fields::table
            .filter(recipient_fields::id.eq(id))
            .filter(recipient_fields::tenant_id.eq(tenant_id))
            .select(FieldRow::as_select())
            .get_result(self)
            .await
            .optional()?;
        Ok(row
            .filter(|r| Builtin::parse(&r.kind).is_none())
            .and_then(|r| assemble(vec![r]).extras.pop()))
    }
});

/// Changes a field of the municipality's own; the audit entry says what changed, before
/// and after. Bookings made before keep their answers as given (see
/// [`crate::core::recipient_fields`]).
pub async fn update_extra(
    db: &Db,
    by: &StaffAction,
    id: i64,
    def: &Definition,
) -> Result<FieldSaved, DbError> {
    db_write!(db, |conn| {
        let Some(old) = conn.extra_in(by.tenant_id, id).await? else {
            return Ok(FieldSaved::NotFound);
        };
        let old = Definition::of(&old);
        let what = describe_definition_change(&old, def);
        if what.is_empty() {
            return Ok(FieldSaved::Unchanged);
        }
        diesel::update(recipient_fields::table.find(id))
            .set((
                recipient_fields::kind.eq(def.kind.as_str()),
                recipient_fields::label_ja.eq(&def.label.ja),
                recipient_fields::label_en.eq(&def.label.en),
                recipient_fields::help_ja.eq(&def.help.ja),
                recipient_fields::help_en.eq(&def.help.en),
                recipient_fields::choices.eq(choices_json(def)),
                recipient_fields::requirement.eq(requirement_of(def)),
                recipient_fields::active.eq(def.active),
                recipient_fields::position.eq(def.position),
                recipient_fields::updated_at.eq(by.now),
            ))
            .execute(conn)
            .await?;
        let detail = format!(
            "受取人情報の項目「{}」を変更: {}",
            old.label.ja,
            what.join("、")
        );
        conn.audit_in(&entry(by, &detail)).await?;
        Ok(FieldSaved::Saved)
    })
}

/// Deletes a field of the municipality's own. Answers already given stay with their
/// bookings, under the label they were given under.
pub async fn delete_extra(db: &Db, by: &StaffAction, id: i64) -> Result<FieldSaved, DbError> {
    db_write!(db, |conn| {
        let Some(old) = conn.extra_in(by.tenant_id, id).await? else {
            return Ok(FieldSaved::NotFound);
        };
        diesel::delete(recipient_fields::table.find(id))
            .execute(conn)
            .await?;
        let detail = format!("受取人情報の項目を削除: {}", Definition::of(&old).summary());
        conn.audit_in(&entry(by, &detail)).await?;
        Ok(FieldSaved::Saved)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, kind: &str, requirement: &str, active: bool) -> FieldRow {
        FieldRow {
            id,
            kind: kind.into(),
            label_ja: format!("項目{id}"),
            label_en: String::new(),
            help_ja: String::new(),
            help_en: String::new(),
            choices: r#"[{"ja":"A","en":"a"},{"ja":"B"}]"#.into(),
            requirement: requirement.into(),
            active,
            position: id as i32,
        }
    }

    #[test]
    fn rows_make_the_form_and_missing_built_ins_keep_their_default() {
        assert_eq!(assemble(Vec::new()), RecipientForm::default());
        let form = assemble(vec![
            row(1, "phone", "first", false),
            row(2, "kana", "optional", true),
            // A requirement a name may not have: read as its default.
            row(3, "name", "first", true),
            row(4, "choice", "required", true),
            row(5, "yes_no", "optional", false),
            row(6, "hologram", "required", true),
        ]);
        assert_eq!(form.phone, None);
        assert_eq!(form.kana, Some(Requirement::Optional));
        assert_eq!(form.name, Some(Requirement::Required));
        let extras: Vec<(i64, ExtraKind, bool, bool)> = form
            .extras
            .iter()
            .map(|f| (f.id, f.kind, f.required, f.active))
            .collect();
        assert_eq!(
            extras,
            [
                (4, ExtraKind::Choice, true, true),
                (5, ExtraKind::YesNo, false, false)
            ]
        );
        assert_eq!(form.extras[0].choices[0].en, "a");
        assert_eq!(form.extras[0].choices[1].en, "");
    }
}
