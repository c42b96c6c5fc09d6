//! Reading a notice list: whole files, their encodings, headers, errors and previews.
use super::*;
use time::macros::date;

const TODAY: Date = date!(2026 - 12 - 01);

fn parse_with(bytes: &[u8], limits: Limits) -> Result<ImportPreview, FileError> {
    parse_notice_file(
        bytes,
        &NumberFormat::notice_number_1(),
        &NumberFormat::notice_number_2(),
        TODAY,
        limits,
    )
}

fn parse(bytes: &[u8]) -> Result<ImportPreview, FileError> {
    parse_with(bytes, Limits::STANDARD)
}

fn clean(bytes: &[u8]) -> ImportPreview {
    let preview = parse(bytes).expect("the file is readable");
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

const GOOD: &str = "番号1,番号2,生年月日,氏名,フリガナ\n\
    ABC123456,ABCDEFGHJK12345678,19720415,山田 太郎,ヤマダ タロウ\n\
    XYZ654321,ZZZZZZZZZZ00000001,1985/1/2,佐藤 花子,さとう はなこ\n";

#[test]
fn a_good_utf8_file_gives_every_row() {
    let p = clean(GOOD.as_bytes());
    assert_eq!(p.encoding, ENCODING_UTF8);
    assert_eq!(p.data_lines, 2);
    assert!(p.is_clean());
    assert_eq!(
        p.rows[0],
        NewNotice {
            number1: "ABC123456".into(),
            number2: "ABCDEFGHJK12345678".into(),
            birthdate: date!(1972 - 04 - 15),
            name: "山田 太郎".into(),
            kana: "ヤマダ\u{3000}タロウ".into(),
        }
    );
    // Hiragana furigana is stored as katakana.
    assert_eq!(p.rows[1].kana, "サトウ\u{3000}ハナコ");
    assert_eq!(p.rows[1].birthdate, date!(1985 - 01 - 02));
}

#[test]
fn a_bom_is_dropped_and_named() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(GOOD.as_bytes());
    let p = clean(&bytes);
    assert_eq!(p.encoding, ENCODING_UTF8_BOM);
    assert_eq!(p.rows.len(), 2);
}

#[test]
fn cp932_bytes_made_by_encoding_rs_are_read() {
    // CP932 proper: ①, ㈱ and 髙 (NEC/IBM extensions) are not in plain Shift_JIS.
    let text = "交付通知書番号,番号2,誕生日,氏名,カナ\r\n\
        ABC-123456,ABCDEFGHJK12345678,昭和47年4月15日,髙橋 ①郎,タカハシ イチロウ\r\n\
        DEF-000001,ABCDEFGHJK12345679,平成元年1月8日,㈱テスト,テスト\r\n";
    let (bytes, _, unmappable) = SHIFT_JIS.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    // 髙 is FB FC in CP932, from the IBM extension block.
    assert!(bytes.windows(2).any(|w| w == [0xFB, 0xFC]));
    let p = clean(&bytes);
    assert_eq!(p.encoding, ENCODING_SHIFT_JIS);
    assert_eq!(p.rows[0].name, "髙橋 ①郎");
    assert_eq!(p.rows[0].number1, "ABC123456");
    assert_eq!(p.rows[0].birthdate, date!(1972 - 04 - 15));
    assert_eq!(p.rows[1].birthdate, date!(1989 - 01 - 08));
    assert_eq!(p.rows[1].name, "㈱テスト");
}

#[test]
fn half_width_katakana_in_shift_jis_is_folded() {
    let text = "番号1,番号2,生年月日,ﾌﾘｶﾞﾅ\nABC123456,ABCDEFGHJK12345678,S47.4.15,ﾔﾏﾀﾞ ﾀﾛｳ\n";
    let (bytes, _, _) = SHIFT_JIS.encode(text);
    let p = clean(&bytes);
    assert_eq!(p.encoding, ENCODING_SHIFT_JIS);
    assert_eq!(p.rows[0].kana, "ヤマダ\u{3000}タロウ");
}

