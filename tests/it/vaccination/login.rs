//! 利用規約, ログイン, マイページ, ログアウト and the idle expiry.
use super::{agree, logged_in, login_with, ticket};
use crate::common::towns::OneSlotTown;
use crate::common::{Backend, TestApp, csrf};
use crate::on_both_databases;

const NOT_FOUND: &str = "入力された情報に該当する接種券が見つかりませんでした。再度入力ください。";
const CHALLENGE: &str = "入力内容の誤りが続いたため、確認の処理が必要になりました。";

/// The terms are shown with the privacy text; not ticking the box is refused at the box;
/// the login page is not reachable before agreeing; a municipality without vaccination
/// has no such pages.
async fn terms_must_be_agreed_to(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    let page = client.get("/t/demo/vaccination/login").await;
    assert_eq!(page.location.as_deref(), Some("/t/demo/vaccination/"));
    let page = client.get("/t/demo/vaccination/").await;
    page.assert_text("利用規約");
    page.assert_text("個人情報の取扱い");
    page.assert_text("デモ市の新型コロナワクチン接種の予約");
    page.assert_text("利用規約に同意する");
    page.assert_text("予約をはじめる");
    let refused = client
        .post_form("/t/demo/vaccination/", &[("csrf", &csrf(&page.body))])
        .await;
    assert_eq!(refused.status, 422);
    refused.assert_text("利用規約への同意が必要です");
    assert!(refused.body.contains("aria-describedby=\"agree-error\""));
    let agreed = agree(&mut client).await;
    assert_eq!(
        agreed.location.as_deref(),
        Some("/t/demo/vaccination/login")
    );
    let login = client.get("/t/demo/vaccination/login").await;
    assert_eq!(login.status, 200);
    login.assert_text("接種券番号");
    login.assert_text("生年月日");

    // English.
    let mut en = app.client();
    en.set_cookie("mdg_lang", "en");
    let page = en.get("/t/demo/vaccination/").await;
    page.assert_text("Terms of use");
    page.assert_text("I agree to the terms of use");

    OneSlotTown {
        slug: "nox",
        name: "ワクチンなし町",
        opens_min: 600,
        places: 1,
        residents: 0,
        number1_prefix: "A",
        number2_prefix: "B",
    }
    .create(&app)
    .await;
    for path in [
        "/t/nox/vaccination/",
        "/t/nox/vaccination/login",
        "/t/nox/vaccination/mypage",
    ] {
        assert_eq!(client.get(path).await.status, 404, "{path}");
    }
}
on_both_databases!(terms_must_be_agreed_to);

/// A wrong number and a wrong birthdate say the same; malformed fields are told at the
/// field with what was typed kept; the right pair opens the マイページ of that ticket.
async fn login_wrong_then_right(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    agree(&mut client).await;
    let (number, birthdate) = ticket(0);
    let wrong_birth = login_with(&mut client, &number, "19990101", "").await;
    assert_eq!(wrong_birth.status, 422);
    wrong_birth.assert_text(NOT_FOUND);
    let wrong_number = login_with(&mut client, "2026999999", &birthdate, "").await;
    wrong_number.assert_text(NOT_FOUND);
    assert_eq!(
        wrong_birth
            .text()
            .replace(&number, "N")
            .replace("19990101", "B"),
        wrong_number
            .text()
            .replace("2026999999", "N")
            .replace(&birthdate, "B"),
        "the two failures must not be told apart"
    );
    let malformed = login_with(&mut client, "12345", "x", "").await;
    assert_eq!(malformed.status, 422);
    malformed.assert_text("接種券番号は");
    assert!(malformed.body.contains("value=\"12345\""));
    assert!(
        malformed
            .body
            .contains("aria-describedby=\"ticket_number-hint ticket_number-error\"")
    );
    assert!(malformed.body.contains("id=\"birthdate-error\""));

    // Full-width digits and a Japanese-era birthdate are read as the card-pickup entry reads them.
    let wide: String = number
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
        .collect();
    let ok = login_with(&mut client, &wide, "昭和15年4月1日", "").await;
    assert_eq!(
        ok.location.as_deref(),
        Some("/t/demo/vaccination/mypage"),
        "{}",
        ok.text()
    );
    let page = client.get("/t/demo/vaccination/mypage").await;
    page.assert_text("マイページ");
    let tenant = app.demo_tenant().await;
    let t = madoguchi::db::tickets::find_by_number(app.db(), tenant.id, &number)
        .await
        .unwrap()
        .unwrap();
    page.assert_text(&t.name);
    page.assert_text("1回目");
    page.assert_text("2回目");
    page.assert_text("1回目の予約をすると、2回目を予約できます。");
    page.assert_text("予約");
    page.assert_text("お知らせ");
    page.assert_text("接種券・予診票・本人確認書類をお持ちください");
    page.assert_text("持ち物");
    page.assert_text("ログアウト");
    assert!(page.body.contains("/t/demo/vaccination/book?dose=1"));
}
on_both_databases!(login_wrong_then_right);

