//! English beside Japanese (issue 7): the switch and its cookie, pages, field errors and
//! every mail of a booking in the resident's language; Japanese unchanged by default.
use axum::http::StatusCode;
use madoguchi::demo::sample_notices;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf, line_value, link_in};
use crate::on_both_databases;
use crate::resident::{digits, hold_labelled, post_apply, submit_entry};

/// Presses 「English」 in the header of `back` and follows the redirect.
async fn switch_to(client: &mut Client, lang: &str, back: &str) -> Page {
    let switched = client
        .get(&format!(
            "/lang?to={lang}&back={}",
            back.replace('/', "%2F")
        ))
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location.as_deref(), Some(back));
    assert_eq!(client.cookie("mdg_lang"), Some(lang));
    client.get(back).await
}

fn no_isolation_marks(text: &str) {
    assert!(
        !text.contains(['\u{2068}', '\u{2069}']),
        "Unicode isolation marks in {text:?}"
    );
}

async fn an_english_journey_from_entry_to_cancellation(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let samples = sample_notices();
    let n = &samples[12];
    let email = "emma@example.jp";
    let mut client = app.client();

    let home = switch_to(&mut client, "en", "/t/demo/").await;
    assert!(home.body.contains("<html lang=\"en\">"));
    home.assert_text("Book a card pickup");
    home.assert_no_text("受取予約をする");
    // The switch names each language in itself and marks the current one.
    assert!(
        home.body
            .contains("<span aria-current=\"true\" lang=\"en\">English</span>")
    );
    assert!(home.body.contains("lang=\"ja\" hreflang=\"ja\">日本語</a>"));

    let entry = client.get("/t/demo/entry").await;
    entry.assert_text("Enter your email address");
    entry.assert_text("Number 1 (番号1)");
    assert!(
        entry.body.contains("1972 (Showa 47)"),
        "era beside the year"
    );
    let sent = submit_entry(&mut client, &[(&n.number1, &digits(n))], email).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    let sent = client.get(sent.location.as_deref().unwrap()).await;
    sent.assert_text("Mail sent");
    sent.assert_text("Sent to: emma@example.jp");

    let mails = app.mails_to(email).await;
    let check = mails.last().expect("the address check mail");
    assert!(
        check.subject.starts_with("[Address check]"),
        "{}",
        check.subject
    );
    assert!(
        check.text.contains("The link is valid until"),
        "{}",
        check.text
    );
    assert!(!check.text.contains("有効期限"), "{}", check.text);
    assert!(
        check
            .html
            .as_deref()
            .unwrap()
            .contains("<html lang=\"en\">")
    );
    no_isolation_marks(&check.subject);
    no_isolation_marks(&check.text);

    let link = link_in(&check.text, "http://127.0.0.1:3000/t/demo/apply/").expect("a link");
    let landing = client.get(&link).await;
    landing.assert_text("Go on to the booking form");
    let used = client
        .post_form(&link, &[("csrf", &csrf(&landing.body))])
        .await;
    assert_eq!(used.status, StatusCode::SEE_OTHER);
    let form = client.get("/t/demo/apply").await;
    form.assert_text("Booking form");
    form.assert_text("Choose a date and time");

    let counter = app.counter_id("本庁舎 市民課").await;
    // An error from Rust comes out in English, beside its field.
    let no_time = post_apply(&mut client, &form.body, 1, counter, "confirm").await;
    assert_eq!(no_time.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_time
            .body
            .contains("id=\"hold-error\" role=\"alert\">Please choose a date and time."),
        "{}",
        no_time.text()
    );
    post_apply(&mut client, &form.body, 1, counter, "choose").await;
    let grid = client.get("/t/demo/apply/slots").await;
    grid.assert_text("Choose a date");
    assert!(
        grid.body.contains(
            "aria-label=\"Tue, December 1 10:00, 2 free (cannot be changed or cancelled online)\""
        ),
        "{}",
        grid.text()
    );
    // A week ahead, so it can still be cancelled.
    let (_, form) = hold_labelled(&mut client, "Tue, December 8 10:00").await;
    form.assert_text("December 8, 2026 (Tue) 10:00–10:15");
    form.assert_text("Please complete the booking by 09:10");
    form.assert_text("Extend the hold");
    let to_confirm = post_apply(&mut client, &form.body, 1, counter, "confirm").await;
    assert_eq!(
        to_confirm.location.as_deref(),
        Some("/t/demo/apply/confirm")
    );
    let confirm = client.get("/t/demo/apply/confirm").await;
    confirm.assert_text("Confirm your booking");
    let booked = client
        .post_form("/t/demo/apply/confirm", &[("csrf", &csrf(&confirm.body))])
        .await;
    assert_eq!(booked.location.as_deref(), Some("/t/demo/apply/done"));
    let done = client.get("/t/demo/apply/done").await;
    done.assert_text("Booking complete");

    let mails = app.mails_to(email).await;
    let confirmed = mails.last().unwrap();
    assert!(
        confirmed.subject.starts_with("[Booking complete]"),
        "{}",
        confirmed.subject
    );
    no_isolation_marks(&confirmed.text);
    let ics = confirmed.ics.as_deref().expect("a calendar file");
    assert!(ics.contains("SUMMARY:My Number Card pickup"), "{ics}");
    assert!(ics.contains("Receipt number"), "{ics}");
    let receipt = line_value(&confirmed.text, "■ Receipt number").expect("receipt");
    let password = line_value(&confirmed.text, "■ Password").expect("password");
    assert!(
        confirmed
            .text
            .contains("December 8, 2026 (Tue) 10:00–10:15")
    );

    // A new browser, still in English: look the booking up and cancel it.
    let mut other = app.client();
    switch_to(&mut other, "en", "/t/demo/lookup").await;
    let lookup = other.get("/t/demo/lookup").await;
    let details = other
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", &receipt),
                ("password", &password),
            ],
        )
        .await;
    assert_eq!(details.status, StatusCode::SEE_OTHER, "{}", details.text());
    let details = other.get("/t/demo/booking").await;
    details.assert_text("Booking details");
    details.assert_text("Booked");
    details.assert_text("1 person");
    let cancel = other.get("/t/demo/booking/cancel").await;
    let cancelled = other
        .post_form("/t/demo/booking/cancel", &[("csrf", &csrf(&cancel.body))])
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    other
        .get("/t/demo/booking")
        .await
        .assert_text("The booking has been cancelled.");
    let mails = app.mails_to(email).await;
    let cancel_mail = mails.last().unwrap();
    assert!(
        cancel_mail.subject.starts_with("[Booking cancelled]"),
        "{}",
        cancel_mail.subject
    );
    assert!(cancel_mail.text.contains("has been cancelled"));

    // The booking's language decides, not the browser's: a Japanese browser's resend
    // of an English booking is still English (checked on the booking row).
    let booking = madoguchi::db::bookings::find_by_receipt(
        app.db(),
        app.demo_tenant().await.id,
        &receipt.replace('-', ""),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(booking.lang, "en");
}
on_both_databases!(an_english_journey_from_entry_to_cancellation);