#[test]
fn utf16_binary_spreadsheets_and_mixtures_are_refused_with_the_reason() {
    let utf16le: Vec<u8> = std::iter::once([0xFF, 0xFE])
        .chain(GOOD.encode_utf16().map(u16::to_le_bytes))
        .flatten()
        .collect();
    assert_eq!(
        parse(&utf16le),
        Err(FileError::UnknownEncoding(EncodingHint::Utf16))
    );
    let utf16be_no_bom: Vec<u8> = "number1,number2,birthdate\n"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    assert_eq!(
        parse(&utf16be_no_bom),
        Err(FileError::UnknownEncoding(EncodingHint::Utf16))
    );
    assert_eq!(
        parse(b"PK\x03\x04\x14\x00\x06\x00"),
        Err(FileError::UnknownEncoding(EncodingHint::Spreadsheet))
    );
    // Bytes that are neither UTF-8 nor Shift_JIS (0xFD-0xFF lead nothing in CP932).
    assert_eq!(
        parse(b"number1,number2,birthdate\n\xFD\xFE\xFF,1,2\n"),
        Err(FileError::UnknownEncoding(EncodingHint::None))
    );
    let mut binary = b"number1,number2,birthdate\n".to_vec();
    binary.extend_from_slice(&[0u8, 1, 2, 3, 4, 5, 0x41, 0x42, 0x43, 0x44, 0x45]);
    binary.extend_from_slice(&[0x41; 40]);
    assert_eq!(
        parse(&binary),
        Err(FileError::UnknownEncoding(EncodingHint::Binary))
    );
    // One line in UTF-8, the next pasted from a Shift_JIS file.
    let mut mixed = "番号1,番号2,生年月日,氏名\nABC123456,ABCDEFGHJK12345678,19720415,山田 太郎\n"
        .as_bytes()
        .to_vec();
    let (sjis, _, _) = SHIFT_JIS.encode("XYZ654321,ZZZZZZZZZZ00000001,19850102,佐藤 花子\n");
    mixed.extend_from_slice(&sjis);
    assert_eq!(
        parse(&mixed),
        Err(FileError::UnknownEncoding(EncodingHint::Mixed))
    );
    // The message is the one the brief asks for, whatever the hint.
    for hint in [
        EncodingHint::Utf16,
        EncodingHint::Spreadsheet,
        EncodingHint::Mixed,
        EncodingHint::Binary,
        EncodingHint::None,
    ] {
        assert!(
            FileError::UnknownEncoding(hint)
                .to_string()
                .starts_with(UNKNOWN_ENCODING)
        );
    }
}

#[test]
fn a_bom_followed_by_shift_jis_is_a_mixture() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    let (sjis, _, _) = SHIFT_JIS.encode(GOOD);
    bytes.extend_from_slice(&sjis);
    assert_eq!(
        parse(&bytes),
        Err(FileError::UnknownEncoding(EncodingHint::Mixed))
    );
}

#[test]
fn headers_are_found_by_alias_in_any_order_width_and_case() {
    let text = "\u{FEFF} Kana ,ＢＩＲＴＨＤＡＴＥ, 通知書番号 ,名前,Number_2,住所\n\
        ヤマダ,1972-04-15,abc123456,山田,abcdefghjk12345678,東京都\n";
    let p = clean(text.as_bytes());
    assert_eq!(p.rows[0].number1, "ABC123456");
    assert_eq!(p.rows[0].number2, "ABCDEFGHJK12345678");
    assert_eq!(p.rows[0].name, "山田");
    assert_eq!(p.rows[0].kana, "ヤマダ");
    assert_eq!(p.ignored_columns, vec!["住所".to_string()]);
    for (header, column) in [
        ("番号１", Column::Number1),
        ("交付通知書番号", Column::Number1),
        ("NUMBER1", Column::Number1),
        ("番号 2", Column::Number2),
        ("誕生日", Column::Birthdate),
        ("生年月日", Column::Birthdate),
        ("氏名", Column::Name),
        ("name", Column::Name),
        ("ﾌﾘｶﾞﾅ", Column::Kana),
        ("ふりがな", Column::Kana),
        ("カナ", Column::Kana),
    ] {
        assert_eq!(Column::from_header(header), Some(column), "{header}");
    }
    assert_eq!(Column::from_header("住所"), None);
}

