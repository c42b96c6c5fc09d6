//! The resident's side: the fields asked and checked in both languages, a three-person
//! booking's answers on every page and in the CSV, later changes that leave old answers
//! readable, and retention.
use axum::http::StatusCode;
use madoguchi::demo::sample_notices;

use super::*;
use crate::common::Backend;
use crate::on_both_databases;

async fn residents_are_asked_the_fields_and_told_what_is_wrong_next_to_them(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut admin = app.admin_client().await;
    let ids = define_fields(&mut admin).await;
    let (mut client, form) = to_form(&app, &[&s[10], &s[11]], "fields-form@example.jp").await;

    // The form: no phone number, kana optional, the four fields with their labels and help.
    assert!(!form.body.contains("name=\"phone_1\""), "phone is off");
    form.assert_text("フリガナ(任意)");
    form.assert_text("本人確認書類");
    form.assert_text("当日お持ちになる書類を選んでください。");
    form.assert_text("車いすの貸出(任意)");
    form.assert_text("窓口で車いすをお貸しします。");
    for n in [1, 2] {
        for id in [ids.choice, ids.yes_no, ids.number, ids.text] {
            assert!(
                form.body.contains(&format!("name=\"f{id}_{n}\"")),
                "field {id} for person {n}"
            );
        }
    }
    assert!(form.body.contains(&format!(
        "<input type=\"radio\" id=\"f{}_1\" name=\"f{}_1\" value=\"運転免許証\">",
        ids.choice, ids.choice
    )));
    assert!(form.body.contains(&format!(
        "id=\"f{}_1\" name=\"f{}_1\" value=\"\" autocomplete=\"off\" inputmode=\"numeric\"",
        ids.number, ids.number
    )));

    // A required choice left out, a number that is none, a text with a line break.
    let people = [
        Person {
            name: "山田 一郎",
            kana: "",
            answers: vec![
                (ids.choice, "運転免許証"),
                (ids.yes_no, "yes"),
                (ids.number, "三人"),
            ],
        },
        Person {
            name: "山田 二郎",
            kana: "やまだ",
            answers: vec![(ids.text, "一行目\n二行目")],
        },
    ];
    let bad = submit(&app, &mut client, &form, &people, "confirm").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(&bad, &format!("f{}_1", ids.number)),
        "「同行者の人数」は数字で入力してください(例:3)。"
    );
    assert_eq!(
        error_of(&bad, &format!("f{}_2", ids.choice)),
        "「本人確認書類」を選んでください。"
    );
    assert_eq!(
        error_of(&bad, &format!("f{}_2", ids.text)),
        "「備考」に入力できない文字(改行や制御文字など)が含まれています。"
    );
    // In the summary with the person, linking to the field.
    bad.assert_text("2人目: 「本人確認書類」を選んでください。");
    assert!(bad.body.contains(&format!("href=\"#f{}_2\"", ids.choice)));
    // What was typed is kept, and the field with the error points at it.
    assert!(bad.body.contains("value=\"三人\""));
    assert!(bad.body.contains("value=\"運転免許証\" checked"));
    assert!(bad.body.contains("value=\"yes\" checked"));
    assert!(bad.body.contains(&format!(
        "aria-describedby=\"f{}_1-error\" aria-invalid=\"true\"",
        ids.number
    )));
    assert!(bad.body.contains(&format!(
        "aria-describedby=\"f{id}_2-hint f{id}_2-error\"",
        id = ids.choice
    )));
    assert!(!bad.body.contains("phone_1-error"), "phone is not asked");
    assert!(!bad.body.contains("kana_1-error"), "kana may be left empty");

    // In English: the labels in English where given, the Japanese marked as such, and the
    // messages in English.
    let switched = client.get("/lang?to=en&back=%2Ft%2Fdemo%2Fapply").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let en_form = client.get("/t/demo/apply").await;
    en_form.assert_text("ID document");
    en_form.assert_text("The document you will bring.");
    en_form.assert_text("Driving licence");
    en_form.assert_text("Passport");
    assert!(
        en_form.body.contains("lang=\"ja\">その他</label>"),
        "a choice without English"
    );
    assert!(
        en_form
            .body
            .contains("<span lang=\"ja\">車いすの貸出</span> (optional)")
    );
    assert!(
        en_form
            .body
            .contains("lang=\"ja\">窓口で車いすをお貸しします。</p>")
    );
    assert!(
        en_form.body.contains("value=\"三人\""),
        "kept across the switch"
    );
    let bad = submit(&app, &mut client, &en_form, &people, "confirm").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(&bad, &format!("f{}_1", ids.number)),
        "Please enter “Companions” as a whole number in digits (e.g. 3)."
    );
    assert_eq!(
        error_of(&bad, &format!("f{}_2", ids.choice)),
        "Please choose an answer to “ID document”."
    );
    assert_eq!(
        error_of(&bad, &format!("f{}_2", ids.text)),
        "“Notes” contains characters that cannot be entered (line breaks, control characters and the like)."
    );
    // A choice that is not one of the field's (a forged form) is refused, not stored.
    let forged = [Person {
        name: "山田 一郎",
        kana: "",
        answers: vec![(ids.choice, "保険証"), (ids.yes_no, "maybe")],
    }];
    let bad = submit(&app, &mut client, &en_form, &forged, "confirm").await;
    assert_eq!(
        error_of(&bad, &format!("f{}_1", ids.choice)),
        "Please choose one of the answers shown for “ID document”."
    );
    assert_eq!(
        error_of(&bad, &format!("f{}_1", ids.yes_no)),
        "Please choose one of the answers shown for “車いすの貸出”."
    );
}
on_both_databases!(residents_are_asked_the_fields_and_told_what_is_wrong_next_to_them);