async fn errors_come_out_in_english_beside_their_fields(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    let entry = switch_to(&mut client, "en", "/t/demo/entry").await;
    let failed = client
        .post_form(
            "/t/demo/entry",
            &[
                ("csrf", &csrf(&entry.body)),
                ("party", "1"),
                ("shown_party", "1"),
                ("number1_1", "ab"),
                ("birth_text_1", "昭和70年1月1日"),
                ("email", "a@b@example.jp"),
                ("email_confirm", "x@example.jp"),
            ],
        )
        .await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = &failed.body;
    assert!(
        body.contains("<title>Error: Enter your email address"),
        "{body}"
    );
    assert!(
        body.contains("id=\"number1_1-error\">Number 1 is 9 letters or digits (you typed 2)."),
        "{body}"
    );
    assert!(
        body.contains("number1_1-hint number1_1-error"),
        "tied by aria-describedby"
    );
    assert!(
        body.contains("id=\"birthdate_1-error\">The Showa era ends in its year 64 (1989)."),
        "{body}"
    );
    assert!(
        body.contains(
            "id=\"email-error\">This is not a valid email address: it may have only one “@”."
        ),
        "{body}"
    );
    // The summary at the top links to each field, in English too.
    assert!(
        body.contains(
            "<h2 id=\"error-summary-title\">There is a problem with what was entered</h2>"
        )
    );
    assert!(
        body.contains(
            "<a href=\"#number1_1\">Person 1: Number 1 is 9 letters or digits (you typed 2).</a>"
        ),
        "{body}"
    );
    assert!(
        !body.contains("入力してください"),
        "no Japanese message left"
    );

    // The same form in Japanese says exactly what it always said.
    let mut ja = app.client();
    let entry = ja.get("/t/demo/entry").await;
    let failed = ja
        .post_form(
            "/t/demo/entry",
            &[
                ("csrf", &csrf(&entry.body)),
                ("party", "1"),
                ("shown_party", "1"),
                ("number1_1", "ab"),
                ("birth_text_1", "昭和70年1月1日"),
                ("email", "a@b@example.jp"),
                ("email_confirm", "x@example.jp"),
            ],
        )
        .await;
    assert!(failed.body.contains(
        "id=\"number1_1-error\">番号1は英数字9桁で入力してください(入力されたのは2桁です)。"
    ));
    assert!(failed.body.contains("昭和は64年(1989年)までです。"));
    assert!(
        failed
            .body
            .contains("<a href=\"#number1_1\">1人目: 番号1は")
    );
}
on_both_databases!(errors_come_out_in_english_beside_their_fields);

