//! 連絡先, 内容確認, 完了 with its mail and 2件目, one booking per press and per dose, and
//! two logins that never see each other's bookings.
use madoguchi::db::tickets;
use time::Duration;

use super::{
    day_of, hold_by_place, links, logged_in, press_confirm, send_contact, ticket, to_confirm,
    to_confirm_verified,
};
use crate::common::{Backend, TestApp};
use crate::on_both_databases;

async fn ticket_id(app: &TestApp, i: usize) -> i64 {
    let tenant = app.demo_tenant().await;
    tickets::find_by_number(app.db(), tenant.id, &ticket(i).0)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Missing and malformed fields are told beside each field, with what was typed kept.
async fn contact_errors_keep_the_input(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    logged_in(&mut client, 7).await;
    let (contact, _) = hold_by_place(&mut client, 1).await;
    let page = send_contact(
        &mut client,
        &contact,
        &[
            ("kana", ""),
            ("phone", "03-12ab"),
            ("email", "not-an-address"),
            ("booker_other", "1"),
            ("booker_name", ""),
            ("booker_phone", ""),
        ],
    )
    .await;
    assert_eq!(page.status, 422, "{}", page.text());
    page.assert_text("入力内容に誤りがあります");
    page.assert_text("フリガナを入力してください。");
    page.assert_text("予約者のお名前を入力してください。");
    page.assert_text("「はい」か「いいえ」を選んでください。");
    for field in [
        "kana",
        "phone",
        "email",
        "booker_name",
        "booker_phone",
        "wants_earlier",
    ] {
        assert!(
            page.body.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            page.text()
        );
        assert!(page.body.contains(&format!("href=\"#{field}\"")), "{field}");
    }
    assert!(page.body.contains("value=\"03-12ab\""));
    assert!(page.body.contains("value=\"not-an-address\""));
    assert!(
        page.body
            .contains("id=\"booker_other\" name=\"booker_other\" value=\"1\" checked")
    );
    // English.
    client.set_cookie("mdg_lang", "en");
    let en = send_contact(&mut client, &contact, &[("kana", "")]).await;
    en.assert_text("Please choose \"Yes\" or \"No\".");
}
on_both_databases!(contact_errors_keep_the_input);

/// 内容確認 says the booking is not made yet; a double press books once; the completion
/// mail goes to the address given, with the 予約ID and no password; the マイページ shows
/// the booking; 2件目 is offered and its days start 21 days after the first booking's.
async fn book_once_then_the_second_dose(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    logged_in(&mut client, 0).await;
    let (contact, day1) = hold_by_place(&mut client, 1).await;
    let confirm = to_confirm_verified(&app, &mut client, &contact, "taro@example.jp").await;
    confirm.assert_text("まだ予約は確定していません。");
    confirm.assert_text("ヤマダ タロウ");
    confirm.assert_text("09012345678");
    confirm.assert_text("予約を確定する");
    let mut second = client.clone();
    let (a, b) = tokio::join!(
        press_confirm(&mut client, &confirm),
        press_confirm(&mut second, &confirm)
    );
    for p in [&a, &b] {
        assert_eq!(
            p.location.as_deref(),
            Some("/t/demo/vaccination/done"),
            "{}",
            p.text()
        );
    }
    let booked = tickets::active_bookings(app.db(), ticket_id(&app, 0).await)
        .await
        .unwrap();
    assert_eq!(booked.len(), 1, "{booked:?}");
    assert_eq!((booked[0].1, booked[0].2), (1, day1));
    let done = client.get("/t/demo/vaccination/done").await;
    assert_eq!(done.status, 200, "{}", done.text());
    done.assert_text("ご予約が完了しました");
    done.assert_text("予約ID");
    done.assert_text("予約完了のメールをtaro@example.jpに送信しました。");
    let booking = madoguchi::db::bookings::find(app.db(), booked[0].0)
        .await
        .unwrap()
        .unwrap();
    let receipt = madoguchi::core::receipt::format_receipt(&booking.receipt_number);
    done.assert_text(&receipt);
    let mails = app.mails_to("taro@example.jp").await;
    // The address check, then one completion mail for the double press.
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(mails[0].subject.contains("メールアドレスの確認"));
    let mails = &mails[1..];
    assert!(
        mails[0].subject.contains("予約完了"),
        "{}",
        mails[0].subject
    );
    assert!(mails[0].text.contains(&receipt), "{}", mails[0].text);
    assert!(mails[0].text.contains("デモ市保健センター"));
    assert!(mails[0].text.contains("1回目"));
    assert!(!mails[0].text.contains("パスワード"), "{}", mails[0].text);
    // Pressed again later: the same booking.
    let again = press_confirm(&mut client, &confirm).await;
    assert_eq!(again.location.as_deref(), Some("/t/demo/vaccination/done"));

    done.assert_text("2件目の予約をする");
    let mypage = client.get("/t/demo/vaccination/mypage").await;
    mypage.assert_text(&receipt);
    mypage.assert_text("デモ市保健センター");
    assert!(mypage.body.contains("/vaccination/book?dose=2"));
    let next = links(&done.body, "/t/demo/vaccination/book?dose=2");
    assert_eq!(next.len(), 1);
    client.get(&next[0]).await;
    // By date: every choosable day of dose 2 is 21 days or more after the first booking's.
    let from = day1 + Duration::days(21);
    let mut days = Vec::new();
    for month in ["2026-12", "2027-01"] {
        let cal = client
            .get(&format!("/t/demo/vaccination/dates?month={month}"))
            .await;
        days.extend(
            links(&cal.body, "/t/demo/vaccination/dates/")
                .iter()
                .map(|l| (day_of(l), l.clone())),
        );
    }
    let choosable: Vec<_> = days.iter().filter(|(d, _)| *d >= from).collect();
    assert!(!choosable.is_empty());
    // A day just before the interval ends is refused with the reason.
    let early = day1 + Duration::days(20);
    let page = client
        .get(&format!(
            "/t/demo/vaccination/dates/{}",
            early
                .format(time::macros::format_description!("[year]-[month]-[day]"))
                .unwrap()
        ))
        .await;
    page.assert_text("この日は前回の接種から接種可能な期間を経過していないため、予約できません。");
    assert!(page.text().contains("以降の日を選んでください"));
    let ok = client.get(&choosable[0].1).await;
    ok.assert_no_text("接種可能な期間を経過していない");
    ok.assert_text("に接種できる会場");
}
on_both_databases!(book_once_then_the_second_dose);

/// Two logins of two tickets: each マイページ shows its own booking only.
async fn two_sessions_are_isolated(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut a = app.client();
    let mut b = app.client();
    logged_in(&mut a, 8).await;
    logged_in(&mut b, 9).await;
    let (contact, _) = hold_by_place(&mut a, 1).await;
    let confirm = to_confirm(&mut a, &contact, "").await;
    press_confirm(&mut a, &confirm).await;
    let done = a.get("/t/demo/vaccination/done").await;
    done.assert_text("ご予約が完了しました");
    done.assert_no_text("メールを");
    let id = tickets::active_bookings(app.db(), ticket_id(&app, 8).await)
        .await
        .unwrap()[0]
        .0;
    let receipt = madoguchi::core::receipt::format_receipt(
        &madoguchi::db::bookings::find(app.db(), id)
            .await
            .unwrap()
            .unwrap()
            .receipt_number,
    );
    a.get("/t/demo/vaccination/mypage")
        .await
        .assert_text(&receipt);
    let pb = b.get("/t/demo/vaccination/mypage").await;
    pb.assert_no_text(&receipt);
    assert!(pb.body.contains("/vaccination/book?dose=1"));
    // B's done page has nothing of A's.
    assert_ne!(b.get("/t/demo/vaccination/done").await.status, 200);
    // Still nothing of A on B's page after B books.
    let (contact, _) = hold_by_place(&mut b, 1).await;
    let confirm = to_confirm(&mut b, &contact, "").await;
    press_confirm(&mut b, &confirm).await;
    let done_b = b.get("/t/demo/vaccination/done").await;
    done_b.assert_no_text(&receipt);
    b.get("/t/demo/vaccination/mypage")
        .await
        .assert_no_text(&receipt);
    assert_eq!(
        tickets::active_bookings(app.db(), ticket_id(&app, 9).await)
            .await
            .unwrap()
            .len(),
        1
    );
}
on_both_databases!(two_sessions_are_isolated);

/// The hold ran out before [予約を確定する]: card pickup's message, nothing booked.
async fn an_expired_hold_is_not_booked(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    logged_in(&mut client, 11).await;
    let (contact, _) = hold_by_place(&mut client, 3).await;
    let confirm = to_confirm(&mut client, &contact, "").await;
    app.clock.advance(11 * 60);
    let page = press_confirm(&mut client, &confirm).await;
    assert_eq!(page.status, 409, "{}", page.text());
    page.assert_text("仮押さえの有効期限が切れました。");
    assert!(
        tickets::active_bookings(app.db(), ticket_id(&app, 11).await)
            .await
            .unwrap()
            .is_empty()
    );
}
on_both_databases!(an_expired_hold_is_not_booked);

/// As many as the first time has places (保健センター: six), so every racer holds one.
const RACERS: usize = 6;

/// Many browsers logged in with the same ticket confirm the same dose at once, each with a
/// hold of its own: exactly one booking; the others are told the dose is booked and their
/// holds give their places back.
async fn racing_confirmations_book_one_dose(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut ready = Vec::new();
    for _ in 0..RACERS {
        let mut c = app.client();
        logged_in(&mut c, 12).await;
        let (contact, _) = hold_by_place(&mut c, 3).await;
        let confirm = to_confirm(&mut c, &contact, "").await;
        ready.push((c, confirm));
    }
    let mut tasks = Vec::new();
    for (mut c, confirm) in ready {
        tasks.push(tokio::spawn(async move {
            let p = press_confirm(&mut c, &confirm).await;
            let after = c.get(p.location.as_deref().unwrap_or("/")).await;
            (p.location, after.text())
        }));
    }
    let mut done = 0;
    let mut refused = 0;
    for t in tasks {
        let (location, text) = t.await.unwrap();
        match location.as_deref() {
            Some("/t/demo/vaccination/done") => done += 1,
            Some("/t/demo/vaccination/mypage") => {
                assert!(text.contains("3回目はすでに予約されています"), "{text}");
                refused += 1;
            }
            other => panic!("{other:?}: {text}"),
        }
    }
    assert_eq!((done, refused), (1, RACERS - 1));
    let booked = tickets::active_bookings(app.db(), ticket_id(&app, 12).await)
        .await
        .unwrap();
    assert_eq!(booked.len(), 1);
    assert_eq!(crate::common::rows::taken_mismatches(app.db()).await, 0);
}
on_both_databases!(racing_confirmations_book_one_dose);

/// The address of 連絡先 is checked before 内容確認: 内容確認 waits; the link opened on
/// another device and pressed there lets 「確認しました」 go on; the link works once; a
/// changed address is checked again; the mail names no person or day; going on without an
/// address books with none and mails nothing more.
async fn the_mail_address_is_checked_first(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    logged_in(&mut client, 8).await;
    let (contact, _) = hold_by_place(&mut client, 1).await;
    let mut fields = super::GOOD_CONTACT.to_vec();
    fields[2] = ("email", "hanako@example.jp");
    let sent = send_contact(&mut client, &contact, &fields).await;
    assert_eq!(
        sent.location.as_deref(),
        Some("/t/demo/vaccination/contact/verify")
    );
    // 内容確認 is not reachable before the check.
    let early = client.get("/t/demo/vaccination/confirm").await;
    assert_eq!(
        early.location.as_deref(),
        Some("/t/demo/vaccination/contact/verify")
    );
    let waiting = client.get("/t/demo/vaccination/contact/verify").await;
    waiting.assert_text("確認メールを送信しました");
    waiting.assert_text("hanako@example.jp");
    let not_yet = client
        .post_form(
            "/t/demo/vaccination/contact/verify",
            &[("csrf", &crate::common::csrf(&waiting.body))],
        )
        .await;
    assert_eq!(not_yet.status, 409);
    not_yet.assert_text("まだメールアドレスの確認ができていません。");
    let mails = app.mails_to("hanako@example.jp").await;
    assert_eq!(mails.len(), 1);
    for private in ["ヤマダ", "デモ市保健センター", "1回目"] {
        assert!(
            !mails[0].text.contains(private),
            "{private}: {}",
            mails[0].text
        );
    }

    // Opened on a phone: another browser, no login.
    let link = super::verification_link(&app, "hanako@example.jp").await;
    let mut phone = app.client();
    let landing = phone.get(&link).await;
    landing.assert_text("メールアドレスを確認する");
    let pressed = phone
        .post_form(&link, &[("csrf", &crate::common::csrf(&landing.body))])
        .await;
    assert_eq!(pressed.status, 200);
    pressed.assert_text("予約をしている画面に戻り、「確認しました」を押してください。");
    let again = phone.get(&link).await;
    assert_eq!(again.status, 410);
    again.assert_text("このリンクはすでに使われています。");
    assert_eq!(
        phone
            .get("/t/demo/vaccination/verify/nonsense")
            .await
            .status,
        404
    );

    let checked = client
        .post_form(
            "/t/demo/vaccination/contact/verify",
            &[("csrf", &crate::common::csrf(&waiting.body))],
        )
        .await;
    assert_eq!(
        checked.location.as_deref(),
        Some("/t/demo/vaccination/confirm")
    );
    let confirm = client.get("/t/demo/vaccination/confirm").await;
    confirm.assert_text("hanako@example.jp");

    // Another address: checked again; then going on without one.
    let contact = client.get("/t/demo/vaccination/contact").await;
    fields[2] = ("email", "other@example.jp");
    let sent = send_contact(&mut client, &contact, &fields).await;
    assert_eq!(
        sent.location.as_deref(),
        Some("/t/demo/vaccination/contact/verify")
    );
    let skipped = client
        .post_form(
            "/t/demo/vaccination/contact/verify",
            &[
                ("csrf", &crate::common::csrf(&waiting.body)),
                ("action", "skip"),
            ],
        )
        .await;
    assert_eq!(
        skipped.location.as_deref(),
        Some("/t/demo/vaccination/confirm")
    );
    let confirm = client.get("/t/demo/vaccination/confirm").await;
    assert_eq!(confirm.status, 200, "{}", confirm.text());
    confirm.assert_no_text("other@example.jp");
    let done = press_confirm(&mut client, &confirm).await;
    assert_eq!(done.location.as_deref(), Some("/t/demo/vaccination/done"));
    let booked = tickets::active_bookings(app.db(), ticket_id(&app, 8).await)
        .await
        .unwrap();
    let booking = madoguchi::db::bookings::find(app.db(), booked[0].0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.email, None);
    assert_eq!(
        app.mails_to("other@example.jp").await.len(),
        1,
        "only the check"
    );
    assert_eq!(
        app.mails_to("hanako@example.jp").await.len(),
        1,
        "only the check"
    );

    // An expired link says so.
    let mut late = app.client();
    logged_in(&mut late, 9).await;
    let (contact, _) = hold_by_place(&mut late, 1).await;
    fields[2] = ("email", "late@example.jp");
    send_contact(&mut late, &contact, &fields).await;
    let link = super::verification_link(&app, "late@example.jp").await;
    app.clock.advance(24 * 3600);
    let expired = app.client().get(&link).await;
    assert_eq!(expired.status, 410);
    expired.assert_text("このリンクの有効期限が切れています。");
}
on_both_databases!(the_mail_address_is_checked_first);
