//! Every form, resident and staff, posted with what no form should send: fields missing,
//! 100 KB values, invalid UTF-8, control characters and right-to-left overrides. Never a
//! 5xx, never a stack trace or SQL in the answer, and a refused post stores nothing.
use std::collections::BTreeMap;

use madoguchi::demo::sample_notices;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf, rows};
use crate::on_both_databases;
use crate::resident::{book, digits, hold_cell, open_link, post_apply, submit_entry};

/// Every field name any form of the app reads.
const FIELDS: &[&str] = &[
    "party",
    "email",
    "email_confirm",
    "email2",
    "number1_1",
    "number2_1",
    "birth_text_1",
    "birth_year_1",
    "birth_month_1",
    "birth_day_1",
    "name_1",
    "kana_1",
    "phone_1",
    "counter",
    "action",
    "slot",
    "receipt_number",
    "password",
    "login",
    "title",
    "body",
    "position",
    "published",
    "name",
    "address",
    "directions",
    "map_url",
    "weekday",
    "opens",
    "closes",
    "slot_min",
    "clerks",
    "valid_from",
    "valid_until",
    "first_day",
    "last_day",
    "reason",
    "counter_id",
    "status",
    "date",
    "contact",
    "faq_url",
    "number1_format",
    "number2_format",
    "verification_ttl_min",
    "hold_ttl_min",
    "booking_window_days",
    "same_day_cutoff_min",
    "max_party_size",
    "cancel_deadline_hours",
    // cut-offs in days (issue 11)
    "booking_cutoff_form",
    "booking_cutoff_min",
    "booking_cutoff_days",
    "booking_cutoff_until",
    "change_cutoff_form",
    "cancel_deadline_days",
    "cancel_deadline_until",
    "late_booking_allowed",
    "recipient_fields",
    "pinned_counter_id",
    "close_on_holidays",
    "close_year_end",
    "active",
    "index",
    "person",
    "confirm",
    "label_ja",
    "label_en",
    "help_ja",
    "help_en",
    "kind",
    "choices_ja",
    "choices_en",
    // 画面の文言
    "ja",
    "en",
    "required",
    "kana",
    "phone",
];

/// What must never reach a visitor.
const LEAKS: &[&str] = &[
    "panicked",
    "backtrace",
    "diesel",
    "Diesel",
    "SQL",
    "sqlite",
    "postgres",
    "SELECT ",
    "INSERT ",
    "UPDATE ",
    "syntax error",
    "constraint",
    "src/",
    "thread '",
];

/// Tables a refused post must leave alone (sessions and the audit log of failed logins may
/// legitimately change).
const KEPT: &[&str] = &[
    "tenants",
    "counters",
    "slots",
    "notices",
    "email_verifications",
    "holds",
    "hold_slots",
    "bookings",
    "booking_slots",
    "booking_people",
    "mail_outbox",
    "staff_users",
    "recipient_fields",
];

fn check(path: &str, what: &str, page: &Page) {
    assert!(
        !page.status.is_server_error(),
        "{path} with {what}: {} {}",
        page.status,
        page.text()
    );
    for leak in LEAKS {
        assert!(
            !page.body.contains(leak),
            "{path} with {what}: {leak:?} in the answer: {}",
            page.body
        );
    }
}

async fn kept_counts(app: &TestApp) -> BTreeMap<&'static str, i64> {
    rows::counts(app.db())
        .await
        .into_iter()
        .filter(|(t, _)| KEPT.contains(t))
        .collect()
}

/// Posts every variant to `path` as `client`; checks each answer, and the row counts
/// around each post that was refused (anything but a redirect onwards). Every field of
/// [`FIELDS`] is sent, and the demo's own recipient fields (`f12_1`, see
/// [`define_own_fields`]).
async fn hammer(app: &TestApp, client: &mut Client, token: &str, path: &str) {
    let own = own_field_names(app).await;
    let fields: Vec<&str> = FIELDS
        .iter()
        .copied()
        .chain(own.iter().map(String::as_str))
        .collect();
    let fields = fields.as_slice();
    let weird = [
        (
            "control characters",
            "\u{0}\u{1}\u{7}\u{8}\r\n\t\u{1b}[31m\u{7f}\u{85}x".to_string(),
        ),
        (
            "right-to-left overrides",
            "\u{202E}gnp.exe\u{202C}\u{2066}\u{2067}\u{200F}あ\u{FEFF}".to_string(),
        ),
    ];
    let mut posts: Vec<(String, Vec<u8>)> = Vec::new();
    let enc = |pairs: &[(&str, &str)]| {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
            .into_bytes()
    };
    posts.push(("no fields".into(), enc(&[("csrf", token)])));
    posts.push(("no CSRF token".into(), enc(&[("email", "a@example.jp")])));
    for (what, value) in &weird {
        let mut pairs = vec![("csrf", token)];
        pairs.extend(fields.iter().map(|f| (*f, value.as_str())));
        posts.push((what.to_string(), enc(&pairs)));
    }
    // Invalid UTF-8, percent-encoded and raw.
    let mut raw = format!("csrf={token}").into_bytes();
    for f in fields {
        raw.extend_from_slice(format!("&{f}=%FF%FE%C0%80").as_bytes());
    }
    posts.push(("percent-encoded invalid UTF-8".into(), raw));
    let mut raw = format!("csrf={token}").into_bytes();
    for f in fields {
        raw.extend_from_slice(format!("&{f}=").as_bytes());
        raw.extend_from_slice(&[0xff, 0xfe, 0xc0, 0x80, b'a']);
    }
    posts.push(("raw invalid UTF-8".into(), raw));
    // 100 KB in every field, eight fields a post (under the 1 MB body limit, so the
    // handler reads them).
    let big = "あ".repeat(100 * 1024 / 3);
    for group in fields.chunks(8) {
        let mut pairs = vec![("csrf", token)];
        pairs.extend(group.iter().map(|f| (*f, big.as_str())));
        posts.push((format!("100 KB in each of {group:?}"), enc(&pairs)));
    }
    for (what, body) in posts {
        let before = kept_counts(app).await;
        let page = client.post_raw(path, body).await;
        check(path, &what, &page);
        if !page.status.is_redirection() {
            assert_eq!(
                kept_counts(app).await,
                before,
                "{path} with {what} was refused ({}) but stored something",
                page.status
            );
        }
    }
}

