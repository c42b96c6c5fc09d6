//! Nobody let in: lockouts with the proof-of-work challenge, rate limits on mail and on
//! secrets, the client address behind proxies, CSRF refusals and the response headers.
use axum::http::StatusCode;
use madoguchi::demo::sample_notices;
use sha2::{Digest, Sha256};

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf, value_after};
use crate::on_both_databases;
use crate::resident::{book, digits};

const CHALLENGE: &str = "入力内容の誤りが続いたため、確認の処理が必要になりました。";
const WRONG_BIRTHDATE: &str = "19000101";

/// What /static/pow.js does: find the number, write the answer.
pub fn solve(page: &Page) -> String {
    let attr = |name: &str| {
        value_after(&page.body, "class=\"challenge\"", name)
            .unwrap_or_else(|| panic!("no {name} on the page:\n{}", page.text()))
    };
    let (challenge, salt) = (attr("data-pow-challenge"), attr("data-pow-salt"));
    let max: u64 = attr("data-pow-max").parse().unwrap();
    let signature = attr("data-pow-signature");
    let n = (0..=max)
        .find(|n| hex::encode(Sha256::digest(format!("{salt}{n}").as_bytes())) == challenge)
        .expect("the challenge has an answer");
    format!(
        "{challenge}.{}.{n}.{signature}",
        hex::encode(salt.as_bytes())
    )
}

async fn entry(client: &mut Client, number1: &str, birth: &str, email: &str, pow: &str) -> Page {
    let page = client.get("/t/demo/entry").await;
    client
        .post_form(
            "/t/demo/entry",
            &[
                ("csrf", &csrf(&page.body)),
                ("party", "1"),
                ("shown_party", "1"),
                ("number1_1", number1),
                ("birth_text_1", birth),
                ("email", email),
                ("email_confirm", email),
                ("pow", pow),
            ],
        )
        .await
}

/// Ten wrong birthdates in a row from one client: the eleventh attempt needs the challenge,
/// keeps what was typed, and goes through once solved. An answer counts once.
async fn ten_failed_entries_from_one_client_ask_for_a_challenge(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut client = app.client();
    for i in 0..10 {
        let n = &s[10 + i];
        let failed = entry(&mut client, &n.number1, WRONG_BIRTHDATE, "x@example.jp", "").await;
        assert_eq!(
            failed.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "attempt {i}"
        );
        failed.assert_text("交付対象を特定できませんでした。番号2も入力してください。");
    }
    let target = &s[20];
    let challenged = entry(
        &mut client,
        &target.number1,
        &digits(target),
        "me@example.jp",
        "",
    )
    .await;
    assert_eq!(challenged.status, StatusCode::TOO_MANY_REQUESTS);
    challenged.assert_text(CHALLENGE);
    assert!(
        challenged
            .body
            .contains(&format!("value=\"{}\"", target.number1))
    );
    assert!(challenged.body.contains("value=\"me@example.jp\""));
    assert!(challenged.body.contains("src=\"/static/pow.js\""));
    challenged.assert_text("JavaScriptが無効のため");
    assert!(
        app.mails_to("me@example.jp").await.is_empty(),
        "nothing checked yet"
    );

    // Another client is not affected.
    let mut neighbour = app.client();
    let fine = entry(
        &mut neighbour,
        &s[21].number1,
        &digits(&s[21]),
        "n@example.jp",
        "",
    )
    .await;
    assert_eq!(fine.location.as_deref(), Some("/t/demo/entry/sent"));

    // A wrong answer is another challenge; a solved one lets the attempt through.
    let forged = entry(
        &mut client,
        &target.number1,
        &digits(target),
        "me@example.jp",
        "a.b.1.c",
    )
    .await;
    assert_eq!(forged.status, StatusCode::TOO_MANY_REQUESTS);
    forged.assert_text("確認の処理が完了しませんでした");
    let answer = solve(&forged);
    let wrong_again = entry(
        &mut client,
        &s[22].number1,
        WRONG_BIRTHDATE,
        "me@example.jp",
        &answer,
    )
    .await;
    assert_eq!(
        wrong_again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the answer bought one attempt"
    );
    // The same answer again buys nothing.
    let replayed = entry(
        &mut client,
        &target.number1,
        &digits(target),
        "me@example.jp",
        &answer,
    )
    .await;
    assert_eq!(replayed.status, StatusCode::TOO_MANY_REQUESTS);
    let answer = solve(&replayed);
    let through = entry(
        &mut client,
        &target.number1,
        &digits(target),
        "me@example.jp",
        &answer,
    )
    .await;
    assert_eq!(
        through.location.as_deref(),
        Some("/t/demo/entry/sent"),
        "{}",
        through.text()
    );
    assert_eq!(app.mails_to("me@example.jp").await.len(), 1);

    // Success ends the run: the next attempt from this client needs nothing.
    let next = entry(
        &mut client,
        &s[23].number1,
        &digits(&s[23]),
        "me2@example.jp",
        "",
    )
    .await;
    assert_eq!(next.location.as_deref(), Some("/t/demo/entry/sent"));

    // Half an hour after a run began, it is forgotten even without a success.
    let mut other = app.client();
    for i in 0..10 {
        entry(
            &mut other,
            &s[30 + i].number1,
            WRONG_BIRTHDATE,
            "o@example.jp",
            "",
        )
        .await;
    }
    let held = entry(
        &mut other,
        &s[24].number1,
        &digits(&s[24]),
        "o@example.jp",
        "",
    )
    .await;
    assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(30 * 60);
    let later = entry(
        &mut other,
        &s[24].number1,
        &digits(&s[24]),
        "o@example.jp",
        "",
    )
    .await;
    assert_eq!(later.location.as_deref(), Some("/t/demo/entry/sent"));
}
on_both_databases!(ten_failed_entries_from_one_client_ask_for_a_challenge);