#[test]
fn name_and_kana_are_optional() {
    let p = clean(b"number1,number2,birthdate\nABC123456,ABCDEFGHJK12345678,19720415\n");
    assert_eq!(p.rows[0].name, "");
    assert_eq!(p.rows[0].kana, "");
    // Present but blank is fine too.
    let p = clean(
        "番号1,番号2,生年月日,氏名,フリガナ\nABC123456,ABCDEFGHJK12345678,19720415,,\n".as_bytes(),
    );
    assert_eq!(p.rows[0].kana, "");
}

#[test]
fn missing_columns_are_named_with_the_headers_found() {
    let err = parse("番号1,氏名,住所\nABC123456,山田,東京\n".as_bytes()).unwrap_err();
    assert_eq!(
        err,
        FileError::MissingColumns {
            missing: vec!["番号2", "生年月日"],
            found: vec!["番号1".into(), "氏名".into(), "住所".into()],
        }
    );
    let message = err.to_string();
    assert!(
        message.contains("必要な列がありません: 番号2、生年月日。"),
        "{message}"
    );
    assert!(
        message.contains("「番号1」、「氏名」、「住所」"),
        "{message}"
    );
    assert!(message.contains("使える列名"), "{message}");
    // A file without a header row: the first data row is shown, with the likely cause.
    let message = parse(b"ABC123456,ABCDEFGHJK12345678,19720415\n")
        .unwrap_err()
        .to_string();
    assert!(message.contains("「ABC123456」"), "{message}");
    assert!(message.contains("見出し"), "{message}");
}

#[test]
fn a_column_given_twice_is_refused() {
    let err = parse("番号1,番号2,生年月日,交付通知書番号\n".as_bytes()).unwrap_err();
    assert_eq!(
        err,
        FileError::DuplicateColumn {
            column: "番号1",
            first: (1, "番号1".into()),
            second: (4, "交付通知書番号".into()),
        }
    );
    assert!(
        err.to_string()
            .contains("1列目「番号1」と4列目「交付通知書番号」")
    );
}

#[test]
fn every_row_error_has_line_field_and_the_parsers_reason() {
    let text = "番号1,番号2,生年月日,氏名,フリガナ\n\
        ABCD23456,ABCDEFGHJK12345678,19720415,山田,ヤマダ\n\
        ABC12345,ABCDEFGHJK1234567X,19720415,山田,ヤマダ\n\
        ABC123456,ABCDEFGHJK12345679,19720230,山田,ヤマダ\n\
        ABC123456,ABCDEFGHJK12345680,昭和64年2月1日,山田,ヤマダ\n\
        ABC123456,ABCDEFGHJK12345681,20300101,山田,ヤマダ\n\
        ABC123456,ABCDEFGHJK12345682,19720415,山田,Yamada\n\
        ABC123456,ABCDEFGHJK12345683,19720415,\"山田\u{202E}太郎\",ヤマダ\n\
        ,,,,\n\
        ABC123456,,19720415,山田,ヤマダ\n";
    let errors = errors_of(text);
    assert_eq!(
        errors,
        vec![
            "2行目: 番号1: 番号1の4桁目は数字です(「D」が入力されています)。".to_string(),
            "3行目: 番号1: 番号1は英数字9桁で入力してください(入力されたのは8桁です)。".into(),
            "4行目: 生年月日: 存在しない日付です。".into(),
            "5行目: 生年月日: 昭和64年は1月7日までです。1月8日からは平成元年です。".into(),
            "6行目: 生年月日: 未来の日付は入力できません。".into(),
            "7行目: フリガナ: フリガナはカタカナで入力してください(「Y」は使えません)。".into(),
            "8行目: 氏名: 入力できない文字(改行や制御文字など)が含まれています。".into(),
            "10行目: 番号2: 番号2を入力してください。".into(),
        ],
    );
    // Row 3's number 2 ends in X, which is fine: number 2 is alphanumeric.
    let p = parse(text.as_bytes()).unwrap();
    assert_eq!(p.data_lines, 8, "the blank row is not a data row");
    assert!(!p.is_clean());
    assert!(p.rows.is_empty());
}

