//! One simulated resident of the vaccination service (`--mode vaccination`): the terms, the
//! ticket login, the マイページ, 日時から決める (the month calendar over all venues, a day,
//! a venue open that day, its times), the hold, 連絡先, 内容確認 and 完了, reading the
//! pages it is given as a person does.
use std::time::{Duration, Instant};

use madoguchi::db::tickets::NewTicket;

use crate::resident::{
    Browser, Failure, Shared, Step, address_of, csrf, expect, expect_redirect, use_mailed_link,
};
use crate::stats::Stats;

/// Every `href="{prefix}…"` on the page, in order. Links written from a value are
/// HTML-escaped by the templates (`/` as `&#x2F;`), as a browser reads them back.
fn links(html: &str, prefix: &str) -> Vec<String> {
    let html = html.replace("&#x2F;", "/");
    let marker = format!("href=\"{prefix}");
    let mut out = Vec::new();
    let mut rest = html.as_str();
    while let Some(i) = rest.find(&marker) {
        rest = &rest[i + "href=\"".len()..];
        let Some(end) = rest.find('"') else { break };
        out.push(rest[..end].replace("&amp;", "&"));
    }
    out
}

/// The values of the time buttons (`name="slot"`) that may be chosen.
fn time_buttons(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("name=\"slot\" value=\"") {
        rest = &rest[i + "name=\"slot\" value=\"".len()..];
        let Some(end) = rest.find('"') else { break };
        out.push(rest[..end].to_string());
    }
    out
}

fn pick(items: &[String]) -> &String {
    &items[rand::random_range(0..items.len())]
}

fn birth_digits(t: &NewTicket) -> String {
    format!(
        "{:04}{:02}{:02}",
        t.birthdate.year(),
        t.birthdate.month() as u8,
        t.birthdate.day()
    )
}

