//! Vaccination booking on the web, the resident's way (seeds 002, 003, 000), over HTTP on
//! the demo municipality: terms, ticket login, マイページ, choosing by place and by date,
//! 連絡先, 内容確認, 完了 with 2件目, and the races.
mod login;

use crate::common::client::{Client, Page};
use crate::common::csrf;

/// Ticket `i` (0-based) of the demo: its number and its birthdate as 8 Western digits.
pub fn ticket(i: usize) -> (String, String) {
    let year = 1940 + (i * 3) % 60;
    (format!("2026{:06}", i + 1), format!("{year}04{:02}", 1 + i))
}

/// The terms page, 「利用規約に同意する」 ticked, 「予約をはじめる」.
pub async fn agree(client: &mut Client) -> Page {
    let page = client.get("/t/demo/vaccination/").await;
    assert_eq!(page.status, 200, "{}", page.text());
    client
        .post_form(
            "/t/demo/vaccination/",
            &[("csrf", &csrf(&page.body)), ("agree", "1")],
        )
        .await
}

/// The login form sent with this number and birthdate (after the terms).
pub async fn login_with(client: &mut Client, number: &str, birthdate: &str, pow: &str) -> Page {
    let page = client.get("/t/demo/vaccination/login").await;
    assert_eq!(page.status, 200, "{}", page.text());
    client
        .post_form(
            "/t/demo/vaccination/login",
            &[
                ("csrf", &csrf(&page.body)),
                ("ticket_number", number),
                ("birthdate", birthdate),
                ("pow", pow),
            ],
        )
        .await
}

/// Terms, then login as demo ticket `i`, then the マイページ.
pub async fn logged_in(client: &mut Client, i: usize) -> Page {
    let page = agree(client).await;
    assert_eq!(page.location.as_deref(), Some("/t/demo/vaccination/login"));
    let (number, birthdate) = ticket(i);
    let page = login_with(client, &number, &birthdate, "").await;
    assert_eq!(
        page.location.as_deref(),
        Some("/t/demo/vaccination/mypage"),
        "{}",
        page.text()
    );
    let page = client.get("/t/demo/vaccination/mypage").await;
    assert_eq!(page.status, 200, "{}", page.text());
    page
}