#[test]
fn one_row_can_have_several_errors_in_column_order() {
    let errors = errors_of("番号2,生年月日,番号1\n,1972,\n");
    assert_eq!(
        errors,
        vec![
            "2行目: 番号1: 番号1を入力してください。".to_string(),
            "2行目: 番号2: 番号2を入力してください。".into(),
            "2行目: 生年月日: 誕生日は「19720415」または「昭和47年4月15日」のように入力してください。".into(),
        ]
    );
}

#[test]
fn a_short_row_reads_the_missing_cells_as_empty() {
    let errors = errors_of("番号1,番号2,生年月日\nABC123456,ABCDEFGHJK12345678\n");
    assert_eq!(
        errors,
        vec!["2行目: 生年月日: 誕生日を入力してください。".to_string()]
    );
}

#[test]
fn duplicate_number2_is_reported_on_the_later_line_naming_the_first() {
    let text = "番号1,番号2,生年月日\n\
        ABC123456,ABCDEFGHJK12345678,19720415\n\
        ABC123457,ABCDEFGHJK12345679,19720415\n\
        ABC123458,abcdefghjk-12345678,19720416\n\
        ABC123459,ABCDEFGHJK12345678,19720417\n";
    assert_eq!(
        errors_of(text),
        vec![
            "4行目: 番号2: 番号2が2行目と重複しています。".to_string(),
            "5行目: 番号2: 番号2が2行目と重複しています。".into(),
        ]
    );
}

#[test]
fn a_duplicate_is_reported_even_on_a_row_with_other_problems() {
    let text = "番号1,番号2,生年月日\n\
        ABC12345X,ABCDEFGHJK12345678,19720415\n\
        ABC123457,ABCDEFGHJK12345678,19720231\n";
    assert_eq!(
        errors_of(text),
        vec![
            "2行目: 番号1: 番号1の9桁目は数字です(「X」が入力されています)。".to_string(),
            "3行目: 生年月日: 存在しない日付です。".into(),
            "3行目: 番号2: 番号2が2行目と重複しています。".into(),
        ]
    );
}

#[test]
fn line_numbers_follow_the_file_through_crlf_blank_lines_and_quoted_breaks() {
    let text = "番号1,番号2,生年月日,氏名\r\n\
        \r\n\
        ABC123456,ABCDEFGHJK12345678,19720415,\"山田, 太郎\"\r\n\
        \r\n\
        ABC12345X,ABCDEFGHJK12345679,19720415,山田\r\n";
    assert_eq!(
        errors_of(text),
        vec!["5行目: 番号1: 番号1の9桁目は数字です(「X」が入力されています)。".to_string()]
    );
    let p = parse(text.as_bytes()).unwrap();
    assert_eq!(p.data_lines, 2);
    assert_eq!(p.rows[0].name, "山田, 太郎");
    // A quoted line break is one cell over two lines; the next row keeps its own number.
    let text = "番号1,番号2,生年月日,氏名\n\
        ABC123456,ABCDEFGHJK12345678,19720415,\"山田\n太郎\"\n\
        ABC12345X,ABCDEFGHJK12345679,19720415,山田\n";
    assert_eq!(
        errors_of(text),
        vec![
            "2行目: 氏名: 値の中に改行があります。「\"」の閉じ忘れがないか確認してください。"
                .to_string(),
            "4行目: 番号1: 番号1の9桁目は数字です(「X」が入力されています)。".into(),
        ]
    );
}

