//! The waiting room (アクセスが集中しています): past its limit the server queues newcomers
//! on a light page and admits them in arrival order; staff, health and static files are
//! never held back. Driven over HTTP as browsers would, with the test clock.
use axum::http::StatusCode;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp};
use crate::on_both_databases;

const WAITING: &str = "アクセスが集中しています";

/// One active resident at a time; idle after 10 s; the page refreshes every 5 s, every 2 s
/// for the one next in line.
async fn small_room(backend: Backend) -> Option<TestApp> {
    TestApp::with_settings(backend, |s| {
        s.admission.enabled = true;
        s.admission.max_active = 1;
        s.admission.window_secs = 10;
        s.admission.refresh_secs = 5;
    })
    .await
}

fn assert_waiting(page: &Page, position: usize) {
    assert_eq!(
        page.status,
        StatusCode::OK,
        "the waiting page is an answer, not an error"
    );
    page.assert_text(WAITING);
    page.assert_text(&format!("あなたの順番は {position}番目 です"));
    page.assert_text(&format!("You are number {position} in the queue"));
    let every = if position == 1 { 2 } else { 5 };
    assert!(
        page.body.contains(&format!(
            "<meta http-equiv=\"refresh\" content=\"{every}\">"
        )),
        "refreshes itself without JavaScript, sooner at the front"
    );
    let cookie = page
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("mdg_queue="))
        .expect("a ticket cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
}

fn assert_admitted(page: &Page) {
    assert_eq!(page.status, StatusCode::OK);
    page.assert_no_text(WAITING);
    page.assert_text("受取予約をする");
}

async fn admits_in_arrival_order(backend: Backend) {
    let Some(app) = small_room(backend).await else {
        return;
    };
    let mut first = app.client();
    let mut second = app.client();
    let mut third = app.client();
    assert_admitted(&first.get("/t/demo/").await);
    assert_waiting(&second.get("/t/demo/").await, 1);
    assert_waiting(&third.get("/t/demo/").await, 2);
    // Reloading keeps one's place; the admitted resident goes on through the flow.
    assert_waiting(&third.get("/t/demo/").await, 2);
    let entry = first.get("/t/demo/entry").await;
    entry.assert_text("メールアドレス入力");

    // The first resident goes quiet; the third asks first but the second is ahead.
    app.clock.advance(6);
    assert_waiting(&second.get("/t/demo/").await, 1);
    app.clock.advance(5);
    assert_waiting(&third.get("/t/demo/").await, 2);
    assert_admitted(&second.get("/t/demo/").await);
    assert_waiting(&third.get("/t/demo/").await, 1);

    // An admission holds however slowly one types: the first resident is still let in.
    let back = first.get("/t/demo/entry").await;
    back.assert_text("メールアドレス入力");

    // A ticket someone altered is not believed: it is a newcomer at the back.
    let mut forger = app.client();
    let mut value = third.cookie("mdg_queue").expect("a ticket").to_string();
    value.replace_range(..1, if value.starts_with('1') { "2" } else { "1" });
    forger.set_cookie("mdg_queue", &value);
    assert_waiting(&forger.get("/t/demo/").await, 2);
}
on_both_databases!(admits_in_arrival_order);

async fn staff_health_and_static_files_bypass_it(backend: Backend) {
    let Some(app) = small_room(backend).await else {
        return;
    };
    let mut resident = app.client();
    assert_admitted(&resident.get("/t/demo/").await);
    let mut queued = app.client();
    assert_waiting(&queued.get("/t/demo/lookup").await, 1);

    let mut other = app.client();
    let health = other.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    health.assert_no_text(WAITING);
    let ready = other.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    ready.assert_no_text(WAITING);
    let css = other.get("/static/app.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains('{'), "the stylesheet itself");
    let login = other.get("/t/demo/staff/login").await;
    assert_eq!(login.status, StatusCode::OK);
    login.assert_no_text(WAITING);
    login.assert_text("ログイン");
    // And the queue did not grow with them.
    assert_eq!(app.app.admission.counts(), (1, 1));
}
on_both_databases!(staff_health_and_static_files_bypass_it);

async fn switched_off_nobody_waits(backend: Backend) {
    let Some(app) = TestApp::with_settings(backend, |s| {
        s.admission.enabled = false;
        s.admission.max_active = 1;
    })
    .await
    else {
        return;
    };
    for _ in 0..3 {
        let mut c: Client = app.client();
        assert_admitted(&c.get("/t/demo/").await);
    }
}
on_both_databases!(switched_off_nobody_waits);

/// A resident who has booked frees their place at once: the next in line does not wait
/// for them to go quiet for the whole window.
async fn a_finished_booking_lets_the_next_resident_in(backend: Backend) {
    use crate::resident::{digits, hold_labelled, open_link, post_apply, submit_entry};
    let Some(app) = small_room(backend).await else {
        return;
    };
    let samples = madoguchi::demo::sample_notices();
    let n = &samples[10];
    let mut first = app.client();
    let mut second = app.client();
    assert_admitted(&first.get("/t/demo/").await);
    assert_waiting(&second.get("/t/demo/").await, 1);

    let sent = submit_entry(&mut first, &[(&n.number1, &digits(n))], "q@example.jp").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    let form = open_link(&app, &mut first, "q@example.jp").await;
    let counter = app.counter_id("本庁舎 市民課").await;
    post_apply(&mut first, &form.body, 1, counter, "choose").await;
    let (_, form) = hold_labelled(&mut first, "12月1日(火) 10:00").await;
    post_apply(&mut first, &form.body, 1, counter, "confirm").await;
    let confirm = first.get("/t/demo/apply/confirm").await;
    let csrf = crate::common::csrf(&confirm.body);
    let booked = first
        .post_form("/t/demo/apply/confirm", &[("csrf", &csrf)])
        .await;
    assert_eq!(booked.location.as_deref(), Some("/t/demo/apply/done"));
    // Still in the middle of the visit: the second resident waits.
    assert_waiting(&second.get("/t/demo/").await, 1);
    let done = first.get("/t/demo/apply/done").await;
    done.assert_text("予約入力完了");
    // No clock has moved: the place was handed on by the completion page.
    assert_admitted(&second.get("/t/demo/").await);
}
on_both_databases!(a_finished_booking_lets_the_next_resident_in);