/// Ten failures in a row bring the existing challenge; the right pair with it solved logs in.
async fn ten_failures_bring_the_challenge(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    agree(&mut client).await;
    let (number, birthdate) = ticket(1);
    for i in 0..10 {
        let page = login_with(&mut client, &number, "19000101", "").await;
        page.assert_text(NOT_FOUND);
        assert_ne!(page.status, 429, "attempt {i}");
    }
    let page = login_with(&mut client, &number, &birthdate, "").await;
    assert_eq!(page.status, 429, "{}", page.text());
    page.assert_text(CHALLENGE);
    assert!(page.body.contains(&format!("value=\"{number}\"")));
    let answer = crate::limits::solve(&page);
    let page = login_with(&mut client, &number, &birthdate, &answer).await;
    assert_eq!(
        page.location.as_deref(),
        Some("/t/demo/vaccination/mypage"),
        "{}",
        page.text()
    );
}
on_both_databases!(ten_failures_bring_the_challenge);

/// The idle expiry of the settings (30 minutes) ends the login: back to the login page
/// with a message; a page seen before it keeps the login alive.
async fn an_idle_login_expires(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    logged_in(&mut client, 2).await;
    app.clock.advance(29 * 60);
    assert_eq!(client.get("/t/demo/vaccination/mypage").await.status, 200);
    app.clock.advance(29 * 60);
    assert_eq!(client.get("/t/demo/vaccination/mypage").await.status, 200);
    app.clock.advance(31 * 60);
    let page = client.get("/t/demo/vaccination/mypage").await;
    assert_eq!(page.location.as_deref(), Some("/t/demo/vaccination/login"));
    let page = client.get("/t/demo/vaccination/login").await;
    assert_eq!(page.status, 200, "{}", page.text());
    page.assert_text("一定時間操作がなかったため、ログアウトしました。");
    let page = client.get("/t/demo/vaccination/mypage").await;
    assert_eq!(page.location.as_deref(), Some("/t/demo/vaccination/login"));
}
on_both_databases!(an_idle_login_expires);

/// ログアウト ends the login, says so on the login page, and the マイページ is gone; the
/// login makes a new session id, so the cookie from before it never carries the login.
async fn logout_ends_the_login(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    agree(&mut client).await;
    let before = client.cookie("mdg_sid").unwrap().to_string();
    let page = logged_in_again(&mut client, 3).await;
    assert_ne!(client.cookie("mdg_sid").unwrap(), before);
    let mut stale = app.client().with_cookies_of(&client);
    stale.set_cookie("mdg_sid", &before);
    assert_eq!(
        stale
            .get("/t/demo/vaccination/mypage")
            .await
            .location
            .as_deref(),
        Some("/t/demo/vaccination/login")
    );
    let out = client
        .post_form("/t/demo/vaccination/logout", &[("csrf", &csrf(&page.body))])
        .await;
    assert_eq!(out.location.as_deref(), Some("/t/demo/vaccination/login"));
    let page = client.get("/t/demo/vaccination/login").await;
    page.assert_text("ログアウトしました");
    assert_eq!(
        client
            .get("/t/demo/vaccination/mypage")
            .await
            .location
            .as_deref(),
        Some("/t/demo/vaccination/login")
    );
    // Without the CSRF token, no logout.
    let mut other = app.client();
    logged_in(&mut other, 4).await;
    let refused = other.post_form("/t/demo/vaccination/logout", &[]).await;
    assert_eq!(refused.status, 403);
    assert_eq!(other.get("/t/demo/vaccination/mypage").await.status, 200);
}
on_both_databases!(logout_ends_the_login);

async fn logged_in_again(
    client: &mut crate::common::client::Client,
    i: usize,
) -> crate::common::client::Page {
    let (number, birthdate) = ticket(i);
    let page = login_with(client, &number, &birthdate, "").await;
    assert_eq!(page.location.as_deref(), Some("/t/demo/vaccination/mypage"));
    client.get("/t/demo/vaccination/mypage").await
}