/// The form names of the demo's own recipient fields for the first person.
async fn own_field_names(app: &TestApp) -> Vec<String> {
    let demo = app.demo_tenant().await;
    madoguchi::db::recipient_fields::form(app.db(), demo.id)
        .await
        .unwrap()
        .extras
        .iter()
        .map(|f| format!("f{}_1", f.id))
        .collect()
}

/// One field of each kind of the demo's own, as an admin adds them on the console.
async fn define_own_fields(app: &TestApp) -> i64 {
    let mut admin = app.admin_client().await;
    let token = csrf(&admin.get("/t/demo/staff/fields").await.body);
    for (label, kind, choices) in [
        ("本人確認書類", "choice", "運転免許証\nパスポート"),
        ("車いすの貸出", "yes_no", ""),
        ("同行者の人数", "number", ""),
        ("備考", "text", ""),
    ] {
        let added = admin
            .post_form(
                "/t/demo/staff/fields/extra",
                &[
                    ("csrf", &token),
                    ("label_ja", label),
                    ("kind", kind),
                    ("choices_ja", choices),
                    ("active", "1"),
                    ("position", "1"),
                ],
            )
            .await;
        assert_eq!(
            added.status,
            axum::http::StatusCode::SEE_OTHER,
            "{}",
            added.text()
        );
    }
    let demo = app.demo_tenant().await;
    madoguchi::db::recipient_fields::form(app.db(), demo.id)
        .await
        .unwrap()
        .extras[0]
        .id
}

