//! A new password for a caller who lost theirs, read out once, audited.
use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::*;
use crate::app::AppState;
use crate::core::receipt;
use crate::db::bookings::{self, ByStaff, PasswordChange};
use crate::secrets::random_token;
use crate::web::PathParams;
use crate::web::pickup::mails::{self, AboutBooking};
use crate::web::render;
use crate::web::session::{check_csrf, constant_time_eq};
use crate::web::staff::{Denied, Staff, require};

/// Said when a reissue form no longer matches the booking (sent twice, or a colleague was
/// quicker): nothing was changed.
const ALREADY_REISSUED: &str = "この予約のパスワードは、この画面を開いた後にすでに再発行されています。パスワードは変えていません。もう一度再発行する場合は、[パスワードを再発行]からやり直してください。";

/// Which password a reissue form was opened against: a keyed hash of the stored hash, so
/// the form reveals nothing, and a second post of the same form reissues nothing.
fn password_fingerprint(app: &AppState, b: &bookings::Booking) -> String {
    app.secrets.keyed_hash("password-reissue", &b.password_hash)
}

async fn back_to_booking(
    app: &AppState,
    staff: &Staff,
    booking_id: i64,
    message: String,
) -> Result<Response, Denied> {
    let mut data = data_of(staff);
    data.flash = Some(message);
    save(app, staff, &data).await?;
    Ok(Redirect::to(&staff.url(&format!("/bookings/{booking_id}"))).into_response())
}

const NOT_REISSUABLE: &str =
    "この予約は予約済ではないため(来庁済・不在・取消)、パスワードを再発行できません。";

/// [パスワードを再発行]: what it does, and whether to mail the new one too.
pub async fn reissue_page(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let b = tenant_booking(&app, &staff, id).await?;
    if b.status != "booked" {
        return back_to_booking(&app, &staff, id, NOT_REISSUABLE.to_string()).await;
    }
    let mut ctx = booking_context(&app, &staff, &b).await?;
    ctx.insert("fingerprint", &password_fingerprint(&app, &b));
    Ok(render(&app, "staff/password_reissue.html", &ctx)?.into_response())
}

/// Issues the new password, mails it when asked, and shows it once to read out.
pub async fn reissue(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let b = tenant_booking(&app, &staff, id).await?;
    if b.status != "booked" {
        return back_to_booking(&app, &staff, id, NOT_REISSUABLE.to_string()).await;
    }
    let fingerprint = password_fingerprint(&app, &b);
    if !constant_time_eq(
        field(&form, "fingerprint").as_bytes(),
        fingerprint.as_bytes(),
    ) {
        return back_to_booking(&app, &staff, id, ALREADY_REISSUED.to_string()).await;
    }
    let password = random_token(receipt::PASSWORD_BYTES);
    let new_hash = mails::password_hash(&app, staff.tenant.id, &b.receipt_number, &password);
    let mail = if field(&form, "send_mail") == "1" {
        mails::about_booking(
            &app,
            &staff.tenant,
            &b,
            AboutBooking::Confirmed,
            (b.day, b.start_min, b.end_min),
            Some(&password),
        )
        .await?
    } else {
        Vec::new()
    };
    let detail = format!(
        "パスワード再発行: 受付番号{}{}",
        receipt::format_receipt(&b.receipt_number),
        if !mail.is_empty() {
            "(予約完了通知メールを再送)"
        } else {
            "(メールは送らず口頭で案内)"
        }
    );
    let replaced = bookings::replace_password(
        &app.db,
        b.id,
        &PasswordChange {
            expected_hash: Some(&b.password_hash),
            new_hash: &new_hash,
            now: app.clock.now_unix(),
        },
        &mail,
        Some(&ByStaff {
            staff_user_id: staff.user.id,
            action: "reissue_password",
            detail: &detail,
        }),
    )
    .await?;
    if !replaced {
        return back_to_booking(&app, &staff, id, ALREADY_REISSUED.to_string()).await;
    }
    if !mail.is_empty() {
        app.mail_wakeup.notify_one();
    }
    render_read_out(
        &app,
        &staff,
        ReadOut {
            template: "staff/password_reissued.html",
            booking_id: b.id,
            receipt_number: &b.receipt_number,
            password: &password,
            mailed_to: (!mail.is_empty()).then_some(b.email.as_deref()).flatten(),
        },
    )
    .await
}