#[test]
fn old_mac_line_endings_count_as_lines() {
    let text = "番号1,番号2,生年月日\r\rABC123456,ABCDEFGHJK12345678,19720415\rABC12345X,ABCDEFGHJK12345679,19720415\r";
    assert_eq!(
        errors_of(text),
        vec!["4行目: 番号1: 番号1の9桁目は数字です(「X」が入力されています)。".to_string()]
    );
}

#[test]
fn an_unclosed_quote_is_pointed_at() {
    let text = "番号1,番号2,生年月日,氏名\n\
        ABC123456,ABCDEFGHJK12345678,19720415,\"山田\n\
        ABC123457,ABCDEFGHJK12345679,19720415,佐藤\n";
    let errors = errors_of(text);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("2行目: 氏名: 値の中に改行があります。"),
        "{errors:?}"
    );
}

#[test]
fn extra_cells_beyond_the_header_are_an_error_unless_blank() {
    let text = "番号1,番号2,生年月日,氏名\n\
        ABC123456,ABCDEFGHJK12345678,19720415,山田,太郎\n\
        ABC123457,ABCDEFGHJK12345679,19720415,佐藤,,\n";
    assert_eq!(
        errors_of(text),
        vec![
            "2行目: 行全体: 見出しより列が多くなっています(見出しは4列、この行は5列)。値に「,」が含まれる場合は値を「\"」で囲んでください。"
                .to_string()
        ]
    );
}

#[test]
fn trailing_blank_lines_and_comma_only_lines_are_ignored() {
    let text = format!("{GOOD}\n\n,,,,\r\n   \n\n");
    let p = clean(text.as_bytes());
    assert_eq!(p.data_lines, 2);
}

#[test]
fn empty_files_and_header_only_files_are_refused() {
    assert_eq!(parse(b""), Err(FileError::Empty));
    assert_eq!(parse(b"\xEF\xBB\xBF"), Err(FileError::Empty));
    assert_eq!(parse(b"\r\n\r\n  \n"), Err(FileError::Empty));
    assert_eq!(parse(",,,\n,,\n".as_bytes()), Err(FileError::Empty));
    assert_eq!(
        parse("番号1,番号2,生年月日\n\n".as_bytes()),
        Err(FileError::NoDataRows)
    );
}

#[test]
fn the_size_limit_is_checked_before_anything_is_read() {
    let limits = Limits {
        max_bytes: 10,
        max_rows: 5,
    };
    // Not even valid text: the size decides first.
    let err = parse_with(&[0xFF; 11], limits).unwrap_err();
    assert_eq!(err, FileError::TooLarge { bytes: 11, max: 10 });
    let err = FileError::TooLarge {
        bytes: MAX_FILE_BYTES + 1,
        max: MAX_FILE_BYTES,
    };
    assert!(err.to_string().contains("20MBまで"), "{err}");
    assert!(err.to_string().contains("(20.1MB)"), "{err}");
    assert!(
        parse_with(&[b'a'; 10], limits)
            .is_err_and(|e| e != FileError::TooLarge { bytes: 10, max: 10 })
    );
}

#[test]
fn the_row_limit_gives_one_error_and_checks_nothing_else() {
    let limits = Limits {
        max_bytes: MAX_FILE_BYTES,
        max_rows: 3,
    };
    let mut text = String::from("番号1,番号2,生年月日\n");
    for i in 0..3 {
        text.push_str(&format!("ABC00000{i},ABCDEFGHJK1234567{i},19720415\n"));
    }
    assert!(parse_with(text.as_bytes(), limits).unwrap().is_clean());
    // Blank lines do not count.
    let padded = format!("{text}\n\n,,\n");
    assert!(parse_with(padded.as_bytes(), limits).unwrap().is_clean());
    // The fourth row is over the limit; bad rows after it are never looked at.
    text.push_str("bad,bad,bad\n");
    text.push_str("worse\n");
    let err = parse_with(text.as_bytes(), limits).unwrap_err();
    assert_eq!(err, FileError::TooManyRows { max: 3 });
    assert!(err.to_string().contains("3行まで"));
    assert!(
        FileError::TooManyRows { max: MAX_DATA_ROWS }
            .to_string()
            .contains("100000行まで")
    );
}