async fn a_three_person_booking_shows_each_persons_answers_everywhere(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut admin = app.admin_client().await;
    let ids = define_fields(&mut admin).await;
    let (receipt, password, id) =
        book_three(&app, ids, [&s[20], &s[21], &s[22]], "three@example.jp").await;

    // 予約詳細 and its print view.
    let mut resident = look_up(&app, &receipt, &password).await;
    let details = resident.get("/t/demo/booking").await;
    assert_eq!(details.status, StatusCode::OK);
    assert_person_answers(&details);
    let print = resident.get("/t/demo/booking/print").await;
    assert_person_answers(&print);
    // In English: the labels given in English, the Japanese ones marked.
    resident.get("/lang?to=en&back=%2Ft%2Fdemo%2Fbooking").await;
    let en = resident.get("/t/demo/booking").await;
    en.assert_text("ID document Driving licence");
    en.assert_text("Companions 2");
    assert!(
        en.body
            .contains("<th scope=\"row\" lang=\"ja\">車いすの貸出</th><td>Yes</td>")
    );
    assert!(
        en.body.contains("<td lang=\"ja\">その他</td>"),
        "a choice without English"
    );

    // The staff's booking page, the roster and its print view.
    let staff_page = admin.get(&format!("/t/demo/staff/bookings/{id}")).await;
    assert_person_answers(&staff_page);
    let main = app.counter_id("本庁舎 市民課").await;
    let roster = admin
        .get(&format!(
            "/t/demo/staff/roster?date=2026-12-03&counter={main}"
        ))
        .await;
    roster.assert_text("その他の項目");
    assert_roster_answers(&roster);
    roster.assert_text("本人確認書類:運転免許証 車いすの貸出:はい 同行者の人数:2");
    let print = admin
        .get(&format!(
            "/t/demo/staff/roster/print?date=2026-12-03&counter={main}"
        ))
        .await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(print.body.contains("<td colspan=\"9\">"));
    assert_roster_answers(&print);

    // The CSV, in both encodings: a column per field, each person's answers in their row,
    // the cells that start like a formula neutralised.
    for encoding in ["", "&encoding=cp932"] {
        let (status, bytes) = admin
            .get_bytes(&format!(
                "/t/demo/staff/roster.csv?date=2026-12-03&counter={main}{encoding}"
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        let text = if encoding.is_empty() {
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
            String::from_utf8(bytes[3..].to_vec()).unwrap()
        } else {
            assert!(std::str::from_utf8(&bytes).is_err(), "really Shift_JIS");
            let (decoded, _, errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
            assert!(!errors);
            decoded.into_owned()
        };
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "日付,窓口,時間,受付番号,人数,順,氏名,フリガナ,番号1,電話番号,状態,本人確認書類,車いすの貸出,同行者の人数,備考"
        );
        assert!(
            lines[1].ends_with(",1,山田 一郎,,") || lines[1].contains(",1,山田 一郎,,"),
            "{}",
            lines[1]
        );
        assert!(
            lines[1].ends_with(
                ",予約済,運転免許証,はい,2,\"'=HYPERLINK(\"\"http://evil.example/\"\")\""
            ),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].ends_with(",予約済,パスポート,いいえ,,"),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].ends_with(",予約済,その他,,,'-付き添いあり"),
            "{}",
            lines[3]
        );
    }
}
on_both_databases!(a_three_person_booking_shows_each_persons_answers_everywhere);