/// Ten clients each trying one birthdate against the same 番号1: the number is under attack,
/// so the next attempt on it needs the challenge whoever makes it; the words never tell
/// whether the number or the birthdate was wrong.
async fn ten_failures_against_one_number_ask_every_client(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let target = &s[40];
    for i in 0..10 {
        let mut guesser = app.client();
        let birth = format!("19{:02}0101", 10 + i);
        let failed = entry(&mut guesser, &target.number1, &birth, "g@example.jp", "").await;
        assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY);
        failed.assert_text("交付対象を特定できませんでした。番号2も入力してください。");
    }
    // An unknown number reads exactly the same.
    let mut prober = app.client();
    let unknown = entry(
        &mut prober,
        "ZZZ000000",
        &digits(target),
        "p@example.jp",
        "",
    )
    .await;
    unknown.assert_text("交付対象を特定できませんでした。番号2も入力してください。");

    let mut owner = app.client();
    let challenged = entry(
        &mut owner,
        &target.number1,
        &digits(target),
        "owner@example.jp",
        "",
    )
    .await;
    assert_eq!(challenged.status, StatusCode::TOO_MANY_REQUESTS);
    let answer = solve(&challenged);
    let through = entry(
        &mut owner,
        &target.number1,
        &digits(target),
        "owner@example.jp",
        &answer,
    )
    .await;
    assert_eq!(through.location.as_deref(), Some("/t/demo/entry/sent"));
}
on_both_databases!(ten_failures_against_one_number_ask_every_client);

async fn lookup(client: &mut Client, receipt: &str, password: &str, pow: &str) -> Page {
    let page = client.get("/t/demo/lookup").await;
    client
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&page.body)),
                ("receipt_number", receipt),
                ("password", password),
                ("pow", pow),
            ],
        )
        .await
}

async fn ten_wrong_passwords_for_a_receipt_ask_for_a_challenge(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, password) = book(&app, &[&s[50]], "lookup@example.jp").await;
    for i in 0..10 {
        let mut guesser = app.client();
        let wrong = lookup(
            &mut guesser,
            &receipt,
            &format!("AAAA-BBBB-CCCC-{i:04}"),
            "",
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        wrong.assert_text("受付番号またはパスワードが正しくありません");
    }
    let mut owner = app.client();
    let challenged = lookup(&mut owner, &receipt, &password, "").await;
    assert_eq!(challenged.status, StatusCode::TOO_MANY_REQUESTS);
    challenged.assert_text(CHALLENGE);
    assert!(challenged.body.contains(&format!("value=\"{receipt}\"")));
    let answer = solve(&challenged);
    let through = lookup(&mut owner, &receipt, &password, &answer).await;
    assert_eq!(through.location.as_deref(), Some("/t/demo/booking"));
}
on_both_databases!(ten_wrong_passwords_for_a_receipt_ask_for_a_challenge);

