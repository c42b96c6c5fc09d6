use encoding_rs::SHIFT_JIS;
use time::macros::date;

use super::*;
use crate::core::notice_import::{ENCODING_SHIFT_JIS, ENCODING_UTF8, ENCODING_UTF8_BOM};

const TODAY: Date = date!(2026 - 12 - 01);

fn parse_with(bytes: &[u8], limits: Limits) -> Result<TicketPreview, TicketFileError> {
    parse_ticket_file(bytes, TODAY, limits)
}

fn parse(bytes: &[u8]) -> Result<TicketPreview, TicketFileError> {
    parse_with(bytes, Limits::STANDARD)
}

fn clean(text: &str) -> TicketPreview {
    let preview = parse(text.as_bytes()).expect("the file is readable");
    assert!(preview.errors.is_empty(), "{:?}", preview.errors);
    preview
}

fn errors_of(text: &str) -> Vec<String> {
    parse(text.as_bytes())
        .expect("the file is readable")
        .errors
        .iter()
        .map(RowError::to_string)
        .collect()
}

fn file_error(text: &str) -> String {
    parse(text.as_bytes())
        .expect_err("a problem with the whole file")
        .to_string()
}

const GOOD: &str = "接種券番号,生年月日,接種回,前回接種日,氏名,フリガナ\n\
    2026000101,19720415,1,,山田 太郎,ヤマダ タロウ\n\
    2026000102,昭和60年1月2日,3回目,2026/6/1,佐藤 花子,さとう はなこ\n";

#[test]
fn a_good_file_gives_every_ticket() {
    let p = clean(GOOD);
    assert_eq!(p.encoding, ENCODING_UTF8);
    assert_eq!(p.data_lines, 2);
    assert!(p.is_clean());
    assert_eq!(
        p.rows,
        vec![
            NewTicket {
                ticket_number: "2026000101".into(),
                birthdate: date!(1972 - 04 - 15),
                dose_number: 1,
                name: "山田 太郎".into(),
                kana: "ヤマダ\u{3000}タロウ".into(),
                previous_dose_on: None,
            },
            NewTicket {
                ticket_number: "2026000102".into(),
                birthdate: date!(1985 - 01 - 02),
                dose_number: 3,
                name: "佐藤 花子".into(),
                kana: "サトウ\u{3000}ハナコ".into(),
                previous_dose_on: Some(date!(2026 - 06 - 01)),
            },
        ]
    );
}

#[test]
fn only_number_birthdate_and_dose_are_required() {
    let p = clean("接種券番号,生年月日,接種回\n2026000101,19720415,2\n");
    assert_eq!(p.rows[0].dose_number, 2);
    assert_eq!(p.rows[0].previous_dose_on, None);
    assert_eq!(p.rows[0].name, "");
    assert_eq!(p.rows[0].kana, "");
}

#[test]
fn columns_are_found_in_any_order_by_alias_width_and_case() {
    let p = clean(
        "ﾌﾘｶﾞﾅ,接種回数,券番号,Birthdate,前回接種日,名前\n\
         ﾔﾏﾀﾞ,１回目,2026000101,1972/4/15,,山田\n",
    );
    let t = &p.rows[0];
    assert_eq!(t.ticket_number, "2026000101");
    assert_eq!(t.dose_number, 1);
    assert_eq!(t.kana, "ヤマダ");
    assert_eq!(t.name, "山田");
    let p = clean("Ticket_Number,BIRTHDATE,dose\n2026000101,19720415,1\n");
    assert_eq!(p.rows.len(), 1);
}

#[test]
fn ticket_numbers_are_typed_loosely_as_at_the_login() {
    let p = clean(
        "接種券番号,生年月日,接種回\n\
         ２０２６０００１０１,19720415,1\n\
         2026-000-102,19720415,1\n\
         \" 2026 000 103 \",19720415,1\n",
    );
    let numbers: Vec<&str> = p.rows.iter().map(|t| t.ticket_number.as_str()).collect();
    assert_eq!(numbers, ["2026000101", "2026000102", "2026000103"]);
}

#[test]
fn dose_numbers_in_every_shape() {
    for (text, n) in [
        ("1", 1),
        ("１", 1),
        ("1回目", 1),
        ("第2回", 2),
        ("３回目", 3),
        ("20", 20),
    ] {
        let p = clean(&format!(
            "接種券番号,生年月日,接種回\n2026000101,19720415,{text}\n"
        ));
        assert_eq!(p.rows[0].dose_number, n, "{text}");
    }
}