async fn changed_and_deleted_fields_leave_old_answers_readable(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut admin = app.admin_client().await;
    let ids = define_fields(&mut admin).await;
    let (receipt, password, id) =
        book_three(&app, ids, [&s[23], &s[24], &s[25]], "before@example.jp").await;
    // A resident half-way through the form has picked the choice about to be removed.
    let (mut halfway, form) = to_form(&app, &[&s[26]], "halfway@example.jp").await;
    let typed = [Person {
        name: "途中 花子",
        kana: "",
        answers: vec![(ids.choice, "パスポート")],
    }];
    let kept = submit(&app, &mut halfway, &form, &typed, "choose").await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER);

    // The choice field renamed and its パスポート removed; the yes/no deleted; the
    // number no longer asked.
    let page = post_ok(
        &mut admin,
        &format!("/t/demo/staff/fields/extra/{}", ids.choice),
        &[
            ("label_ja", "確認書類"),
            ("label_en", "ID document"),
            ("help_ja", ""),
            ("kind", "choice"),
            ("choices_ja", "運転免許証\nその他"),
            ("choices_en", "Driving licence"),
            ("required", "1"),
            ("active", "1"),
            ("position", "1"),
        ],
    )
    .await;
    page.assert_text("項目を保存しました。");
    let page = post_ok(
        &mut admin,
        &format!("/t/demo/staff/fields/extra/{}/delete", ids.yes_no),
        &[],
    )
    .await;
    page.assert_text("項目を削除しました。受け付けた予約の回答は残ります。");
    page.assert_no_text("車いすの貸出");
    post_ok(
        &mut admin,
        &format!("/t/demo/staff/fields/extra/{}", ids.number),
        &[
            ("label_ja", "同行者の人数"),
            ("kind", "number"),
            ("position", "3"),
        ],
    )
    .await
    .assert_text("同行者の人数(数字・任意・使用停止中)");

    // The booking reads as it was booked: its labels, its choice, its yes/no.
    let mut resident = look_up(&app, &receipt, &password).await;
    assert_person_answers(&resident.get("/t/demo/booking").await);
    assert_person_answers(&admin.get(&format!("/t/demo/staff/bookings/{id}")).await);
    let main = app.counter_id("本庁舎 市民課").await;
    let roster = admin
        .get(&format!(
            "/t/demo/staff/roster?date=2026-12-03&counter={main}"
        ))
        .await;
    assert_roster_answers(&roster);
    // The CSV heads a field's column with its label now; the deleted one with its old
    // label, marked; the field no longer asked keeps its column while it has answers.
    let (_, bytes) = admin
        .get_bytes(&format!(
            "/t/demo/staff/roster.csv?date=2026-12-03&counter={main}"
        ))
        .await;
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(
        lines[0].ends_with(",状態,確認書類,同行者の人数,備考,車いすの貸出(削除済み)"),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains(",予約済,運転免許証,2,"), "{}", lines[1]);
    assert!(lines[1].ends_with(",はい"), "{}", lines[1]);
    assert!(
        lines[2].ends_with(",予約済,パスポート,,,いいえ"),
        "{}",
        lines[2]
    );

    // New forms ask what is asked now.
    let (_, fresh) = to_form(&app, &[&s[27]], "after@example.jp").await;
    fresh.assert_text("確認書類");
    fresh.assert_no_text("車いすの貸出");
    fresh.assert_no_text("同行者の人数");
    fresh.assert_no_text("パスポート");
    // The resident half-way through is told the choice is gone, not booked with another.
    let (_, form) = hold_labelled(&mut halfway, "12月4日(金) 10:00").await;
    let refused = submit(&app, &mut halfway, &form, &typed, "confirm").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(&refused, &format!("f{}_1", ids.choice)),
        "「確認書類」は、表示されている選択肢から選んでください。"
    );
}
on_both_databases!(changed_and_deleted_fields_leave_old_answers_readable);

async fn retention_erases_the_answers_with_the_names(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut admin = app.admin_client().await;
    let ids = define_fields(&mut admin).await;
    let (_, _, id) = book_three(&app, ids, [&s[30], &s[31], &s[32]], "gone@example.jp").await;
    assert!(
        crate::common::rows::answers(app.db(), id)
            .await
            .iter()
            .all(|a| a.contains("本人確認書類"))
    );
    app.clock.advance(32 * 24 * 3600);
    let report = madoguchi::server::purge_personal_data(&app.app)
        .await
        .unwrap();
    assert_eq!(report.bookings_anonymised, 1, "{report:?}");
    assert_eq!(
        crate::common::rows::answers(app.db(), id).await,
        ["[]", "[]", "[]"]
    );
    let main = app.counter_id("本庁舎 市民課").await;
    let mut admin = app.admin_client().await;
    let roster = admin
        .get(&format!(
            "/t/demo/staff/roster?date=2026-12-03&counter={main}"
        ))
        .await;
    for gone in ["運転免許証", "パスポート", "付き添い", "HYPERLINK"] {
        roster.assert_no_text(gone);
    }
}
on_both_databases!(retention_erases_the_answers_with_the_names);
