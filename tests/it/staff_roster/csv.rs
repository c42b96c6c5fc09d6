//! The roster's CSV as Excel opens it: UTF-8 with a BOM or Shift_JIS, formulas defused,
//! names outside CP932 kept readable.
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use madoguchi::demo::sample_notices;
use tower::ServiceExt;

use crate::common::{Backend, TestApp, csrf};
use crate::on_both_databases;
use crate::resident::book_at;

use super::{DAY, FORMULA_NAME, OUTSIDE_CP932, book_named};

/// A browser that keeps the raw bytes of what it downloads (the shared client reads
/// bodies as UTF-8 text, which a Shift_JIS file is not).
struct Downloader {
    router: axum::Router,
    cookies: Vec<String>,
}

impl Downloader {
    async fn login(app: &TestApp, login: &str, password: &str) -> Downloader {
        let mut d = Downloader {
            router: madoguchi::web::router(app.app.clone()),
            cookies: Vec::new(),
        };
        let (_, _, page) = d.send(Request::get("/t/demo/staff/login")).await;
        let token = csrf(&String::from_utf8(page).unwrap());
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("csrf", token.as_str()),
                ("login", login),
                ("password", password),
            ])
            .finish();
        let req = Request::post("/t/demo/staff/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        let (status, headers, _) = d.send_body(req, Body::from(body)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(headers[header::LOCATION], "/t/demo/staff/roster");
        d
    }

    async fn send(
        &mut self,
        req: axum::http::request::Builder,
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        self.send_body(req, Body::empty()).await
    }

    async fn send_body(
        &mut self,
        mut req: axum::http::request::Builder,
        body: Body,
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        if !self.cookies.is_empty() {
            req = req.header(header::COOKIE, self.cookies.join("; "));
        }
        let response = self
            .router
            .clone()
            .oneshot(req.body(body).unwrap())
            .await
            .unwrap();
        for c in response.headers().get_all(header::SET_COOKIE) {
            let pair = c.to_str().unwrap().split(';').next().unwrap().to_string();
            let name = pair.split('=').next().unwrap().to_string();
            self.cookies
                .retain(|old| !old.starts_with(&format!("{name}=")));
            self.cookies.push(pair);
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
            .await
            .unwrap();
        (status, headers, bytes.to_vec())
    }

    async fn get(&mut self, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        self.send(Request::get(path)).await
    }
}

async fn the_csv_opens_in_excel_in_both_encodings(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let receipt = book_named(
        &app,
        &[&s[30], &s[31]],
        &[FORMULA_NAME, OUTSIDE_CP932],
        "csv@example.jp",
        "12月3日(木) 13:00",
    )
    .await;
    let (plain, _) = book_at(&app, &[&s[32]], "plain@example.jp", "12月3日(木) 09:30").await;
    let counter = app.counter_id("本庁舎 市民課").await;
    let mut d = Downloader::login(
        &app,
        madoguchi::demo::ADMIN_LOGIN,
        madoguchi::demo::ADMIN_PASSWORD,
    )
    .await;

    let (status, headers, bytes) = d
        .get(&format!(
            "/t/demo/staff/roster.csv?date={DAY}&counter={counter}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"roster-2026-12-03-counter{counter}.csv\"").as_str()
    );
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "UTF-8 BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.ends_with("\r\n"));
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "CRLF line ends only"
    );
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "日付,窓口,時間,受付番号,人数,順,氏名,フリガナ,番号1,電話番号,状態"
    );
    assert_eq!(lines.len(), 4, "a header and one row per person:\n{text}");
    assert!(lines[1].contains(&plain), "09:30 first: {text}");
    assert!(
        lines[1].starts_with("2026-12-03,本庁舎 市民課,09:30〜09:45,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains(&format!(
            ",{receipt},2,1,'=cmd|' /C calc'!A0,ヨシダ\u{3000}ハナコ,"
        )),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].contains(&format!(",2,2,{OUTSIDE_CP932},")),
        "{}",
        lines[3]
    );
    assert!(lines[2].ends_with(",03-1234-5678,予約済"), "{}", lines[2]);
    assert!(
        !text.contains(&s[30].number1),
        "number 1 masked in the file too"
    );
    assert!(text.contains(&madoguchi::core::receipt::mask_number(&s[30].number1)));

    let (status, headers, bytes) = d
        .get(&format!(
            "/t/demo/staff/roster.csv?date={DAY}&counter={counter}&encoding=cp932"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=Shift_JIS");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"roster-2026-12-03-counter{counter}-sjis.csv\"").as_str()
    );
    assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    assert!(std::str::from_utf8(&bytes).is_err(), "really Shift_JIS");
    assert!(
        !bytes.windows(2).any(|w| w == b"&#"),
        "never an HTML numeric reference"
    );
    let (decoded, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!had_errors);
    // Everything Shift_JIS holds comes back the same; 〜 is written as CP932's ～.
    assert_eq!(decoded, text.replace('〜', "～").replace("𠮷", "〓"));
    assert!(decoded.contains("'=cmd|' /C calc'!A0"));
    assert!(decoded.contains("〓田 花子"));
    assert!(decoded.contains("本庁舎 市民課"));

    // Without a counter: every active counter, one file.
    let (status, headers, bytes) = d.get(&format!("/t/demo/staff/roster.csv?date={DAY}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"roster-2026-12-03-all.csv\""
    );
    assert_eq!(String::from_utf8(bytes).unwrap().matches("\r\n").count(), 4);
}
on_both_databases!(the_csv_opens_in_excel_in_both_encodings);