async fn the_switch_is_remembered_and_keeps_what_was_typed(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    let entry = client.get("/t/demo/entry?party=2").await;
    assert!(entry.body.contains("<html lang=\"ja\">"));
    // The header's English is a button of the entry form: pressing it sends what was
    // typed, which comes back unchecked in English.
    assert!(
        entry.body.contains(
            "<button type=\"submit\" form=\"entry-form\" name=\"switch_lang\" value=\"en\""
        )
    );
    let switched = client
        .post_form(
            "/t/demo/entry",
            &[
                ("csrf", &csrf(&entry.body)),
                ("party", "2"),
                ("shown_party", "2"),
                ("number1_1", "ABC123456"),
                ("birth_text_2", "昭和47年4月15日"),
                ("email", "kept@example.jp"),
                ("switch_lang", "en"),
            ],
        )
        .await;
    assert_eq!(switched.status, StatusCode::OK, "{}", switched.text());
    assert_eq!(client.cookie("mdg_lang"), Some("en"));
    assert!(switched.body.contains("<html lang=\"en\">"));
    assert!(switched.body.contains("value=\"ABC123456\""));
    assert!(switched.body.contains("value=\"昭和47年4月15日\""));
    assert!(switched.body.contains("value=\"kept@example.jp\""));
    assert!(switched.body.contains("Person 2"));
    assert!(
        !switched.body.contains("field-error\" id"),
        "nothing checked yet"
    );
    // Remembered on every page after it.
    client
        .get("/t/demo/faq")
        .await
        .assert_text("Frequently asked questions");
    client
        .get("/t/demo/lookup")
        .await
        .assert_text("Look up a booking");
    // A switch link only ever comes back to this site.
    let away = client.get("/lang?to=ja&back=%2F%2Fevil.example%2F").await;
    assert_eq!(away.location.as_deref(), Some("/"));
    client.get("/t/demo/").await.assert_text("受取予約をする");
    // The console stays Japanese whatever the resident pages were switched to.
    client.get("/lang?to=en&back=%2F").await;
    let login = client.get("/t/demo/staff/login").await;
    assert!(login.body.contains("lang=\"ja\""), "{}", login.text());
    login.assert_no_text("English");
    // Even the fixed error pages follow the choice.
    let missing = client.get("/t/demo/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("<html lang=\"en\">"));
    missing.assert_text("Page not found");
}
on_both_databases!(the_switch_is_remembered_and_keeps_what_was_typed);

async fn japanese_is_the_default_and_unchanged(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    let home = client.get("/t/demo/").await;
    assert!(home.body.contains("<html lang=\"ja\">"));
    home.assert_text("受取予約をする");
    home.assert_text("予約を照会する");
    assert!(
        home.body
            .contains("<a class=\"skip-link\" href=\"#main\">本文へ移動</a>")
    );
    assert!(
        home.body
            .contains("<span aria-current=\"true\" lang=\"ja\">日本語</span>")
    );
    assert!(home.body.contains(
        "href=\"&#x2F;lang?to=en&amp;back=%2Ft%2Fdemo%2F\" lang=\"en\" hreflang=\"en\">English</a>"
    ));
    let faq = client.get("/t/demo/faq").await;
    faq.assert_text("日時の変更と取消は予約日時の");
    assert!(!faq.body.contains("\u{2068}"));
    assert_eq!(
        client.cookie("mdg_lang"),
        None,
        "no cookie until a choice is made"
    );
}
on_both_databases!(japanese_is_the_default_and_unchanged);
