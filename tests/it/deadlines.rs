//! Cut-offs in days (issue 11): an admin sets 「予約日前日の17:00まで」 for booking and
//! 「予約日の3日前まで」 for changes; residents see the rules, are warned before booking a
//! time already past the change deadline, cannot cancel after it, and cannot book past the
//! booking cut-off; with late booking off such times are not offered. Both databases.
use axum::http::StatusCode;
use madoguchi::db::audit;
use madoguchi::db::notices::NewNotice;
use madoguchi::demo::sample_notices;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf, line_value};
use crate::on_both_databases;
use crate::resident::{digits, hold_labelled, open_link, post_apply, slot_labelled, submit_entry};

const MAIN: &str = "本庁舎 市民課";
const CONTACT: &str = "デモ市 コールセンター 0570-000-000";

/// The call-centre line, set where the administrator sets it (画面の文言 → お問い合わせ先).
async fn set_contact(admin: &mut Client) {
    let page = admin.get("/t/demo/staff/pages").await;
    let saved = admin
        .post_form(
            "/t/demo/staff/pages/texts/call_centre",
            &[("csrf", &csrf(&page.body)), ("ja", CONTACT), ("en", "")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
}

/// Posts the 予約と変更・取消の締切 form.
async fn save_deadlines(admin: &mut Client, fields: &[(&str, &str)]) -> Page {
    let page = admin.get("/t/demo/staff/settings").await;
    let token = csrf(&page.body);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    admin
        .post_form("/t/demo/staff/settings/deadlines", &all)
        .await
}

/// 「予約日前日の17:00まで」 and 「予約日の3日前まで」, late booking as given.
async fn seed_deadlines(admin: &mut Client, late: bool) {
    let mut fields = vec![
        ("booking_cutoff_form", "days"),
        ("booking_cutoff_min", "60"),
        ("booking_cutoff_days", "１"),
        ("booking_cutoff_until", "17時"),
        ("change_cutoff_form", "days"),
        ("cancel_deadline_hours", "24"),
        ("cancel_deadline_days", "3"),
        ("cancel_deadline_until", ""),
    ];
    if late {
        fields.push(("late_booking_allowed", "1"));
    }
    let saved = save_deadlines(admin, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
}

/// Entry, address check and the booking form for one notice; returns the client at the grid.
async fn to_grid(app: &TestApp, notice: &NewNotice, email: &str) -> (Client, Page) {
    let mut client = app.client();
    let sent = submit_entry(&mut client, &[(&notice.number1, &digits(notice))], email).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    let form = open_link(app, &mut client, email).await;
    let counter = app.counter_id(MAIN).await;
    let chose = post_apply(&mut client, &form.body, 1, counter, "choose").await;
    assert_eq!(chose.location.as_deref(), Some("/t/demo/apply/slots"));
    let grid = client.get("/t/demo/apply/slots").await;
    (client, grid)
}

/// Holds the cell announced as `cell` and goes on to the confirmation page.
async fn to_confirm(app: &TestApp, client: &mut Client, cell: &str) -> Page {
    let (_, form) = hold_labelled(client, cell).await;
    form.assert_text("仮押さえ中です");
    let counter = app.counter_id(MAIN).await;
    let next = post_apply(client, &form.body, 1, counter, "confirm").await;
    assert_eq!(next.location.as_deref(), Some("/t/demo/apply/confirm"));
    client.get("/t/demo/apply/confirm").await
}

async fn press_book(client: &mut Client, confirm: &Page) -> Page {
    client
        .post_form("/t/demo/apply/confirm", &[("csrf", &csrf(&confirm.body))])
        .await
}

async fn look_up(client: &mut Client, receipt: &str, password: &str) -> Page {
    let lookup = client.get("/t/demo/lookup").await;
    client
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", receipt),
                ("password", password),
            ],
        )
        .await;
    client.get("/t/demo/booking").await
}

async fn receipt_of(app: &TestApp, email: &str) -> (String, String, String) {
    let mails = app.mails_to(email).await;
    let mail = mails.last().expect("a completion mail");
    assert!(
        mail.subject.contains("予約完了通知メール"),
        "{}",
        mail.subject
    );
    (
        line_value(&mail.text, "受付番号").unwrap(),
        line_value(&mail.text, "パスワード").unwrap(),
        mail.text.clone(),
    )
}

async fn bookings_count(app: &TestApp) -> i64 {
    crate::common::rows::counts(app.db()).await["bookings"]
}

async fn days_based_deadline_from_settings_to_resident(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut admin = app.admin_client().await;
    set_contact(&mut admin).await;

    // The settings page states the rules in force (the demo's 60 minutes and 24 hours).
    let page = admin.get("/t/demo/staff/settings").await;
    page.assert_text("予約と変更・取消の締切");
    page.assert_text(
        "ウェブでの予約は予約日時の1時間前まで、変更・取消は予約日時の24時間前までです。",
    );

    // Bad values: explained next to their fields, typed values kept, nothing saved.
    let bad = save_deadlines(
        &mut admin,
        &[
            ("booking_cutoff_form", "minutes"),
            ("booking_cutoff_min", "すぐ"),
            ("change_cutoff_form", "days"),
            ("cancel_deadline_hours", "24"),
            ("cancel_deadline_days", "400"),
            ("cancel_deadline_until", "25時"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains(
        "id=\"deadlines-cancel_deadline_days-error\">0から365までの数字で入力してください。"
    ));
    assert!(bad.body.contains(
        "id=\"deadlines-cancel_deadline_until-error\">0:00〜24:00の時刻を入力してください。"
    ));
    assert!(bad.body.contains(
        "id=\"deadlines-booking_cutoff_min-error\">0から10080までの数字で入力してください。"
    ));
    assert!(bad.body.contains("value=\"25時\"") && bad.body.contains("value=\"すぐ\""));
    bad.assert_text("変更・取消の期限(日前): 0から365までの数字で入力してください。");
    let tenant = app.demo_tenant().await;
    assert_eq!(tenant.cancel_deadline_days, None, "nothing saved");

    // Saved, with before → after in the audit log.
    seed_deadlines(&mut admin, true).await;
    let page = admin
        .get("/t/demo/staff/settings?done=deadlines_saved")
        .await;
    page.assert_text("予約と変更・取消の締切を保存しました。");
    page.assert_text("ウェブでの予約は予約日前日の17:00まで、変更・取消は予約日の3日前までです。");
    assert!(page.body.contains("value=\"17:00\""));
    let tenant = app.demo_tenant().await;
    assert_eq!(
        (
            tenant.booking_cutoff_days,
            tenant.booking_cutoff_until_min,
            tenant.cancel_deadline_days,
            tenant.cancel_deadline_until_min,
            tenant.late_booking_allowed
        ),
        (Some(1), 17 * 60, Some(3), 1440, true)
    );
    let audit = audit::list(app.db(), tenant.id, None, 50).await.unwrap();
    assert!(
        audit.iter().any(|r| r.action == "settings_change"
            && r.detail
                .contains("予約の受付締切 予約日時の1時間前まで→予約日前日の17:00まで")
            && r.detail
                .contains("変更・取消の期限 予約日時の24時間前まで→予約日の3日前まで")),
        "{audit:?}"
    );
    // The same values again change nothing.
    let again = save_deadlines(
        &mut admin,
        &[
            ("booking_cutoff_form", "days"),
            ("booking_cutoff_days", "1"),
            ("booking_cutoff_until", "17:00"),
            ("change_cutoff_form", "days"),
            ("cancel_deadline_days", "3"),
            ("cancel_deadline_until", "23:59"),
            ("late_booking_allowed", "1"),
        ],
    )
    .await;
    assert_eq!(
        again.location.as_deref(),
        Some("/t/demo/staff/settings?done=unchanged#deadlines")
    );

    // Tuesday 09:00. The grid states both rules; today is closed (前日17:00), Wednesday is
    // open but past 「3日前まで」 and marked; Friday's deadline is the end of today.
    let (mut client, grid) = to_grid(&app, &s[40], "late@example.jp").await;
    grid.assert_text(
        "ウェブでの予約の受付は予約日前日の17:00まで、予約の変更・取消は予約日の3日前までです。",
    );
    grid.assert_text("「※」の付いた時間帯は、変更・取消の期限を過ぎています。");
    assert!(slot_labelled(&grid.body, "12月1日(火) 10:00").is_none());
    assert!(
        slot_labelled(
            &grid.body,
            "12月2日(水) 10:00 空き2 (ウェブでの変更・取消不可)"
        )
        .is_some()
    );
    assert!(slot_labelled(&grid.body, "12月4日(金) 10:00 空き2\"").is_some());

    // Before booking, the confirmation page says it plainly and gives the call centre.
    let confirm = to_confirm(&app, &mut client, "12月2日(水) 10:00").await;
    assert_eq!(confirm.status, StatusCode::OK);
    confirm.assert_text("この予約は、ウェブで変更・取消ができません");
    confirm.assert_text(
        "変更・取消の期限(予約日の3日前まで、2026年11月29日(日) 23:59まで)を過ぎています",
    );
    confirm.assert_text(&format!("お問い合わせ先:{CONTACT}"));
    assert!(
        confirm
            .body
            .contains("aria-describedby=\"late-warning-title\">予約する</button>")
    );
    let booked = press_book(&mut client, &confirm).await;
    assert_eq!(booked.location.as_deref(), Some("/t/demo/apply/done"));
    let (receipt, password, mail) = receipt_of(&app, "late@example.jp").await;
    assert!(
        mail.contains("このご予約は、変更・取消しの期限(予約日の3日前まで、2026年11月29日(日) 23:59まで)を過ぎているため、ウェブでは変更・取消しできません。"),
        "{mail}"
    );
    assert!(mail.contains(CONTACT));
    let details = look_up(&mut client, &receipt, &password).await;
    details.assert_text("変更・取消の受付期限(2026年11月29日(日) 23:59)を過ぎています。");
    details.assert_text(&format!("お問い合わせ先:{CONTACT}"));
    details.assert_no_text("予約を取り消す");
    let cancel = client.get("/t/demo/booking/cancel").await;
    assert_eq!(cancel.status, StatusCode::SEE_OTHER);

    // Friday: no warning; changeable until the end of today, not a second longer.
    let (mut client, _) = to_grid(&app, &s[41], "friday@example.jp").await;
    let confirm = to_confirm(&app, &mut client, "12月4日(金) 10:00").await;
    confirm.assert_no_text("ウェブで変更・取消ができません");
    press_book(&mut client, &confirm).await;
    let (receipt, password, mail) = receipt_of(&app, "friday@example.jp").await;
    assert!(
        mail.contains(
            "予約の変更・取消しは 2026年12月1日(火) 23:59 まで(予約日の3日前まで)できます。"
        ),
        "{mail}"
    );
    let details = look_up(&mut client, &receipt, &password).await;
    details.assert_text("変更・取消は2026年12月1日(火) 23:59まで受け付けます。");
    details.assert_text("変更・取消の期限は予約日の3日前までです。");
    app.clock.advance(15 * 3600 - 1); // Tuesday 23:59:59
    look_up(&mut client, &receipt, &password).await;
    let cancel = client.get("/t/demo/booking/cancel").await;
    assert_eq!(cancel.status, StatusCode::OK, "{}", cancel.text());
    app.clock.advance(1); // Wednesday 00:00
    let token = csrf(&cancel.body);
    let refused = client
        .post_form("/t/demo/booking/cancel", &[("csrf", &token)])
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let details = client.get("/t/demo/booking").await;
    details.assert_text("予約済");
    details.assert_text("変更・取消の受付期限(2026年12月1日(火) 23:59)を過ぎています。");
}
on_both_databases!(days_based_deadline_from_settings_to_resident);

async fn booking_closes_at_its_own_cutoff(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut admin = app.admin_client().await;
    seed_deadlines(&mut admin, true).await;
    // Tuesday 16:55: Wednesday still books until 17:00.
    app.clock.advance(7 * 3600 + 55 * 60);
    let (mut client, grid) = to_grid(&app, &s[42], "cutoff@example.jp").await;
    let wednesday = slot_labelled(&grid.body, "12月2日(水) 10:00").expect("open until 17:00");
    let confirm = to_confirm(&app, &mut client, "12月2日(水) 10:00").await;
    assert_eq!(confirm.status, StatusCode::OK);

    // 17:00:01, the hold still live: the confirmation refuses with the rule, books nothing.
    app.clock.advance(5 * 60 + 1);
    let before = bookings_count(&app).await;
    let late = client.get("/t/demo/apply/confirm").await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    late.assert_text("この日時は、ウェブでの予約の受付を終了しました(ウェブでの予約は予約日前日の17:00までです)。");
    assert!(!late.body.contains("予約する</button>"));
    let pressed = press_book(&mut client, &confirm).await;
    assert_eq!(pressed.status, StatusCode::CONFLICT);
    pressed.assert_text("ウェブでの予約の受付を終了しました");
    assert_eq!(bookings_count(&app).await, before);

    // The grid no longer offers Wednesday; a hold on it (a stale grid) is refused.
    let grid = client.get("/t/demo/apply/slots").await;
    assert!(slot_labelled(&grid.body, "12月2日(水) 10:00").is_none());
    let held = client
        .post_form(
            "/t/demo/apply/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &wednesday)],
        )
        .await;
    assert_eq!(held.status, StatusCode::SEE_OTHER);
    let grid = client.get(held.location.as_deref().unwrap()).await;
    grid.assert_text("この日時は、ウェブでの予約の受付を終了しました");

    // In English, in English.
    let switched = client
        .get("/lang?to=en&back=%2Ft%2Fdemo%2Fapply%2Fslots")
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let grid = client.get("/t/demo/apply/slots").await;
    grid.assert_text("Online booking is open until 17:00 the day before the booked day; bookings can be changed or cancelled online until the end of the day 3 days before the booked day.");
    grid.assert_text("Times marked “※” are past the deadline");
    let held = client
        .post_form(
            "/t/demo/apply/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &wednesday)],
        )
        .await;
    let grid = client.get(held.location.as_deref().unwrap()).await;
    grid.assert_text("Online booking for this time has closed (online booking is open until 17:00 the day before the booked day).");
}
on_both_databases!(booking_closes_at_its_own_cutoff);

async fn late_booking_off_offers_no_time_past_the_change_deadline(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut admin = app.admin_client().await;
    seed_deadlines(&mut admin, false).await;
    admin
        .get("/t/demo/staff/settings")
        .await
        .assert_text("変更・取消の期限を過ぎた枠は、ウェブでは予約できません。");
    // Tuesday 09:00: Wednesday and Thursday are past 「3日前まで」; Friday is not.
    let (mut client, grid) = to_grid(&app, &s[43], "strict@example.jp").await;
    assert!(slot_labelled(&grid.body, "12月2日(水) 10:00").is_none());
    assert!(slot_labelled(&grid.body, "12月3日(木) 10:00").is_none());
    assert!(slot_labelled(&grid.body, "12月4日(金) 10:00 空き2\"").is_some());
    grid.assert_no_text("「※」の付いた時間帯");
    // Friday books, with no warning.
    let confirm = to_confirm(&app, &mut client, "12月4日(金) 10:00").await;
    confirm.assert_no_text("ウェブで変更・取消ができません");
    // Held at Tuesday 23:55, confirmed at Wednesday 00:00 with the hold still live:
    // refused, Friday is now past its change deadline.
    app.clock.advance(15 * 3600 - 5 * 60); // 23:55
    let (mut client, _) = to_grid(&app, &s[44], "midnight@example.jp").await;
    let confirm = to_confirm(&app, &mut client, "12月4日(金) 10:00").await;
    assert_eq!(confirm.status, StatusCode::OK);
    app.clock.advance(5 * 60); // Wednesday 00:00
    let before = bookings_count(&app).await;
    let pressed = press_book(&mut client, &confirm).await;
    assert_eq!(pressed.status, StatusCode::CONFLICT);
    pressed.assert_text("この日時は、変更・取消の期限(予約日の3日前まで)を過ぎているため、ウェブでは予約できません。");
    assert_eq!(bookings_count(&app).await, before);
}
on_both_databases!(late_booking_off_offers_no_time_past_the_change_deadline);