#[test]
fn every_row_error_has_its_line_column_and_reason() {
    let errors = errors_of(
        "接種券番号,生年月日,接種回,前回接種日\n\
         202600010,19720415,1,\n\
         20260001O2,19720415,1,\n\
         2026000103,19720231,1,\n\
         2026000104,19720415,0,\n\
         2026000105,19720415,一回目,\n\
         2026000106,19720415,,\n\
         2026000107,,1,\n",
    );
    assert_eq!(
        errors,
        vec![
            "2行目: 接種券番号: 接種券番号は数字10桁で入力してください(入力されたのは9桁です)。",
            &format!(
                "3行目: 接種券番号: {}",
                TicketNumber::parse("20260001O2").unwrap_err()
            ),
            "4行目: 生年月日: 存在しない日付です。",
            "5行目: 接種回: 接種回数は1から20までの数字で入力してください。",
            "6行目: 接種回: 接種回数は「3」または「3回目」のように数字で入力してください。",
            "7行目: 接種回: 接種回数を入力してください。",
            "8行目: 生年月日: 誕生日を入力してください。",
        ]
    );
}

#[test]
fn the_previous_dose_is_read_like_a_birthdate_and_named_as_itself() {
    let p = clean(
        "接種券番号,生年月日,接種回,前回接種日\n\
         2026000101,19720415,3,20260601\n\
         2026000102,19720415,3,令和8年6月2日\n\
         2026000103,19720415,3,R8.6.3\n\
         2026000104,19720415,3,2026年6月4日\n\
         2026000105,19720415,3,  \n",
    );
    let days: Vec<Option<Date>> = p.rows.iter().map(|t| t.previous_dose_on).collect();
    assert_eq!(
        days,
        [
            Some(date!(2026 - 06 - 01)),
            Some(date!(2026 - 06 - 02)),
            Some(date!(2026 - 06 - 03)),
            Some(date!(2026 - 06 - 04)),
            None
        ]
    );
    let errors = errors_of(
        "接種券番号,生年月日,接種回,前回接種日\n\
         2026000101,19720415,3,きのう\n\
         2026000102,19720415,3,20260231\n\
         2026000103,19720415,3,20261202\n",
    );
    assert_eq!(
        errors,
        vec![
            "2行目: 前回接種日: 前回接種日は「19720415」または「昭和47年4月15日」のように入力してください。",
            "3行目: 前回接種日: 存在しない日付です。",
            "4行目: 前回接種日: 未来の日付は入力できません。",
        ]
    );
}

#[test]
fn a_previous_dose_today_is_accepted() {
    let p = clean("接種券番号,生年月日,接種回,前回接種日\n2026000101,19720415,2,20261201\n");
    assert_eq!(p.rows[0].previous_dose_on, Some(TODAY));
}

#[test]
fn a_previous_dose_before_the_birthdate_is_an_error() {
    let errors = errors_of(
        "接種券番号,生年月日,接種回,前回接種日\n\
         2026000101,20000101,2,19991231\n\
         2026000102,20000101,2,20000101\n",
    );
    assert_eq!(
        errors,
        vec![
            "2行目: 前回接種日: 前回接種日が生年月日より前になっています。日付を確認してください。"
        ]
    );
}

#[test]
fn a_wrong_birthdate_does_not_also_blame_the_previous_dose() {
    let errors = errors_of("接種券番号,生年月日,接種回,前回接種日\n2026000101,2000,2,19991231\n");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("2行目: 生年月日:"), "{errors:?}");
}

#[test]
fn one_row_reports_all_its_problems_in_column_order() {
    let errors = errors_of(
        "フリガナ,接種回,前回接種日,生年月日,接種券番号\n\
         ABC,0,x,x,1\n",
    );
    let fields: Vec<&str> = errors
        .iter()
        .map(|e| e.split(": ").nth(1).unwrap())
        .collect();
    assert_eq!(
        fields,
        ["接種券番号", "生年月日", "接種回", "前回接種日", "フリガナ"]
    );
}

#[test]
fn a_duplicate_number_is_reported_on_the_later_line_naming_the_first() {
    let p = parse(
        "接種券番号,生年月日,接種回\n\
         2026000101,19720415,1\n\
         2026000102,19720415,1\n\
         2026-000-101,19800101,2\n\
         2026000101,x,2\n"
            .as_bytes(),
    )
    .unwrap();
    let errors: Vec<String> = p.errors.iter().map(RowError::to_string).collect();
    assert_eq!(
        errors,
        vec![
            "4行目: 接種券番号: 接種券番号が2行目と重複しています。",
            "5行目: 生年月日: 誕生日は「19720415」または「昭和47年4月15日」のように入力してください。",
            "5行目: 接種券番号: 接種券番号が2行目と重複しています。",
        ]
    );
    assert_eq!(p.rows.len(), 2);
    assert!(!p.is_clean());
}

