//! Choosing by date and by place, ○△× calendars, the interval's refusals, the call centre.
use super::{day_of, hold_on_day, links, logged_in};
use crate::common::{Backend, TestApp};
use crate::on_both_databases;

/// 「日時から決める」: the month calendar over all venues (a real table with a caption and
/// the marks in words), paging to the next month and back, a day's venues, its times, and
/// the hold with its end and the extension.
async fn by_date_to_a_hold(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    logged_in(&mut client, 5).await;
    client.get("/t/demo/vaccination/book?dose=1").await;
    let cal = client.get("/t/demo/vaccination/dates").await;
    assert_eq!(cal.status, 200, "{}", cal.text());
    assert!(
        cal.body.contains("<caption>2026年12月</caption>"),
        "{}",
        cal.body
    );
    assert!(cal.body.contains("<th scope=\"col\">日</th>"));
    cal.assert_text("空きあり");
    cal.assert_text("来月→");
    cal.assert_no_text("←先月");
    let next = client.get("/t/demo/vaccination/dates?month=2027-01").await;
    assert!(next.body.contains("<caption>2027年1月</caption>"));
    next.assert_text("←先月");
    let days = links(&cal.body, "/t/demo/vaccination/dates/");
    assert!(!days.is_empty());
    // Today (Tuesday 1 December) closed by the cut-off 「前日まで」: the first day is later.
    let first = day_of(&days[0]);
    assert!(first > app.clock.today(), "{first}");
    let day_page = client.get(&days[0]).await;
    assert_eq!(day_page.status, 200, "{}", day_page.text());
    day_page.assert_text("に接種できる会場");
    let venue_day = links(&day_page.body, "/t/demo/vaccination/venues/")[0].clone();
    let (contact, day) = hold_on_day(&mut client, &venue_day).await;
    assert_eq!(day, first);
    contact.assert_text("仮押さえしました");
    contact.assert_text("仮押さえ中です");
    contact.assert_text("仮押さえを延長する");
    // The extension, as card pickup's.
    app.clock.advance(5 * 60);
    let extended = client
        .post_form(
            "/t/demo/vaccination/hold/extend",
            &[
                ("csrf", &crate::common::csrf(&contact.body)),
                ("back", "contact"),
            ],
        )
        .await;
    assert_eq!(
        extended.location.as_deref(),
        Some("/t/demo/vaccination/contact")
    );
    client
        .get("/t/demo/vaccination/contact")
        .await
        .assert_text("仮押さえを延長しました");
}
on_both_databases!(by_date_to_a_hold);

/// 「場所から決める」: the venues with vaccine, kind and ○△×, a venue's calendar, its day.
async fn by_place_to_a_hold(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    logged_in(&mut client, 6).await;
    client.get("/t/demo/vaccination/book?dose=1").await;
    let venues = client.get("/t/demo/vaccination/venues").await;
    for text in [
        "デモ市保健センター",
        "デモ市文化会館",
        "みなとクリニック",
        "ファイザー",
        "モデルナ",
        "集団接種会場",
        "医療機関",
        "空きあり",
    ] {
        venues.assert_text(text);
    }
    let (contact, _) = super::hold_by_place(&mut client, 1).await;
    contact.assert_text("デモ市保健センター");
    contact.assert_text("ファイザー");
}
on_both_databases!(by_place_to_a_hold);

/// A 3回目 ticket whose previous dose was three months ago: the interval (5 months) ends
/// past the window, so the マイページ says from when, with no 予約 button; the 2回目
/// ticket without its previous day is sent to the call centre.
async fn interval_and_call_centre(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    let page = logged_in(&mut client, 14).await;
    page.assert_text("3回目");
    page.assert_text("前回の接種から接種可能な期間を経過していないため、まだ予約できません。");
    assert!(!page.body.contains("/vaccination/book?dose="));
    let refused = client.get("/t/demo/vaccination/book?dose=3").await;
    assert_eq!(refused.status, 409);
    refused.assert_text("接種可能な期間を経過していない");
    assert_eq!(
        client
            .get("/t/demo/vaccination/venues")
            .await
            .location
            .as_deref(),
        Some("/t/demo/vaccination/mypage")
    );

    let mut unknown = app.client();
    let page = logged_in(&mut unknown, 16).await;
    page.assert_text("前回の接種日が登録されていないため");
    page.assert_text("予約相談センター");
    page.assert_text("デモ市ワクチン接種予約相談センター");
    page.assert_text("0120-000-000");
    page.assert_text("平日 9:00〜17:00");

    // A 3回目 ticket past its interval books from today's window.
    let mut due = app.client();
    let page = logged_in(&mut due, 10).await;
    assert!(page.body.contains("/vaccination/book?dose=3"));
}
on_both_databases!(interval_and_call_centre);

