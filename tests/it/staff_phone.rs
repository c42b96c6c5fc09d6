//! Booking, changing and cancelling for a resident on the phone; the audit log.
use axum::http::StatusCode;
use madoguchi::db::tenants::Role;
use madoguchi::demo::sample_notices;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf, line_value, value_after};
use crate::on_both_databases;
use crate::resident::{book_at, digits, slot_labelled};

/// Searches a notice on the phone page and adds it to the group.
async fn add(client: &mut Client, query: &str) {
    let found = client.get(&format!("/t/demo/staff/phone?{query}")).await;
    assert_eq!(found.status, StatusCode::OK);
    found.assert_text("検索結果 1件");
    let id = crate::common::value_after(&found.body, "name=\"notice_id\"", "value")
        .expect("an add button");
    let added = client
        .post_form(
            "/t/demo/staff/phone/add",
            &[("csrf", &csrf(&found.body)), ("notice_id", &id)],
        )
        .await;
    assert_eq!(added.location.as_deref(), Some("/t/demo/staff/phone"));
}

/// Text as `Page::text` reads it: any run of spaces (the full-width one too) as one.
fn as_read(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The draft key a confirmation page's form carries.
fn draft(page: &Page) -> String {
    value_after(&page.body, "name=\"draft\"", "value").expect("the draft key on the form")
}

/// The data of every session in the database, resident's and staff's alike.
async fn session_data(app: &TestApp) -> Vec<String> {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use madoguchi::db::schema::web_sessions;
    async fn all(db: &madoguchi::db::Db) -> Result<Vec<String>, madoguchi::db::DbError> {
        madoguchi::db_read!(db, |conn| {
            Ok(web_sessions::table
                .select(web_sessions::data)
                .load(conn)
                .await?)
        })
    }
    all(app.db()).await.unwrap()
}

fn q(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn a_clerk_books_two_people_for_a_caller(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut clerk = app.staff_client("suzuki", Role::Clerk).await;
    add(
        &mut clerk,
        &format!(
            "birthdate={}&number={}",
            digits(&s[50]),
            q(&format!("{}-{}", &s[50].number1[..3], &s[50].number1[3..]))
        ),
    )
    .await;
    // The second caller only knows the name (family name and the era birthdate).
    let given = s[51].name.split(' ').nth(1).unwrap();
    let (era, year) = madoguchi::core::resident_input::era_of(s[51].birthdate).unwrap();
    let era_date = format!(
        "{}{}年{}月{}日",
        era.name(),
        year,
        s[51].birthdate.month() as u8,
        s[51].birthdate.day()
    );
    add(
        &mut clerk,
        &format!("birthdate={}&name={}", q(&era_date), q(given)),
    )
    .await;

    let page = clerk.get("/t/demo/staff/phone").await;
    page.assert_text(&s[50].name);
    page.assert_text(&s[51].name);
    let counter = app.counter_id("北支所").await.to_string();
    let to_grid = clerk
        .post_form(
            "/t/demo/staff/phone/choose",
            &[("csrf", &csrf(&page.body)), ("counter", &counter)],
        )
        .await;
    assert_eq!(
        to_grid.location.as_deref(),
        Some("/t/demo/staff/phone/slots")
    );
    let grid = clerk.get("/t/demo/staff/phone/slots?from=2026-12-03").await;
    grid.assert_text("2名様分の予約のため、連続して2枠の予約枠が必要です。");
    let slot = slot_labelled(&grid.body, "12月3日(木) 14:00").expect("a free 14:00 cell");
    let held = clerk
        .post_form(
            "/t/demo/staff/phone/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &slot)],
        )
        .await;
    assert_eq!(
        held.location.as_deref(),
        Some("/t/demo/staff/phone/confirm")
    );
    let confirm = clerk.get("/t/demo/staff/phone/confirm").await;
    confirm.assert_text("2026年12月3日(木) 14:00〜14:30");
    let fields = [
        ("csrf", csrf(&confirm.body)),
        ("draft", draft(&confirm)),
        ("name_1", s[50].name.clone()),
        ("kana_1", s[50].kana.clone()),
        ("phone_1", "03-1234-5678".to_string()),
        ("name_2", s[51].name.clone()),
        ("kana_2", s[51].kana.clone()),
        ("phone_2", String::new()),
        ("email", "caller@example.jp".to_string()),
    ];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // The answer to [予約する] is the page to read out: receipt number and password.
    let done = clerk.post_form("/t/demo/staff/phone/confirm", &refs).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    done.assert_text("電話予約の完了");
    done.assert_text("お客様に次の受付番号とパスワードをお伝えください。");
    done.assert_text("受付方法:電話");
    done.assert_text("予約完了通知メールを caller@example.jp に送信します。");
    assert_eq!(
        done.headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store"),
        "a shared PC's browser keeps no copy of the password"
    );
    // The mail carries the same receipt number and password the clerk read out.
    let mail = app
        .mails_to("caller@example.jp")
        .await
        .pop()
        .expect("a completion mail");
    let receipt = line_value(&mail.text, "受付番号").unwrap();
    let password = line_value(&mail.text, "パスワード").unwrap();
    done.assert_text(&format!("受付番号 {receipt} パスワード {password}"));
    // Nowhere is the password kept in readable form: not in any session's data.
    for data in session_data(&app).await {
        assert!(
            !data.contains(&password) && !data.contains(&password.replace('-', "")),
            "{data}"
        );
    }
    let location = done
        .body
        .split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with("/t/demo/staff/bookings/"))
        .expect("a link to the booking")
        .to_string();

    // The same [予約する] again (a double click, or the browser re-sending the page) makes
    // no second booking and leads to the one made, which no longer shows the password.
    let again = clerk.post_form("/t/demo/staff/phone/confirm", &refs).await;
    assert_eq!(again.location.as_deref(), Some(location.as_str()));
    let page = clerk.get(&location).await;
    page.assert_text(&format!(
        "この電話予約はすでに完了しています(受付番号 {receipt})。"
    ));
    page.assert_text("パスワードを再発行");
    page.assert_no_text(&password);
    let tenant = app.demo_tenant().await;
    let phone_bookings = madoguchi::db::audit::list(app.db(), tenant.id, None, 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "phone_booking")
        .count();
    assert_eq!(phone_bookings, 1);
    assert_eq!(app.mails_to("caller@example.jp").await.len(), 1);
    // The message is shown once.
    clerk
        .get(&location)
        .await
        .assert_no_text("すでに完了しています");

    // The resident can look it up.
    let mut resident = app.client();
    let lookup = resident.get("/t/demo/lookup").await;
    let ok = resident
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", &receipt),
                ("password", &password),
            ],
        )
        .await;
    assert_eq!(ok.location.as_deref(), Some("/t/demo/booking"));

    // The admin sees who did it.
    let booking_id = location.rsplit('/').next().unwrap();
    let mut admin = app.admin_client().await;
    let audit = admin
        .get(&format!("/t/demo/staff/audit?booking={booking_id}"))
        .await;
    audit.assert_text("電話予約");
    audit.assert_text("suzuki");
    audit.assert_text(&receipt);
}
on_both_databases!(a_clerk_books_two_people_for_a_caller);