async fn staff_login(client: &mut Client, login: &str, password: &str, pow: &str) -> Page {
    let page = client.get("/t/demo/staff/login").await;
    client
        .post_form(
            "/t/demo/staff/login",
            &[
                ("csrf", &csrf(&page.body)),
                ("login", login),
                ("password", password),
                ("pow", pow),
            ],
        )
        .await
}

/// Ten wrong passwords for a login lock it for 15 minutes, the right password included;
/// a login that does not exist locks the same way, so a lock tells nothing.
async fn staff_logins_lock_after_ten_failures(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let admin = madoguchi::demo::ADMIN_LOGIN;
    let right = madoguchi::demo::ADMIN_PASSWORD;
    for (login, password) in [(admin, right), ("nobody", "whatever-it-is")] {
        for i in 0..10 {
            let mut guesser = app.client();
            let wrong = staff_login(&mut guesser, login, &format!("guess-{i}"), "").await;
            wrong.assert_text("ログインIDまたはパスワードが正しくありません。");
        }
        let mut owner = app.client();
        let locked = staff_login(&mut owner, login, password, "").await;
        locked.assert_text(
            "ログインに続けて失敗したため、このログインIDは09:15までログインできません。",
        );
        assert_eq!(locked.location, None);
    }
    app.clock.advance(15 * 60);
    let mut owner = app.client();
    let ok = staff_login(&mut owner, admin, right, "").await;
    assert_eq!(ok.location.as_deref(), Some("/t/demo/staff/roster"));
}
on_both_databases!(staff_logins_lock_after_ten_failures);

/// One client trying ten different logins: the client needs the challenge.
async fn one_client_trying_many_logins_gets_a_challenge(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut sprayer = app.client();
    for i in 0..10 {
        staff_login(&mut sprayer, &format!("user{i}"), "password-123", "").await;
    }
    let challenged = staff_login(
        &mut sprayer,
        madoguchi::demo::ADMIN_LOGIN,
        madoguchi::demo::ADMIN_PASSWORD,
        "",
    )
    .await;
    assert_eq!(challenged.status, StatusCode::TOO_MANY_REQUESTS);
    let answer = solve(&challenged);
    let ok = staff_login(
        &mut sprayer,
        madoguchi::demo::ADMIN_LOGIN,
        madoguchi::demo::ADMIN_PASSWORD,
        &answer,
    )
    .await;
    assert_eq!(ok.location.as_deref(), Some("/t/demo/staff/roster"));
}
on_both_databases!(one_client_trying_many_logins_gets_a_challenge);

/// The entry form sends a mail: three an hour to one address, ten an hour from one client.
async fn verification_mails_cannot_flood_an_inbox(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    for i in 0..3 {
        let mut c = app.client();
        let sent = entry(
            &mut c,
            &s[60 + i].number1,
            &digits(&s[60 + i]),
            "victim@example.jp",
            "",
        )
        .await;
        assert_eq!(sent.location.as_deref(), Some("/t/demo/entry/sent"));
    }
    let mut c = app.client();
    let refused = entry(
        &mut c,
        &s[63].number1,
        &digits(&s[63]),
        "victim@example.jp",
        "",
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_text(
        "短時間に同じ操作が繰り返されたため、受付を一時的に止めています。1時間ほど待ってから",
    );
    assert!(
        refused.body.contains("id=\"email-error\""),
        "said next to the address"
    );
    assert!(
        refused
            .body
            .contains(&format!("value=\"{}\"", s[63].number1))
    );
    assert_eq!(app.mails_to("victim@example.jp").await.len(), 3);
    app.clock.advance(60 * 60);
    let later = entry(
        &mut c,
        &s[63].number1,
        &digits(&s[63]),
        "victim@example.jp",
        "",
    )
    .await;
    assert_eq!(later.location.as_deref(), Some("/t/demo/entry/sent"));

    // One client sending to ten addresses, then an eleventh.
    let mut sender = app.client();
    for i in 0..10 {
        let n = &s[64 + i];
        let sent = entry(
            &mut sender,
            &n.number1,
            &digits(n),
            &format!("a{i}@example.jp"),
            "",
        )
        .await;
        assert_eq!(
            sent.location.as_deref(),
            Some("/t/demo/entry/sent"),
            "mail {i}"
        );
    }
    let n = &s[74];
    let refused = entry(&mut sender, &n.number1, &digits(n), "a10@example.jp", "").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    refused.assert_text("受付を一時的に止めています");
    assert!(app.mails_to("a10@example.jp").await.is_empty());
}
on_both_databases!(verification_mails_cannot_flood_an_inbox);

async fn the_completion_mail_is_resent_three_times_an_hour(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, password) = book(&app, &[&s[75]], "resend@example.jp").await;
    let mut client = app.client();
    lookup(&mut client, &receipt, &password, "").await;
    for i in 0..4 {
        let details = client.get("/t/demo/booking").await;
        client
            .post_form("/t/demo/booking/resend", &[("csrf", &csrf(&details.body))])
            .await;
        let after = client.get("/t/demo/booking").await;
        if i < 3 {
            after.assert_text("予約完了通知メールを再送しました");
        } else {
            after.assert_text("受付を一時的に止めています");
        }
    }
    let completions = app
        .mails_to("resend@example.jp")
        .await
        .into_iter()
        .filter(|m| m.subject.contains("予約完了通知メール"))
        .count();
    assert_eq!(completions, 1 + 3);
}
on_both_databases!(the_completion_mail_is_resent_three_times_an_hour);