async fn every_form_survives_bad_input(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let counter = app.counter_id("本庁舎 市民課").await;
    let own_field = define_own_fields(&app).await;

    // A resident half-way through applying, with a hold.
    let mut applying = app.client();
    submit_entry(
        &mut applying,
        &[(&s[5].number1, &digits(&s[5]))],
        "forms-apply@example.jp",
    )
    .await;
    let form = open_link(&app, &mut applying, "forms-apply@example.jp").await;
    post_apply(&mut applying, &form.body, 1, counter, "choose").await;
    hold_cell(&mut applying, 0).await;
    let token = csrf(&applying.get("/t/demo/apply").await.body);
    for path in [
        "/t/demo/apply",
        "/t/demo/apply/slots",
        "/t/demo/apply/confirm",
    ] {
        hammer(&app, &mut applying, &token, path).await;
    }
    // A link's landing with a token that is not one.
    hammer(&app, &mut applying, &token, "/t/demo/apply/NOTATOKEN").await;

    // A resident with a booking looked up.
    let (receipt, password) = book(&app, &[&s[3]], "forms-lookup@example.jp").await;
    let mut resident = app.client();
    let lookup = resident.get("/t/demo/lookup").await;
    let token = csrf(&lookup.body);
    resident
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &token),
                ("receipt_number", &receipt),
                ("password", &password),
            ],
        )
        .await;
    for path in [
        "/t/demo/booking/slots",
        "/t/demo/booking/change",
        "/t/demo/booking/change/extend",
        "/t/demo/booking/resend",
        "/t/demo/booking/cancel",
    ] {
        hammer(&app, &mut resident, &token, path).await;
    }
    // A newcomer: entry and lookup.
    let mut newcomer = app.client();
    let token = csrf(&newcomer.get("/t/demo/entry").await.body);
    for path in ["/t/demo/entry", "/t/demo/lookup"] {
        hammer(&app, &mut newcomer, &token, path).await;
    }

    // Staff: every console form, as the admin.
    let (staff_receipt, _) = crate::resident::book_at(
        &app,
        &[&s[7]],
        "forms-staff@example.jp",
        "12月2日(水) 10:00",
    )
    .await;
    let demo = app.demo_tenant().await;
    let booking = madoguchi::db::bookings::find_by_receipt(
        app.db(),
        demo.id,
        &staff_receipt.replace('-', ""),
    )
    .await
    .unwrap()
    .unwrap()
    .id;
    let mut admin = app.admin_client().await;
    let token = csrf(&admin.get("/t/demo/staff/roster").await.body);
    let paths = [
        format!("/t/demo/staff/bookings/{booking}/status"),
        format!("/t/demo/staff/bookings/{booking}/slots"),
        format!("/t/demo/staff/bookings/{booking}/change"),
        format!("/t/demo/staff/bookings/{booking}/password"),
        format!("/t/demo/staff/bookings/{booking}/cancel"),
        "/t/demo/staff/mail/1/resend".into(),
        "/t/demo/staff/phone/add".into(),
        "/t/demo/staff/phone/remove".into(),
        "/t/demo/staff/phone/choose".into(),
        "/t/demo/staff/phone/slots".into(),
        "/t/demo/staff/phone/confirm".into(),
        "/t/demo/staff/schedule/counters".into(),
        format!("/t/demo/staff/schedule/counters/{counter}"),
        format!("/t/demo/staff/schedule/counters/{counter}/active"),
        "/t/demo/staff/schedule/templates".into(),
        "/t/demo/staff/schedule/templates/1".into(),
        "/t/demo/staff/schedule/templates/999999/delete".into(),
        "/t/demo/staff/schedule/closures".into(),
        "/t/demo/staff/schedule/closures/999999/delete".into(),
        "/t/demo/staff/schedule/calendar".into(),
        "/t/demo/staff/schedule/window".into(),
        "/t/demo/staff/settings".into(),
        "/t/demo/staff/settings/announcements".into(),
        "/t/demo/staff/settings/deadlines".into(),
        "/t/demo/staff/settings/announcements/1".into(),
        "/t/demo/staff/settings/announcements/1/published".into(),
        "/t/demo/staff/settings/announcements/999999/delete".into(),
        "/t/demo/staff/fields/builtin".into(),
        "/t/demo/staff/fields/extra".into(),
        format!("/t/demo/staff/fields/extra/{own_field}"),
        "/t/demo/staff/fields/extra/999999".into(),
        "/t/demo/staff/fields/extra/999999/delete".into(),
        "/t/demo/staff/import/999999/commit".into(),
        "/t/demo/staff/pages/texts/site_name".into(),
        "/t/demo/staff/pages/texts/number1_where".into(),
        "/t/demo/staff/pages/texts/call_centre".into(),
        "/t/demo/staff/pages/texts/bring/reset".into(),
        "/t/demo/staff/pages/texts/nope".into(),
        "/t/demo/staff/pages/image/delete".into(),
        "/t/demo/staff/login".into(),
        "/t/demo/staff/logout".into(),
    ];
    for path in &paths {
        hammer(&app, &mut admin, &token, path).await;
    }
    // The import upload is multipart: a file of garbage, of control characters, of RTL.
    let mut admin = app.admin_client().await;
    let token = csrf(&admin.get("/t/demo/staff/import").await.body);
    for (what, bytes) in [
        ("invalid UTF-8", vec![0xff, 0xfe, 0x00, 0x80, b'\n', 0xc0]),
        (
            "control characters",
            "番号1\u{0}\u{1b},\u{7}\r\n".as_bytes().to_vec(),
        ),
        (
            "RTL",
            "\u{202E}番号1,番号2\n\u{202E}ABC,DEF\n".as_bytes().to_vec(),
        ),
    ] {
        let before = kept_counts(&app).await;
        let page = admin
            .post_multipart(
                "/t/demo/staff/import",
                &[("csrf", &token)],
                &[("file", "notices.csv", &bytes)],
            )
            .await;
        check("/t/demo/staff/import", what, &page);
        assert_eq!(kept_counts(&app).await, before, "import of {what}");
    }
    // The header image (multipart too): garbage as a file, its name and alternative texts
    // with control and right-to-left characters; nothing is shown to residents.
    for (what, text) in [
        ("control characters", "ロゴ\u{0}\u{1b}[31m\u{7}"),
        ("RTL", "\u{202E}ロゴ"),
        ("100 KB", &*"あ".repeat(34_000)),
    ] {
        let page = admin
            .post_multipart_typed(
                "/t/demo/staff/pages/image",
                &[("csrf", &token), ("alt_ja", text), ("alt_en", text)],
                &[("file", text, "image/png", &[0xff, 0xfe, 0x00, 0x80])],
            )
            .await;
        check("/t/demo/staff/pages/image", what, &page);
        assert!(page.status.is_client_error(), "{what}: {}", page.text());
    }
    let home = app.client().get("/t/demo/").await;
    assert!(!home.body.contains("header-image"), "no picture was stored");
}
on_both_databases!(every_form_survives_bad_input);
