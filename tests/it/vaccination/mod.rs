//! Vaccination booking on the web, the resident's way (seeds 002, 003, 000), over HTTP on
//! the demo municipality: terms, ticket login, マイページ, choosing by place and by date,
//! 連絡先, 内容確認, 完了 with 2件目, and the races.
mod booking;
mod choosing;
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

/// Every `href="{prefix}..."` in the page, in order.
pub fn links(body: &str, prefix: &str) -> Vec<String> {
    // Tera writes the slashes of a URL from a variable as `&#x2F;`, as a browser reads them.
    let body = body.replace("&#x2F;", "/");
    let key = format!("href=\"{prefix}");
    let mut out = Vec::new();
    let mut rest = body.as_str();
    while let Some(i) = rest.find(&key) {
        rest = &rest[i + "href=\"".len()..];
        let end = rest.find('"').unwrap();
        out.push(rest[..end].to_string());
    }
    out
}

/// The date in a day link `/t/demo/vaccination/.../YYYY-MM-DD`.
pub fn day_of(link: &str) -> time::Date {
    let s = link.rsplit('/').next().unwrap();
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
}

/// From the マイページ: 「予約」 for `dose`, 「場所から決める」, the first venue, its
/// first choosable day, that day's first time: held. Returns the 連絡先 page and the day.
pub async fn hold_by_place(client: &mut Client, dose: u8) -> (Page, time::Date) {
    let page = client
        .get(&format!("/t/demo/vaccination/book?dose={dose}"))
        .await;
    assert_eq!(page.status, 200, "{}", page.text());
    page.assert_text("場所から決める");
    page.assert_text("日時から決める");
    let venues = client.get("/t/demo/vaccination/venues").await;
    assert_eq!(venues.status, 200, "{}", venues.text());
    let venue = links(&venues.body, "/t/demo/vaccination/venues/")[0].clone();
    let calendar = client.get(&venue).await;
    assert_eq!(calendar.status, 200, "{}", calendar.text());
    let day = links(&calendar.body, &format!("{venue}/"))
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("no day to choose on {venue}:\n{}", calendar.body));
    hold_on_day(client, &day).await
}

/// The times page of a venue's day: its first time held.
pub async fn hold_on_day(client: &mut Client, day_link: &str) -> (Page, time::Date) {
    let times = client.get(day_link).await;
    assert_eq!(times.status, 200, "{}", times.text());
    let slot = crate::common::selectable_slots(&times.body)
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("no time to choose on {day_link}:\n{}", times.text()));
    let held = client
        .post_form(
            "/t/demo/vaccination/hold",
            &[("csrf", &csrf(&times.body)), ("slot", &slot)],
        )
        .await;
    assert_eq!(
        held.location.as_deref(),
        Some("/t/demo/vaccination/contact"),
        "{}",
        held.text()
    );
    let contact = client.get("/t/demo/vaccination/contact").await;
    assert_eq!(contact.status, 200, "{}", contact.text());
    (contact, day_of(day_link))
}

/// 連絡先 sent with these fields (csrf from `page`).
pub async fn send_contact(client: &mut Client, page: &Page, fields: &[(&str, &str)]) -> Page {
    let token = csrf(&page.body);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    client.post_form("/t/demo/vaccination/contact", &all).await
}

pub const GOOD_CONTACT: [(&str, &str); 4] = [
    ("kana", "やまだ たろう"),
    ("phone", "090-1234-5678"),
    ("email", ""),
    ("wants_earlier", "no"),
];

/// 連絡先 filled in (with `email`), then 内容確認 shown.
pub async fn to_confirm(client: &mut Client, contact: &Page, email: &str) -> Page {
    let mut fields = GOOD_CONTACT.to_vec();
    fields[2] = ("email", email);
    let sent = send_contact(client, contact, &fields).await;
    assert_eq!(
        sent.location.as_deref(),
        Some("/t/demo/vaccination/confirm"),
        "{}",
        sent.text()
    );
    let page = client.get("/t/demo/vaccination/confirm").await;
    assert_eq!(page.status, 200, "{}", page.text());
    page
}

/// [予約を確定する] on the confirmation page.
pub async fn press_confirm(client: &mut Client, confirm: &Page) -> Page {
    client
        .post_form(
            "/t/demo/vaccination/confirm",
            &[("csrf", &csrf(&confirm.body))],
        )
        .await
}

/// 連絡先 filled in with `email`, its check mailed; the link from the mail opened and
/// pressed in this browser, which goes on to 内容確認 (shown).
pub async fn to_confirm_verified(
    app: &crate::common::TestApp,
    client: &mut Client,
    contact: &Page,
    email: &str,
) -> Page {
    let mut fields = GOOD_CONTACT.to_vec();
    fields[2] = ("email", email);
    let sent = send_contact(client, contact, &fields).await;
    assert_eq!(
        sent.location.as_deref(),
        Some("/t/demo/vaccination/contact/verify"),
        "{}",
        sent.text()
    );
    let link = verification_link(app, email).await;
    let landing = client.get(&link).await;
    assert_eq!(landing.status, 200, "{}", landing.text());
    let pressed = client
        .post_form(&link, &[("csrf", &csrf(&landing.body))])
        .await;
    assert_eq!(
        pressed.location.as_deref(),
        Some("/t/demo/vaccination/confirm"),
        "{}",
        pressed.text()
    );
    let page = client.get("/t/demo/vaccination/confirm").await;
    assert_eq!(page.status, 200, "{}", page.text());
    page
}

/// The link of the last address check mailed to `email`.
pub async fn verification_link(app: &crate::common::TestApp, email: &str) -> String {
    let mails = app.mails_to(email).await;
    let mail = mails
        .iter()
        .rev()
        .find(|m| {
            m.subject.contains("メールアドレスの確認") || m.subject.contains("Confirm your address")
        })
        .unwrap_or_else(|| panic!("no check mailed to {email}: {mails:?}"));
    crate::common::link_in(
        &mail.text,
        "http://127.0.0.1:3000/t/demo/vaccination/verify/",
    )
    .expect("the link in the mail")
}