/// 「接種場所の絞り込み」 from the マイページ: every venue with its ○△×, narrowed by kind and
/// by vaccine (a GET form; the month links keep the choice), a message when nothing
/// matches, no way to book from it, and only after the login.
async fn browse_venues_by_kind_and_vaccine(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let venues = ["デモ市保健センター", "デモ市文化会館", "みなとクリニック"];
    let not_logged_in = app.client().get("/t/demo/vaccination/browse").await;
    assert_eq!(
        not_logged_in.location.as_deref(),
        Some("/t/demo/vaccination/login")
    );
    let mut client = app.client();
    let mypage = logged_in(&mut client, 3).await;
    assert!(
        mypage.body.contains("href=\"/t/demo/vaccination/browse\""),
        "接種場所の絞り込み on the マイページ"
    );
    let all = client.get("/t/demo/vaccination/browse").await;
    assert_eq!(all.status, 200, "{}", all.text());
    all.assert_text("接種場所の絞り込み");
    all.assert_text("接種会場(3か所)");
    for v in venues {
        all.assert_text(v);
    }
    all.assert_text("空きあり");
    assert!(all.body.contains("<caption>2026年12月</caption>"));
    // Read only: no day, venue or time to choose.
    assert!(links(&all.body, "/t/demo/vaccination/venues/").is_empty());
    assert!(links(&all.body, "/t/demo/vaccination/dates/").is_empty());
    assert!(!all.body.contains("name=\"slot\""));

    let clinics = client
        .get("/t/demo/vaccination/browse?kind=clinic&vaccine=")
        .await;
    clinics.assert_text("接種会場(1か所)");
    clinics.assert_text("みなとクリニック");
    clinics.assert_no_text("デモ市文化会館");
    assert!(clinics.body.contains("<option value=\"clinic\" selected>"));
    let next = links(&clinics.body, "/t/demo/vaccination/browse?")
        .into_iter()
        .find(|l| l.contains("month=2027-01"))
        .expect("来月→ keeps the filter");
    assert!(next.contains("kind=clinic"), "{next}");
    let january = client.get(&next.replace("&amp;", "&")).await;
    assert!(january.body.contains("<caption>2027年1月</caption>"));
    january.assert_text("接種会場(1か所)");

    let moderna = client
        .get("/t/demo/vaccination/browse?kind=&vaccine=%E3%83%A2%E3%83%87%E3%83%AB%E3%83%8A")
        .await;
    moderna.assert_text("接種会場(1か所)");
    moderna.assert_text("デモ市文化会館");
    moderna.assert_no_text("デモ市保健センター");
    let none = client
        .get("/t/demo/vaccination/browse?kind=clinic&vaccine=%E3%83%A2%E3%83%87%E3%83%AB%E3%83%8A")
        .await;
    assert_eq!(none.status, 200);
    none.assert_text("条件に合う接種会場はありません。");
    // A hand-edited kind shows every venue rather than an error.
    client
        .get("/t/demo/vaccination/browse?kind=%3Cscript%3E&month=nonsense")
        .await
        .assert_text("接種会場(3か所)");

    client.set_cookie("mdg_lang", "en");
    let en = client.get("/t/demo/vaccination/browse").await;
    en.assert_text("Find a venue");
    en.assert_text("Venues (3)");
}
on_both_databases!(browse_venues_by_kind_and_vaccine);