#[test]
fn names_and_kana_are_checked_as_on_the_notice_list() {
    let long = "あ".repeat(NAME_MAX_CHARS + 1);
    let errors = errors_of(&format!(
        "接種券番号,生年月日,接種回,氏名,フリガナ\n\
         2026000101,19720415,1,{long},\n\
         2026000102,19720415,1,山田,ABC\n"
    ));
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("2行目: 氏名:"), "{errors:?}");
    assert!(errors[1].starts_with("3行目: フリガナ:"), "{errors:?}");
}

#[test]
fn shift_jis_and_a_bom_are_read_and_named() {
    let text = "接種券番号,生年月日,接種回,氏名,ﾌﾘｶﾞﾅ\r\n2026000101,平成元年1月8日,1回目,髙橋 花子,ﾀｶﾊｼ ﾊﾅｺ\r\n";
    let (bytes, _, unmappable) = SHIFT_JIS.encode(text);
    assert!(!unmappable);
    let p = parse(&bytes).unwrap();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.encoding, ENCODING_SHIFT_JIS);
    assert_eq!(p.rows[0].name, "髙橋 花子");
    assert_eq!(p.rows[0].kana, "タカハシ\u{3000}ハナコ");
    assert_eq!(p.rows[0].birthdate, date!(1989 - 01 - 08));

    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(GOOD.as_bytes());
    let p = parse(&bom).unwrap();
    assert_eq!(p.encoding, ENCODING_UTF8_BOM);
    assert_eq!(p.rows.len(), 2);
}

#[test]
fn line_numbers_follow_the_file_through_crlf_blank_lines_and_quoted_breaks() {
    let errors = errors_of(
        "接種券番号,生年月日,接種回,氏名\r\n\
         \r\n\
         2026000101,19720415,1,\"山田\r\n太郎\"\r\n\
         2026000102,19720415,x,\r\n",
    );
    assert_eq!(
        errors,
        vec![
            "3行目: 氏名: 値の中に改行があります。「\"」の閉じ忘れがないか確認してください。",
            "5行目: 接種回: 接種回数は「3」または「3回目」のように数字で入力してください。",
        ]
    );
}

#[test]
fn extra_cells_beyond_the_header_are_one_error_for_the_row() {
    let errors = errors_of("接種券番号,生年月日,接種回,氏名\n2026000101,19720415,1,山田,太郎\n");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .starts_with("2行目: 行全体: 見出しより列が多くなっています(見出しは4列、この行は5列)"),
        "{errors:?}"
    );
    // Blank cells past the end (Excel's trailing commas) do not count.
    clean("接種券番号,生年月日,接種回\n2026000101,19720415,1,,\n");
}

#[test]
fn unknown_columns_are_listed_and_skipped() {
    let p = clean(
        "接種券番号,住所,生年月日,接種回,会場\n2026000101,デモ市1-1,19720415,1,保健センター\n",
    );
    assert_eq!(p.ignored_columns, ["住所", "会場"]);
}