pub async fn book_once(
    shared: &Shared,
    base: &str,
    i: usize,
    ticket: &NewTicket,
    stats: &mut Stats,
) -> Step<()> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(address_of(i))
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|_| Failure::Error("client: could not build".to_string()))?;
    let mut b = Browser {
        client,
        base,
        shared,
        stats,
    };
    let v = format!("/t/{}/vaccination", shared.slug);

    let terms = b.get("vx_terms", &format!("{v}/")).await?;
    expect("vx_terms", &terms, 200)?;
    let token = csrf("vx_terms", &terms.body)?;
    let agreed = b
        .post(
            "vx_agree",
            &format!("{v}/"),
            &[("csrf", &token), ("agree", "1")],
        )
        .await?;
    expect_redirect("vx_agree", &agreed, &format!("{v}/login"))?;
    let login = b.get("vx_login_form", &format!("{v}/login")).await?;
    expect("vx_login_form", &login, 200)?;
    let token = csrf("vx_login_form", &login.body)?;
    let birth = birth_digits(ticket);
    let logged_in = b
        .post(
            "vx_login",
            &format!("{v}/login"),
            &[
                ("csrf", &token),
                ("ticket_number", &ticket.ticket_number),
                ("birthdate", &birth),
            ],
        )
        .await?;
    expect_redirect("vx_login", &logged_in, &format!("{v}/mypage"))?;
    let mypage = b.get("vx_mypage", &format!("{v}/mypage")).await?;
    expect("vx_mypage", &mypage, 200)?;
    let book = links(&mypage.body, &format!("{v}/book?dose="));
    let Some(book) = book.first() else {
        return Err(Failure::Error("vx_mypage: no 予約 button".to_string()));
    };
    let start = b.get("vx_book", book).await?;
    expect("vx_book", &start, 200)?;

    // 日時から決める: a day of the month calendar, a venue open that day, a time. A time
    // taken meanwhile sends the resident back to the day's times, as the page says.
    let mut held = false;
    'choose: for _ in 0..10 {
        let calendar = b.get("vx_dates", &format!("{v}/dates")).await?;
        expect("vx_dates", &calendar, 200)?;
        let days = links(&calendar.body, &format!("{v}/dates/"));
        if days.is_empty() {
            return Err(Failure::Error("vx_dates: no day left".to_string()));
        }
        let day = b.get("vx_date_venues", pick(&days)).await?;
        expect("vx_date_venues", &day, 200)?;
        let venues = links(&day.body, &format!("{v}/venues/"));
        if venues.is_empty() {
            continue;
        }
        let mut times_path = pick(&venues).clone();
        for _ in 0..3 {
            let times = b.get("vx_times", &times_path).await?;
            expect("vx_times", &times, 200)?;
            let slots = time_buttons(&times.body);
            if slots.is_empty() {
                continue 'choose;
            }
            let token = csrf("vx_times", &times.body)?;
            let hold = b
                .post(
                    "vx_hold",
                    &format!("{v}/hold"),
                    &[("csrf", &token), ("slot", pick(&slots))],
                )
                .await?;
            match (&hold.status, hold.location.as_deref()) {
                (303, Some(loc)) if loc.starts_with(&format!("{v}/contact")) => {
                    held = true;
                    break 'choose;
                }
                (303, Some(loc)) => {
                    b.stats.hold_taken += 1;
                    times_path = loc.to_string();
                }
                _ => return Err(Failure::Error(format!("vx_hold: status {}", hold.status))),
            }
        }
    }
    if !held {
        return Err(Failure::Error(
            "vx_hold: every chosen time was taken".to_string(),
        ));
    }

    let contact = b.get("vx_contact", &format!("{v}/contact")).await?;
    expect("vx_contact", &contact, 200)?;
    let token = csrf("vx_contact", &contact.body)?;
    let email = format!("vx{i}@example.jp");
    let link_rx = shared.sink.expect(&email);
    let sent = b
        .post(
            "vx_contact_submit",
            &format!("{v}/contact"),
            &[
                ("csrf", &token),
                ("kana", "フカ ハナコ"),
                ("phone", "090-1234-5678"),
                ("email", &email),
                ("wants_earlier", "no"),
            ],
        )
        .await;
    let sent = match sent {
        Ok(s) => s,
        Err(e) => {
            shared.sink.forget(&email);
            return Err(e);
        }
    };
    // The address is checked first: the link mail, opened in the same browser, goes on
    // to 内容確認.
    let mail_started = Instant::now();
    if let Err(e) = expect_redirect("vx_contact_submit", &sent, &format!("{v}/contact/verify")) {
        shared.sink.forget(&email);
        return Err(e);
    }
    use_mailed_link(
        &mut b,
        shared,
        &email,
        link_rx,
        mail_started,
        "vx_",
        &format!("{v}/confirm"),
    )
    .await?;
    let confirm = b.get("vx_confirm", &format!("{v}/confirm")).await?;
    expect("vx_confirm", &confirm, 200)?;
    let token = csrf("vx_confirm", &confirm.body)?;
    let booked = b
        .post(
            "vx_book_confirm",
            &format!("{v}/confirm"),
            &[("csrf", &token)],
        )
        .await?;
    expect_redirect("vx_book_confirm", &booked, &format!("{v}/done"))?;
    let done = b.get("vx_done", &format!("{v}/done")).await?;
    expect("vx_done", &done, 200)?;
    if !done.body.contains("ご予約が完了しました") {
        return Err(Failure::Error(
            "vx_done: not the completion page".to_string(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_day_links_and_time_buttons() {
        let html = r#"<a href="/t/load/vaccination/dates/2026-12-08">8</a>
            <a href="&#x2F;t&#x2F;load&#x2F;vaccination&#x2F;dates&#x2F;2026-12-09">9</a><a href="/t/x">x</a>
            <button type="submit" name="slot" value="17">選択</button>"#;
        assert_eq!(
            links(html, "/t/load/vaccination/dates/"),
            [
                "/t/load/vaccination/dates/2026-12-08",
                "/t/load/vaccination/dates/2026-12-09"
            ]
        );
        assert_eq!(time_buttons(html), ["17"]);
    }
}
