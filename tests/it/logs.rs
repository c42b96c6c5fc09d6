//! No personal data in the logs: the real server at RUST_LOG=debug and at info, a booking
//! made and looked up with distinctive data, and none of it (nor the receipt password or
//! the verification token) in anything the process wrote.
use madoguchi::app::Clock;
use madoguchi::db::notices::NewNotice;
use time::macros::date;

use crate::common::server::{Person, Server, book_over_http, wait_for_mail};
use crate::common::{Backend, TestDb, csrf, line_value};
use crate::on_both_databases;

mod bad_form;

async fn booking_and_lookup_leave_no_personal_data_in_the_log(backend: Backend) {
    let Some(test) = TestDb::new(backend).await else {
        return;
    };
    let clock = Clock::System;
    madoguchi::demo::ensure(&test.db, clock.today(), clock.now_unix())
        .await
        .unwrap();
    let demo = madoguchi::db::tenants::find_by_slug(&test.db, "demo")
        .await
        .unwrap()
        .unwrap();
    let notices = [
        ("QZX274913", "QZXW7K2M9P4T6R8V3N", date!(1931 - 07 - 29)),
        ("WJQ586204", "WJQH3T8K1M5R7P2X9C", date!(1929 - 11 - 03)),
    ];
    madoguchi::db::notices::upsert_many(
        &test.db,
        demo.id,
        &notices
            .iter()
            .map(|(n1, n2, b)| NewNotice {
                number1: n1.to_string(),
                number2: n2.to_string(),
                birthdate: *b,
                name: "秘密野 花子".into(),
                kana: "ヒミツノ ハナコ".into(),
            })
            .collect::<Vec<_>>(),
        clock.now_unix(),
    )
    .await
    .unwrap();

    for (level, (number1, number2, birthdate)) in ["debug", "info"].into_iter().zip(notices) {
        let dir = tempfile::tempdir().unwrap();
        let mailbox = dir.path().join("mailbox");
        let server = Server::start(&test.url, &mailbox, level).await;
        let email = format!("leak.check.zq.{level}@example.jp");
        let birth = format!(
            "{:04}{:02}{:02}",
            birthdate.year(),
            birthdate.month() as u8,
            birthdate.day()
        );
        let typed_number = format!("{}-{}", &number1[..3], &number1[3..]);
        let person = Person {
            number1: &typed_number,
            birth: &birth,
            name: "秘密野 花子",
            kana: "ひみつの はなこ",
            phone: "080-7531-9864",
        };
        let booked = book_over_http(&server.base, &mailbox, &person, &email, 0)
            .await
            .unwrap_or_else(|e| panic!("{e}\n{}", server.output()));
        let mail = wait_for_mail(&mailbox, &email, "予約完了通知メール")
            .await
            .expect("the completion mail");
        let password = line_value(&mail, "パスワード").expect("a password in the mail");

        // Looked up, as the resident would, and shown.
        let mut client = server.client();
        let form = client.get("/t/demo/lookup").await;
        let found = client
            .post_form(
                "/t/demo/lookup",
                &[
                    ("csrf", &csrf(&form.body)),
                    ("receipt_number", &booked.receipt),
                    ("password", &password),
                ],
            )
            .await;
        assert_eq!(found.location.as_deref(), Some("/t/demo/booking"));
        let page = client.get("/t/demo/booking").await;
        page.assert_text("秘密野 花子");
        // And a wrong password, which is logged as a failure, without the secret.
        let form = client.get("/t/demo/lookup").await;
        client
            .post_form(
                "/t/demo/lookup",
                &[
                    ("csrf", &csrf(&form.body)),
                    ("receipt_number", &booked.receipt),
                    ("password", "WRONGPASSWORDZQ"),
                ],
            )
            .await;

        let log = server.stop().await;
        // The capture works, at the level asked for.
        assert!(log.contains(" INFO "), "nothing logged at {level}: {log}");
        assert_eq!(log.contains(" DEBUG "), level == "debug", "{log}");
        assert!(
            !log.contains('\x1b'),
            "no colour codes in a log file: {log}"
        );
        eprintln!("RUST_LOG={level}: {} lines checked", log.lines().count());
        // The PostgreSQL driver's statement log (with its parameters) stays off.
        assert!(
            !log.contains("with parameters"),
            "statement parameters in the log at RUST_LOG={level}"
        );
        let birth_iso = birthdate.to_string();
        let phone_digits = "08075319864";
        for secret in [
            "秘密野",
            "花子",
            "ヒミツノ",
            "ひみつの",
            "ハナコ",
            "080-7531-9864",
            phone_digits,
            email.as_str(),
            "leak.check.zq",
            number1,
            typed_number.as_str(),
            number2,
            birth.as_str(),
            birth_iso.as_str(),
            password.as_str(),
            "WRONGPASSWORDZQ",
            booked.token.as_str(),
        ] {
            assert!(
                !log.contains(secret),
                "{secret:?} is in the log at RUST_LOG={level}:\n{log}"
            );
        }
    }
}
on_both_databases!(booking_and_lookup_leave_no_personal_data_in_the_log);