#[test]
fn whole_file_problems_are_said_in_the_ticket_lists_words() {
    assert_eq!(
        parse(b"").unwrap_err().to_string(),
        "ファイルが空です。接種券の一覧(CSV)を選んでください。"
    );
    assert_eq!(
        file_error("接種券番号,生年月日,接種回\r\n\r\n"),
        "見出し行のほかにデータの行がありません。取り込む接種券の行を入れてください。"
    );
    let missing = file_error("接種券番号,氏名\n2026000101,山田\n");
    assert!(
        missing.starts_with(
            "必要な列がありません: 生年月日、接種回。1行目(見出し行)にあった列: 「接種券番号」、「氏名」。使える列名: 接種券番号【必須】(または券番号・ticket_number)"
        ),
        "{missing}"
    );
    // A notice list given by mistake: its 生年月日 is a ticket column, so the header row is
    // taken as one and only the two missing columns are named.
    let notices = file_error("番号1,番号2,生年月日\nA,B,19720415\n");
    assert!(
        notices.contains("必要な列がありません: 接種券番号、接種回。"),
        "{notices}"
    );
    assert!(
        !notices.contains("1行目が列名(見出し)の行になっているか"),
        "{notices}"
    );
    // Nothing the list knows in the first row: the header itself is questioned.
    let headless = file_error("2026000101,19720415,1\n2026000102,19720415,1\n");
    assert!(
        headless.contains("1行目が列名(見出し)の行になっているか確認してください。"),
        "{headless}"
    );
    let twice = file_error("接種券番号,券番号,生年月日,接種回\n1,2,3,4\n");
    assert_eq!(
        twice,
        "「接種券番号」にあたる列が2つあります(1列目「接種券番号」と2列目「券番号」)。どちらか一方にしてください。"
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(GOOD.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert!(
        parse(&utf16)
            .unwrap_err()
            .to_string()
            .contains("UTF-16で保存されているようです")
    );
}

#[test]
fn the_limits_are_those_of_the_notice_list() {
    let small = Limits {
        max_bytes: 40,
        max_rows: 2,
    };
    assert!(matches!(
        parse_with(GOOD.as_bytes(), small),
        Err(TicketFileError(FileError::TooLarge { .. }))
    ));
    let rows = "接種券番号,生年月日,接種回\n1,2,3\n4,5,6\n7,8,9\n";
    let three = Limits {
        max_bytes: 1000,
        max_rows: 2,
    };
    assert_eq!(
        parse_with(rows.as_bytes(), three).unwrap_err(),
        TicketFileError(FileError::TooManyRows { max: 2 })
    );
}

#[test]
fn the_payload_round_trips() {
    let p = clean(GOOD);
    let text = encode_payload(&p.rows);
    assert_eq!(decode_payload(&text).unwrap(), p.rows);
    assert!(decode_payload("{\"v\":2,\"rows\":[]}").is_err());
    assert!(decode_payload("not json").is_err());
    let bad_dose = "{\"v\":1,\"rows\":[[\"2026000101\",\"1972-04-15\",0,\"\",\"\",null]]}";
    assert!(decode_payload(bad_dose).is_err());
}

#[test]
fn the_report_reads_line_column_reason() {
    let p = parse("接種券番号,生年月日,接種回\n2026000101,19720415,x\n".as_bytes()).unwrap();
    let lines: Vec<String> = report_lines(&p.errors).collect();
    assert_eq!(
        lines,
        ["2行目: 接種回: 接種回数は「3」または「3回目」のように数字で入力してください。"]
    );
}

#[test]
fn the_column_help_names_every_column_once() {
    let help = column_help();
    assert_eq!(help.len(), TicketColumn::ALL.len());
    let required: Vec<&str> = help.iter().filter(|h| h.2).map(|h| h.0).collect();
    assert_eq!(required, ["接種券番号", "生年月日", "接種回"]);
    assert_eq!(help[0].1, "券番号、ticket_number");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn valid_rows_read_back_exactly(
            specs in proptest::collection::vec((0u32..10_000_000, 0i64..30_000, 1u8..=20, proptest::option::of(0i64..3000)), 1..30)
        ) {
            let mut text = String::from("前回接種日,接種回,生年月日,接種券番号\n");
            let mut expected = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for (n, born_days, dose, prev_days) in specs {
                if !seen.insert(n) {
                    continue;
                }
                let born = date!(1930 - 01 - 01) + time::Duration::days(born_days);
                let previous = prev_days
                    .map(|d| born + time::Duration::days(d))
                    .filter(|d| *d <= TODAY);
                let number = format!("20{n:08}");
                text.push_str(&format!(
                    "{},{}回目,{},{}\n",
                    previous.map(|d| format!("{}/{}/{}", d.year(), u8::from(d.month()), d.day())).unwrap_or_default(),
                    dose,
                    iso(born).replace('-', ""),
                    number
                ));
                expected.push(NewTicket {
                    ticket_number: number,
                    birthdate: born,
                    dose_number: i32::from(dose),
                    name: String::new(),
                    kana: String::new(),
                    previous_dose_on: previous,
                });
            }
            let p = parse(text.as_bytes()).unwrap();
            prop_assert!(p.errors.is_empty(), "{:?}", p.errors);
            prop_assert_eq!(&p.rows, &expected);
            prop_assert_eq!(decode_payload(&encode_payload(&p.rows)).unwrap(), expected);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn arbitrary_rows_never_panic(body in "[0-9,\"\r\n 令和年月日回目第-]{0,300}") {
            let _ = parse(format!("接種券番号,生年月日,接種回,前回接種日\n{body}").as_bytes());
        }
    }
}
