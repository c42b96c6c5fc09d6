//! The 400 page for a form no browser sends (a NUL character in a field) is in the
//! visitor's language, with `lang` to match, and logs no `missing message` line.
use axum::http::StatusCode;
use madoguchi::app::Clock;

use crate::common::server::Server;
use crate::common::{Backend, TestDb, csrf};
use crate::on_both_databases;

async fn an_unreadable_form_is_refused_in_the_visitors_language(backend: Backend) {
    let Some(test) = TestDb::new(backend).await else {
        return;
    };
    let clock = Clock::System;
    madoguchi::demo::ensure(&test.db, clock.today(), clock.now_unix())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&test.url, &dir.path().join("mailbox"), "info").await;

    for (lang, title, sentence) in [
        (
            Some("en"),
            "The form could not be read",
            "It contains a character that cannot be used.",
        ),
        (
            None,
            "入力内容を読み取れませんでした",
            "使用できない文字が含まれています。",
        ),
        (
            Some("ja"),
            "入力内容を読み取れませんでした",
            "使用できない文字が含まれています。",
        ),
    ] {
        let mut client = server.client();
        if let Some(lang) = lang {
            client.set_cookie("mdg_lang", lang);
        }
        let entry = client.get("/t/demo/entry").await;
        assert_eq!(entry.status, StatusCode::OK);
        let refused = client
            .post_form(
                "/t/demo/entry",
                &[
                    ("csrf", &csrf(&entry.body)),
                    ("party", "1"),
                    ("number1_1", "ABC\u{0}123456"),
                    ("birth_text_1", "19720415"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{lang:?}");
        let code = lang.unwrap_or("ja");
        assert!(
            refused.body.contains(&format!("<html lang=\"{code}\">")),
            "{lang:?}: {}",
            refused.body
        );
        assert!(
            refused.body.contains(&format!("<title>{title}</title>")),
            "{lang:?}: {}",
            refused.body
        );
        refused.assert_text(title);
        refused.assert_text(sentence);
        if code == "en" {
            // Nothing of the Japanese page is left on the English one.
            refused.assert_no_text("入力内容");
            refused.assert_no_text("使用できない");
            refused.assert_text("To the top page");
        } else {
            refused.assert_no_text("could not be read");
            refused.assert_text("トップページへ");
        }
    }

    let log = server.stop().await;
    // The capture works.
    assert!(log.contains(" INFO "), "{log}");
    assert!(
        !log.contains("missing message"),
        "a sentence was looked up as a message id:\n{log}"
    );
}
on_both_databases!(an_unreadable_form_is_refused_in_the_visitors_language);