#[test]
fn a_tenants_own_number_formats_are_used() {
    let digits8 = NumberFormat::parse("9999-9999").unwrap();
    let letters4 = NumberFormat::parse("XXXX").unwrap();
    let p = parse_notice_file(
        "番号1,番号2,生年月日\n１２３４－５６７８,abcd,R2.5.1\n1234,AB1D,20200501\n".as_bytes(),
        &digits8,
        &letters4,
        TODAY,
        Limits::STANDARD,
    )
    .unwrap();
    assert_eq!(p.rows.len(), 1);
    assert_eq!(p.rows[0].number1, "12345678");
    assert_eq!(p.rows[0].number2, "ABCD");
    assert_eq!(p.rows[0].birthdate, date!(2020 - 05 - 01));
    let errors: Vec<String> = p.errors.iter().map(RowError::to_string).collect();
    assert_eq!(
        errors,
        vec![
            "3行目: 番号1: 番号1は数字8桁で入力してください(入力されたのは4桁です)。".to_string(),
            "3行目: 番号2: 番号2に使えない文字「1」が含まれています。英字で入力してください。"
                .into(),
        ]
    );
}

#[test]
fn era_birthdates_in_every_accepted_shape() {
    let text = "番号1,番号2,生年月日\n\
        ABC000001,ABCDEFGHJK00000001,昭和47年4月15日\n\
        ABC000002,ABCDEFGHJK00000002,S47.4.15\n\
        ABC000003,ABCDEFGHJK00000003,平成元年1月8日\n\
        ABC000004,ABCDEFGHJK00000004,令和2年5月1日\n\
        ABC000005,ABCDEFGHJK00000005,大正15年12月24日\n\
        ABC000006,ABCDEFGHJK00000006,１９７２年４月１５日\n\
        ABC000007,ABCDEFGHJK00000007,1972-04-15\n";
    let p = clean(text.as_bytes());
    let dates: Vec<Date> = p.rows.iter().map(|r| r.birthdate).collect();
    assert_eq!(
        dates,
        vec![
            date!(1972 - 04 - 15),
            date!(1972 - 04 - 15),
            date!(1989 - 01 - 08),
            date!(2020 - 05 - 01),
            date!(1926 - 12 - 24),
            date!(1972 - 04 - 15),
            date!(1972 - 04 - 15),
        ]
    );
}

#[test]
fn names_longer_than_the_booking_form_allows_are_refused() {
    let long = "あ".repeat(NAME_MAX_CHARS + 1);
    let errors = errors_of(&format!(
        "番号1,番号2,生年月日,氏名\nABC123456,ABCDEFGHJK12345678,19720415,{long}\n"
    ));
    assert_eq!(
        errors,
        vec!["2行目: 氏名: 50文字以内で入力してください(いまは51文字です)。".to_string()]
    );
}

#[test]
fn the_payload_round_trips() {
    let p = clean(GOOD.as_bytes());
    let text = encode_payload(&p.rows);
    assert_eq!(decode_payload(&text).unwrap(), p.rows);
    assert!(decode_payload("{\"v\":2,\"rows\":[]}").is_err());
    assert!(decode_payload("not json").is_err());
}

#[test]
fn the_report_reads_line_field_reason() {
    let p = parse("番号1,番号2,生年月日\nX,ABCDEFGHJK12345678,19720415\n".as_bytes()).unwrap();
    let lines: Vec<String> = report_lines(&p.errors).collect();
    assert_eq!(
        lines,
        vec![
            "2行目: 番号1: 番号1は英数字9桁で入力してください(入力されたのは1桁です)。".to_string()
        ]
    );
}

mod properties {
    use super::*;
    use crate::core::resident_input::era_of;
    use proptest::prelude::*;

    /// A valid row as the generator chose it, and how to write its birthdate.
    #[derive(Debug, Clone)]
    struct RowSpec {
        number1: String,
        birthdate: Date,
        date_style: u8,
        name: String,
        kana: String,
    }