/// X-Forwarded-For is believed only from a trusted proxy: a client cannot rotate it to
/// escape its count, and behind the configured proxy each forwarded client counts alone.
async fn forwarded_addresses_count_only_from_trusted_proxies(backend: Backend) {
    let Some(app) = TestApp::with_settings(backend, |s| {
        s.server.trusted_proxies = vec!["192.0.2.0/24".into()];
    })
    .await
    else {
        return;
    };
    let s = sample_notices();
    // Direct, with a forged header that changes every time: still one client.
    for i in 0..10 {
        let mut c = app
            .client()
            .at_ip("198.51.100.7")
            .forwarded_for(&format!("203.0.113.{i}"));
        entry(
            &mut c,
            &s[10 + i].number1,
            WRONG_BIRTHDATE,
            "f@example.jp",
            "",
        )
        .await;
    }
    let mut c = app
        .client()
        .at_ip("198.51.100.7")
        .forwarded_for("203.0.113.99");
    let challenged = entry(&mut c, &s[20].number1, &digits(&s[20]), "f@example.jp", "").await;
    assert_eq!(challenged.status, StatusCode::TOO_MANY_REQUESTS);

    // Through the proxy: ten people behind it, each failing once, are ten clients.
    for i in 0..10 {
        let mut c = app
            .client()
            .at_ip("192.0.2.10")
            .forwarded_for(&format!("1.2.3.4, 203.0.113.{}", 100 + i));
        entry(
            &mut c,
            &s[30 + i].number1,
            WRONG_BIRTHDATE,
            "f@example.jp",
            "",
        )
        .await;
    }
    let mut c = app
        .client()
        .at_ip("192.0.2.10")
        .forwarded_for("1.2.3.4, 203.0.113.100");
    let fine = entry(&mut c, &s[21].number1, &digits(&s[21]), "ok@example.jp", "").await;
    assert_eq!(
        fine.location.as_deref(),
        Some("/t/demo/entry/sent"),
        "{}",
        fine.text()
    );
}
on_both_databases!(forwarded_addresses_count_only_from_trusted_proxies);