async fn without_an_address_nothing_is_mailed(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut clerk = app.staff_client("tanaka", Role::Clerk).await;
    add(
        &mut clerk,
        &format!("birthdate={}&number={}", digits(&s[52]), s[52].number1),
    )
    .await;
    let page = clerk.get("/t/demo/staff/phone").await;
    let counter = app.counter_id("本庁舎 市民課").await.to_string();
    clerk
        .post_form(
            "/t/demo/staff/phone/choose",
            &[("csrf", &csrf(&page.body)), ("counter", &counter)],
        )
        .await;
    let grid = clerk.get("/t/demo/staff/phone/slots").await;
    let slot = slot_labelled(&grid.body, "12月2日(水) 09:00").unwrap();
    clerk
        .post_form(
            "/t/demo/staff/phone/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &slot)],
        )
        .await;
    let confirm = clerk.get("/t/demo/staff/phone/confirm").await;
    // A bad address is explained and the names are kept.
    let bad = clerk
        .post_form(
            "/t/demo/staff/phone/confirm",
            &[
                ("csrf", &csrf(&confirm.body)),
                ("draft", &draft(&confirm)),
                ("name_1", &s[52].name),
                ("kana_1", &s[52].kana),
                ("phone_1", "090-1111-2222"),
                ("email", "no-at-sign"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_text("メールアドレス");
    assert!(bad.body.contains(&format!("value=\"{}\"", s[52].name)));
    assert!(bad.body.contains("value=\"090-1111-2222\""));
    let done = clerk
        .post_form(
            "/t/demo/staff/phone/confirm",
            &[
                ("csrf", &csrf(&confirm.body)),
                ("draft", &draft(&confirm)),
                ("name_1", &s[52].name),
                ("kana_1", &s[52].kana),
                ("phone_1", "090-1111-2222"),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    done.assert_text("お客様に次の受付番号とパスワードをお伝えください。");
    done.assert_text("メールは送信していません。");
    assert!(app.mails().await.is_empty());
}
on_both_databases!(without_an_address_nothing_is_mailed);

async fn clerks_change_and_cancel_for_a_caller_even_after_the_deadline(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(
        &app,
        &[&s[53]],
        "late-caller@example.jp",
        "12月1日(火) 10:00",
    )
    .await;
    let tenant = app.demo_tenant().await;
    let booking =
        madoguchi::db::bookings::find_by_receipt(app.db(), tenant.id, &receipt.replace('-', ""))
            .await
            .unwrap()
            .unwrap();
    let mut clerk = app.staff_client("sato", Role::Clerk).await;
    let page = clerk
        .get(&format!("/t/demo/staff/bookings/{}", booking.id))
        .await;
    page.assert_text(&receipt);
    let grid = clerk
        .get(&format!(
            "/t/demo/staff/bookings/{}/slots?from=2026-12-04",
            booking.id
        ))
        .await;
    let slot = slot_labelled(&grid.body, "12月4日(金) 11:00").unwrap();
    clerk
        .post_form(
            &format!("/t/demo/staff/bookings/{}/slots", booking.id),
            &[("csrf", &csrf(&grid.body)), ("slot", &slot)],
        )
        .await;
    let change = clerk
        .get(&format!("/t/demo/staff/bookings/{}/change", booking.id))
        .await;
    change.assert_text("変更後");
    clerk
        .post_form(
            &format!("/t/demo/staff/bookings/{}/change", booking.id),
            &[("csrf", &csrf(&change.body))],
        )
        .await;
    let page = clerk
        .get(&format!("/t/demo/staff/bookings/{}", booking.id))
        .await;
    page.assert_text("予約日時を 2026年12月4日(金) 11:00〜11:15 に変更しました。");
    let cancel = clerk
        .get(&format!("/t/demo/staff/bookings/{}/cancel", booking.id))
        .await;
    clerk
        .post_form(
            &format!("/t/demo/staff/bookings/{}/cancel", booking.id),
            &[("csrf", &csrf(&cancel.body))],
        )
        .await;
    let page = clerk
        .get(&format!("/t/demo/staff/bookings/{}", booking.id))
        .await;
    page.assert_text("予約を取り消しました。");
    page.assert_text("取消済");
    let subjects: Vec<String> = app
        .mails_to("late-caller@example.jp")
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert!(subjects.iter().any(|s| s.contains("変更")), "{subjects:?}");
    assert!(subjects.iter().any(|s| s.contains("取消")), "{subjects:?}");
    let entries = madoguchi::db::audit::list(app.db(), tenant.id, Some(booking.id), 10)
        .await
        .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["cancel_booking", "change_booking"]);
}
on_both_databases!(clerks_change_and_cancel_for_a_caller_even_after_the_deadline);

async fn another_municipality_sees_nothing(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(&app, &[&s[54]], "iso@example.jp", "12月3日(木) 10:00").await;
    let demo = app.demo_tenant().await;
    let booking =
        madoguchi::db::bookings::find_by_receipt(app.db(), demo.id, &receipt.replace('-', ""))
            .await
            .unwrap()
            .unwrap();
    let other = madoguchi::db::tenants::create_tenant(app.db(), "other", "他市", 0)
        .await
        .unwrap();
    let hash = madoguchi::secrets::hash_password("other-admin-password");
    madoguchi::db::tenants::add_staff(
        app.db(),
        other,
        "admin",
        "他市管理者",
        &hash,
        Role::Admin,
        0,
    )
    .await
    .unwrap();
    let mut foreign = app.client();
    let login = foreign.get("/t/other/staff/login").await;
    let done = foreign
        .post_form(
            "/t/other/staff/login",
            &[
                ("csrf", &csrf(&login.body)),
                ("login", "admin"),
                ("password", "other-admin-password"),
            ],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some("/t/other/staff/roster"));
    for path in [
        format!("/t/other/staff/bookings/{}", booking.id),
        format!("/t/other/staff/bookings/{}/cancel", booking.id),
        format!("/t/other/staff/audit?booking={}", booking.id),
    ] {
        assert_eq!(
            foreign.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let page = foreign.get("/t/other/staff/phone").await;
    let cancel = foreign
        .post_form(
            &format!("/t/other/staff/bookings/{}/cancel", booking.id),
            &[("csrf", &csrf(&page.body))],
        )
        .await;
    assert_eq!(cancel.status, StatusCode::NOT_FOUND);
    let still = madoguchi::db::bookings::find(app.db(), booking.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.status, "booked");
    // And the demo's pages with the other municipality's session do not exist for it.
    for path in [
        format!("/t/demo/staff/bookings/{}", booking.id),
        format!("/t/demo/staff/bookings/{}/password", booking.id),
    ] {
        let demo_page = foreign.get(&path).await;
        assert_eq!(demo_page.status, StatusCode::NOT_FOUND, "{path}");
        demo_page.assert_text("ページが見つかりません");
    }
}
on_both_databases!(another_municipality_sees_nothing);

/// Adds `notice` to a fresh phone booking, picks `counter` and holds `cell`; returns the
/// confirmation page.
async fn to_confirm(
    app: &TestApp,
    clerk: &mut Client,
    notice: &madoguchi::db::notices::NewNotice,
    cell: &str,
) -> Page {
    add(
        clerk,
        &format!("birthdate={}&number={}", digits(notice), notice.number1),
    )
    .await;
    let page = clerk.get("/t/demo/staff/phone").await;
    let counter = app.counter_id("本庁舎 市民課").await.to_string();
    clerk
        .post_form(
            "/t/demo/staff/phone/choose",
            &[("csrf", &csrf(&page.body)), ("counter", &counter)],
        )
        .await;
    let grid = clerk.get("/t/demo/staff/phone/slots").await;
    let slot = slot_labelled(&grid.body, cell).unwrap_or_else(|| panic!("no cell {cell}"));
    let held = clerk
        .post_form(
            "/t/demo/staff/phone/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &slot)],
        )
        .await;
    assert_eq!(
        held.location.as_deref(),
        Some("/t/demo/staff/phone/confirm")
    );
    let confirm = clerk.get("/t/demo/staff/phone/confirm").await;
    assert_eq!(confirm.status, StatusCode::OK);
    confirm
}

/// The password on a page that reads one out.
fn password_shown(page: &Page) -> String {
    let start = page
        .body
        .find("<dt>パスワード</dt><dd>")
        .expect("a password to read out")
        + "<dt>パスワード</dt><dd>".len();
    let end = page.body[start..].find("</dd>").unwrap() + start;
    page.body[start..end].to_string()
}

/// Looks the booking up as the resident would; true when the pair opens it.
async fn resident_can_open(app: &TestApp, receipt: &str, password: &str) -> bool {
    let mut resident = app.client();
    let lookup = resident.get("/t/demo/lookup").await;
    let tried = resident
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", receipt),
                ("password", password),
            ],
        )
        .await;
    tried.location.as_deref() == Some("/t/demo/booking")
}

async fn a_lost_password_is_reissued_once_and_mailed_when_asked(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, first_password) =
        book_at(&app, &[&s[56]], "lost@example.jp", "12月3日(木) 10:00").await;
    let tenant = app.demo_tenant().await;
    let booking =
        madoguchi::db::bookings::find_by_receipt(app.db(), tenant.id, &receipt.replace('-', ""))
            .await
            .unwrap()
            .unwrap();
    let mails_before = app.mails_to("lost@example.jp").await.len();
    let mut clerk = app.staff_client("sato", Role::Clerk).await;
    let page = clerk
        .get(&format!("/t/demo/staff/bookings/{}", booking.id))
        .await;
    page.assert_text("パスワードを再発行");
    let path = format!("/t/demo/staff/bookings/{}/password", booking.id);
    let confirm = clerk.get(&path).await;
    assert_eq!(confirm.status, StatusCode::OK);
    confirm.assert_text("これまでのパスワードは使えなくなります。");
    confirm.assert_text("新しいパスワードを記載した予約完了通知メールを lost@example.jp に送る");
    let fingerprint = value_after(&confirm.body, "name=\"fingerprint\"", "value").unwrap();

    // Without the form's token nothing happens.
    let forged = clerk
        .post_form(&path, &[("csrf", "forged"), ("fingerprint", &fingerprint)])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(resident_can_open(&app, &receipt, &first_password).await);

    // Read out only: shown once, not mailed; the old password stops working.
    let fields = [("csrf", csrf(&confirm.body)), ("fingerprint", fingerprint)];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let issued = clerk.post_form(&path, &refs).await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.text());
    issued.assert_text("パスワードを再発行しました");
    issued.assert_text(&format!("受付番号 {receipt}"));
    issued.assert_text("メールは送信していません。");
    assert_eq!(
        issued
            .headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    let second_password = password_shown(&issued);
    assert_ne!(second_password, first_password);
    assert_eq!(app.mails_to("lost@example.jp").await.len(), mails_before);
    assert!(!resident_can_open(&app, &receipt, &first_password).await);
    assert!(resident_can_open(&app, &receipt, &second_password).await);

    // The same form again reissues nothing and says why.
    let again = clerk.post_form(&path, &refs).await;
    assert_eq!(
        again.location.as_deref(),
        Some(format!("/t/demo/staff/bookings/{}", booking.id).as_str())
    );
    clerk
        .get(again.location.as_deref().unwrap())
        .await
        .assert_text("すでに再発行されています。パスワードは変えていません。");
    assert!(resident_can_open(&app, &receipt, &second_password).await);

    // With the mail: the completion mail comes again with the password shown.
    let confirm = clerk.get(&path).await;
    let mailed = clerk
        .post_form(
            &path,
            &[
                ("csrf", &csrf(&confirm.body)),
                (
                    "fingerprint",
                    &value_after(&confirm.body, "name=\"fingerprint\"", "value").unwrap(),
                ),
                ("send_mail", "1"),
            ],
        )
        .await;
    assert_eq!(mailed.status, StatusCode::OK, "{}", mailed.text());
    mailed.assert_text("予約完了通知メールを lost@example.jp に送信します。");
    let third_password = password_shown(&mailed);
    let mails = app.mails_to("lost@example.jp").await;
    assert_eq!(mails.len(), mails_before + 1);
    let mail = mails.last().unwrap();
    assert_eq!(line_value(&mail.text, "受付番号").unwrap(), receipt);
    assert_eq!(
        line_value(&mail.text, "パスワード").unwrap(),
        third_password
    );
    assert!(!resident_can_open(&app, &receipt, &second_password).await);
    assert!(resident_can_open(&app, &receipt, &third_password).await);

    // The admin sees both, by whom and whether mailed; never the password.
    let mut admin = app.admin_client().await;
    let audit = admin
        .get(&format!("/t/demo/staff/audit?booking={}", booking.id))
        .await;
    audit.assert_text(&format!(
        "sato パスワード再発行 予約詳細 パスワード再発行: 受付番号{receipt}(予約完了通知メールを再送)"
    ));
    audit.assert_text(&format!(
        "sato パスワード再発行 予約詳細 パスワード再発行: 受付番号{receipt}(メールは送らず口頭で案内)"
    ));
    for password in [&second_password, &third_password] {
        audit.assert_no_text(password);
    }

    // A cancelled booking has nothing to reissue.
    let cancel = clerk
        .get(&format!("/t/demo/staff/bookings/{}/cancel", booking.id))
        .await;
    clerk
        .post_form(
            &format!("/t/demo/staff/bookings/{}/cancel", booking.id),
            &[("csrf", &csrf(&cancel.body))],
        )
        .await;
    let refused = clerk.get(&path).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    clerk
        .get(refused.location.as_deref().unwrap())
        .await
        .assert_text("パスワードを再発行できません。");
}
on_both_databases!(a_lost_password_is_reissued_once_and_mailed_when_asked);

async fn a_caller_is_found_by_number_2(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let n = &s[57];
    let mut clerk = app.staff_client("kato", Role::Clerk).await;
    // Read out in two halves, in lower case, and written down in full-width.
    let typed: String = format!("{} {}", &n.number2[..9], &n.number2[9..])
        .to_lowercase()
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
            other => other,
        })
        .collect();
    let found = clerk
        .get(&format!(
            "/t/demo/staff/phone?birthdate={}&number={}",
            digits(n),
            q(&typed)
        ))
        .await;
    assert_eq!(found.status, StatusCode::OK);
    found.assert_text("検索結果 1件");
    found.assert_text(&n.name);
    // The right number 2 with another birthdate finds nobody.
    let wrong_day = clerk
        .get(&format!(
            "/t/demo/staff/phone?birthdate=19000101&number={}",
            n.number2
        ))
        .await;
    wrong_day.assert_text("該当する交付通知書は見つかりませんでした。");
    wrong_day.assert_no_text(&as_read(&n.name));
    // And it is added like one found by number 1.
    add(
        &mut clerk,
        &format!("birthdate={}&number={}", digits(n), n.number2),
    )
    .await;
    clerk.get("/t/demo/staff/phone").await.assert_text(&n.name);
}
on_both_databases!(a_caller_is_found_by_number_2);

/// Sets which built-in recipient fields the municipality asks, on the admin's page of
/// them: the listed ones as before (name and kana required, the phone number for the first
/// person), the others not at all.
async fn ask_recipient_fields(admin: &mut Client, fields: &[&str]) {
    let page = admin.get("/t/demo/staff/fields").await;
    let how = |name: &str, asked: &'static str| {
        if fields.contains(&name) { asked } else { "off" }
    };
    let saved = admin
        .post_form(
            "/t/demo/staff/fields/builtin",
            &[
                ("csrf", &csrf(&page.body)),
                ("name", how("name", "required")),
                ("kana", how("kana", "required")),
                ("phone", how("phone", "first")),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
}

async fn phone_bookings_ask_what_the_municipality_asks(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut admin = app.admin_client().await;
    ask_recipient_fields(&mut admin, &["name"]).await;

    // Only the name is asked, as on the resident's form.
    let mut clerk = app.staff_client("ito", Role::Clerk).await;
    let confirm = to_confirm(&app, &mut clerk, &s[58], "12月2日(水) 10:00").await;
    assert!(confirm.body.contains("name=\"name_1\""));
    assert!(
        !confirm.body.contains("name=\"kana_1\""),
        "no フリガナ field"
    );
    assert!(
        !confirm.body.contains("name=\"phone_1\""),
        "no 電話番号 field"
    );
    let empty = clerk
        .post_form(
            "/t/demo/staff/phone/confirm",
            &[
                ("csrf", &csrf(&confirm.body)),
                ("draft", &draft(&confirm)),
                ("name_1", "  "),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .body
            .contains("id=\"name_1-error\">氏名を入力してください。"),
        "the message stands next to the field"
    );
    let done = clerk
        .post_form(
            "/t/demo/staff/phone/confirm",
            &[
                ("csrf", &csrf(&confirm.body)),
                ("draft", &draft(&confirm)),
                ("name_1", &s[58].name),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    done.assert_text(&s[58].name);
    // No address given: the cell says so instead of standing empty.
    assert!(
        done.body
            .contains("<th scope=\"row\">連絡先メールアドレス</th><td>なし</td>"),
        "{}",
        done.text()
    );
    // What was not asked is not stored (not even the kana the notice has).
    done.assert_no_text(&as_read(&s[58].kana));
    done.assert_no_text("フリガナ");

    // All three asked: the first person's phone number is required, as on the web.
    ask_recipient_fields(&mut admin, &["name", "kana", "phone"]).await;
    let confirm = to_confirm(&app, &mut clerk, &s[59], "12月2日(水) 11:00").await;
    assert!(confirm.body.contains("name=\"kana_1\""));
    assert!(confirm.body.contains("name=\"phone_1\""));
    let missing = clerk
        .post_form(
            "/t/demo/staff/phone/confirm",
            &[
                ("csrf", &csrf(&confirm.body)),
                ("draft", &draft(&confirm)),
                ("name_1", &s[59].name),
                ("kana_1", &s[59].kana),
                ("phone_1", ""),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.body.contains("id=\"phone_1-error\""),
        "{}",
        missing.text()
    );
    assert!(missing.body.contains(&format!("value=\"{}\"", s[59].kana)));
    let done = clerk
        .post_form(
            "/t/demo/staff/phone/confirm",
            &[
                ("csrf", &csrf(&confirm.body)),
                ("draft", &draft(&confirm)),
                ("name_1", &s[59].name),
                ("kana_1", &s[59].kana),
                ("phone_1", "０９０−１２３４−５６７８"),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    done.assert_text(&format!("フリガナ {}", as_read(&s[59].kana)));
    done.assert_text("電話番号 09012345678");
}
on_both_databases!(phone_bookings_ask_what_the_municipality_asks);