    fn row_spec() -> impl Strategy<Value = RowSpec> {
        (
            "[A-Z0-9]{3}[0-9]{6}",
            0i64..46_000,
            0u8..4,
            "[山田太郎花子髙橋﨑 ,\"a-zA-Z]{0,12}",
            "[アイウエオカキクケコヤマダタロウーヴ]{0,10}",
        )
            .prop_map(|(number1, days, date_style, name, kana)| RowSpec {
                number1,
                birthdate: date!(1900 - 01 - 01) + time::Duration::days(days),
                date_style,
                name: name.trim().to_string(),
                kana,
            })
    }

    fn date_text(d: Date, style: u8) -> String {
        let (y, m, day) = (d.year(), u8::from(d.month()), d.day());
        match (style, era_of(d)) {
            (0, _) | (_, None) => format!("{y:04}{m:02}{day:02}"),
            (1, _) => format!("{y}/{m}/{day}"),
            (2, _) => format!("{y}-{m:02}-{day:02}"),
            (_, Some((era, era_year))) => format!("{}{era_year}年{m}月{day}日", era.name()),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the column order, encoding and line ending, a file of valid rows
        /// reads back as exactly those rows, with file line numbers intact.
        #[test]
        fn valid_rows_read_back_exactly(
            specs in proptest::collection::vec(row_spec(), 1..40),
            order in Just(vec![0usize, 1, 2, 3, 4]).prop_shuffle(),
            encoding in 0u8..3,
            crlf in any::<bool>(),
        ) {
            let headers = ["番号1", "番号2", "生年月日", "氏名", "フリガナ"];
            let mut writer = csv::WriterBuilder::new()
                .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .from_writer(Vec::new());
            writer.write_record(order.iter().map(|&i| headers[i])).unwrap();
            let mut expected = Vec::new();
            for (i, spec) in specs.iter().enumerate() {
                let number2 = format!("PROP{i:014}");
                let cells = [
                    spec.number1.clone(),
                    number2.clone(),
                    date_text(spec.birthdate, spec.date_style),
                    spec.name.clone(),
                    spec.kana.clone(),
                ];
                writer.write_record(order.iter().map(|&i| cells[i].as_str())).unwrap();
                expected.push(NewNotice {
                    number1: spec.number1.clone(),
                    number2,
                    birthdate: spec.birthdate,
                    name: spec.name.clone(),
                    kana: spec.kana.clone(),
                });
            }
            let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
            let bytes = match encoding {
                0 => text.into_bytes(),
                1 => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
                _ => SHIFT_JIS.encode(&text).0.into_owned(),
            };
            let p = parse(&bytes).unwrap();
            prop_assert_eq!(&p.errors, &Vec::<RowError>::new());
            prop_assert_eq!(p.data_lines, specs.len());
            prop_assert_eq!(p.rows, expected);
        }

        /// No input makes the reader panic; whatever it says has a line inside the file.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            if let Ok(p) = parse(&bytes) {
                let lines = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
                for e in &p.errors {
                    prop_assert!(e.line >= 2 && e.line <= lines, "{e:?}");
                }
            }
        }

        /// Arbitrary text after a valid header: every error points at a data line.
        #[test]
        fn arbitrary_rows_never_panic(body in "[A-Z0-9,\"\r\n 昭和年月日ア-]{0,300}") {
            let text = format!("番号1,番号2,生年月日\n{body}");
            if let Ok(p) = parse(text.as_bytes()) {
                let lines = text.matches('\n').count() + text.matches('\r').count() + 1;
                prop_assert!(p.rows.len() <= p.data_lines);
                for e in &p.errors {
                    prop_assert!(e.line >= 2 && e.line <= lines, "{e:?}");
                }
            }
        }
    }
}

#[test]
fn megabytes_round_up_to_a_tenth() {
    assert_eq!(megabytes(20 * 1024 * 1024), "20MB");
    assert_eq!(megabytes(20 * 1024 * 1024 + 1), "20.1MB");
    assert_eq!(megabytes(1), "0.1MB");
}