/// Every form refuses a post whose CSRF token does not match its cookie, and changes
/// nothing.
async fn every_form_refuses_a_forged_post(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let resident = [
        "/t/demo/entry",
        "/t/demo/apply",
        "/t/demo/apply/slots",
        "/t/demo/apply/confirm",
        "/t/demo/apply/SOMETOKEN",
        "/t/demo/lookup",
        "/t/demo/booking/slots",
        "/t/demo/booking/change",
        "/t/demo/booking/change/extend",
        "/t/demo/booking/cancel",
        "/t/demo/booking/resend",
        "/t/demo/staff/login",
    ];
    let mut browser = app.client();
    browser.get("/t/demo/").await; // holds a CSRF cookie, but posts the wrong token
    for path in resident {
        for token in ["", "forged-token"] {
            let page = browser.post_form(path, &[("csrf", token)]).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
            page.assert_text("この画面の有効期限が切れました");
        }
    }
    let mut admin = app.admin_client().await;
    let staff = [
        "/t/demo/staff/logout",
        "/t/demo/staff/phone/add",
        "/t/demo/staff/phone/remove",
        "/t/demo/staff/phone/choose",
        "/t/demo/staff/schedule/counters",
        "/t/demo/staff/schedule/templates",
        "/t/demo/staff/schedule/closures",
        "/t/demo/staff/schedule/calendar",
        "/t/demo/staff/schedule/window",
        "/t/demo/staff/settings",
        "/t/demo/staff/settings/announcements",
    ];
    for path in staff {
        let page = admin.post_form(path, &[("csrf", "forged-token")]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
    // Still logged in: the forged logout did nothing.
    assert_eq!(
        admin.get("/t/demo/staff/roster").await.status,
        StatusCode::OK
    );
    assert!(app.mails().await.is_empty(), "no forged post sent a mail");
}
on_both_databases!(every_form_refuses_a_forged_post);

/// The headers every page carries, and what changes over HTTPS.
async fn pages_carry_the_security_headers(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut c = app.client();
    let home = c.get("/t/demo/").await;
    let h = |p: &Page, name: &str| {
        p.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let csp = h(&home, "content-security-policy");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(h(&home, "x-content-type-options"), "nosniff");
    assert_eq!(h(&home, "x-frame-options"), "DENY");
    assert_eq!(h(&home, "referrer-policy"), "same-origin");
    assert_eq!(h(&home, "cache-control"), "no-store");
    assert_eq!(
        h(&home, "strict-transport-security"),
        "",
        "no HSTS over plain http"
    );
    let css = c.get("/static/app.css").await;
    assert!(h(&css, "cache-control").starts_with("public"));
    let js = c.get("/static/pow.js").await;
    assert!(h(&js, "content-type").starts_with("text/javascript"));
    let entry_page = c.get("/t/demo/entry").await;
    let cookie = h(&entry_page, "set-cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let Some(tls) = TestApp::with_settings(app.backend, |s| s.security.https = true).await else {
        return;
    };
    let mut c = tls.client();
    let home = c.get("/t/demo/").await;
    assert_eq!(h(&home, "strict-transport-security"), "max-age=63072000");
    let cookie = h(&c.get("/t/demo/entry").await, "set-cookie");
    assert!(
        cookie.starts_with("__Host-mdg_csrf=")
            && cookie.contains("Secure")
            && cookie.contains("Path=/"),
        "{cookie}"
    );
    let login = c.get("/t/demo/staff/login").await;
    let done = c
        .post_form(
            "/t/demo/staff/login",
            &[
                ("csrf", &csrf(&login.body)),
                ("login", madoguchi::demo::ADMIN_LOGIN),
                ("password", madoguchi::demo::ADMIN_PASSWORD),
            ],
        )
        .await;
    let staff_cookie = h(&done, "set-cookie");
    assert!(
        staff_cookie.starts_with("__Host-mdg_staff=")
            && staff_cookie.contains("Secure")
            && staff_cookie.contains("HttpOnly")
            && staff_cookie.contains("SameSite=Strict"),
        "{staff_cookie}"
    );
}
on_both_databases!(pages_carry_the_security_headers);

/// Sixty checks of a secret per client in ten minutes, right or wrong: the 61st lookup
/// is refused even with the right password, and another client is not affected.
async fn sixty_secret_checks_per_client_in_ten_minutes(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, password) = crate::resident::book(&app, &[&s[3]], "checks@example.jp").await;
    let mut client = app.client();
    for i in 0..60 {
        let found = lookup(&mut client, &receipt, &password, "").await;
        assert_eq!(
            found.location.as_deref(),
            Some("/t/demo/booking"),
            "check {i}"
        );
    }
    let refused = lookup(&mut client, &receipt, &password, "").await;
    assert_ne!(refused.location.as_deref(), Some("/t/demo/booking"));
    refused.assert_text("受付を一時的に止めています");
    let mut other = app.client();
    let found = lookup(&mut other, &receipt, &password, "").await;
    assert_eq!(found.location.as_deref(), Some("/t/demo/booking"));
    // Ten minutes later the client may check again.
    app.clock.advance(10 * 60);
    let found = lookup(&mut client, &receipt, &password, "").await;
    assert_eq!(found.location.as_deref(), Some("/t/demo/booking"));
}
on_both_databases!(sixty_secret_checks_per_client_in_ten_minutes);
