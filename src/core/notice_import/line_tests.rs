//! The error report's line numbers are the file's own, for every line end (LF, CRLF as
//! Excel writes, CR as old Macs wrote) in every accepted encoding, through blank lines and
//! quoted values that hold line breaks.
use encoding_rs::SHIFT_JIS;
use time::macros::date;

use super::*;

/// A list whose problems are on known lines. Lines 5–6 are one record (a quoted remark over
/// two lines, which is fine), lines 8–9 another (a name with a break, which is not: it is
/// reported at line 8, where the record starts).
fn list(nl: &str) -> String {
    [
        "番号1,番号2,生年月日,氏名,備考",
        "ABC123456,ABCDEFGHJK12345678,19720415,山田 太郎,",
        "ABC12345X,ABCDEFGHJK12345679,19720415,佐藤 花子,",
        "",
        &format!("ABC123457,ABCDEFGHJK12345670,19720415,鈴木 一郎,\"二行に{nl}わたる備考\""),
        "ABC12345Y,ABCDEFGHJK12345671,19720415,田中 実,",
        &format!("ABC123458,ABCDEFGHJK12345672,19720415,\"高橋{nl}次郎\","),
        "ABC123459,ABCDEFGHJK12345672,19720415,伊藤 誠,",
        "\"ABC12345Z\",ABCDEFGHJK12345673,19720415,\"渡辺, 健\",",
    ]
    .join(nl)
}

/// What the report says of [`list`], whatever its line ends and encoding.
const EXPECTED: [&str; 5] = [
    "3行目: 番号1: 番号1の9桁目は数字です(「X」が入力されています)。",
    "7行目: 番号1: 番号1の9桁目は数字です(「Y」が入力されています)。",
    "8行目: 氏名: 値の中に改行があります。「\"」の閉じ忘れがないか確認してください。",
    "10行目: 番号2: 番号2が8行目と重複しています。",
    "11行目: 番号1: 番号1の9桁目は数字です(「Z」が入力されています)。",
];

#[derive(Clone, Copy, Debug)]
enum Encoding {
    Utf8,
    Utf8Bom,
    ShiftJis,
}

fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        Encoding::ShiftJis => {
            let (bytes, _, unmappable) = SHIFT_JIS.encode(text);
            assert!(!unmappable);
            bytes.into_owned()
        }
    }
}

fn report(bytes: &[u8]) -> (ImportPreview, Vec<String>) {
    let preview = parse_notice_file(
        bytes,
        &NumberFormat::notice_number_1(),
        &NumberFormat::notice_number_2(),
        date!(2026 - 12 - 01),
        Limits::STANDARD,
    )
    .expect("the file is readable");
    let lines = report_lines(&preview.errors).collect();
    (preview, lines)
}

fn check(nl: &str, encoding: Encoding, encoding_name: &str) {
    for trailing in ["", nl] {
        let text = format!("{}{trailing}", list(nl));
        let (preview, lines) = report(&encode(&text, encoding));
        assert_eq!(lines, EXPECTED, "{nl:?} {encoding:?} trailing {trailing:?}");
        assert_eq!(preview.encoding, encoding_name);
        // Rows 2 and 5–6 are the good ones; the remark's break is kept as written.
        assert_eq!(preview.data_lines, 7);
        let names: Vec<&str> = preview.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["山田 太郎", "鈴木 一郎"]);
        assert_eq!(preview.ignored_columns, ["備考"]);
    }
}

#[test]
fn lf_utf8() {
    check("\n", Encoding::Utf8, ENCODING_UTF8);
}

#[test]
fn lf_utf8_with_bom() {
    check("\n", Encoding::Utf8Bom, ENCODING_UTF8_BOM);
}

#[test]
fn lf_shift_jis() {
    check("\n", Encoding::ShiftJis, ENCODING_SHIFT_JIS);
}

#[test]
fn crlf_utf8() {
    check("\r\n", Encoding::Utf8, ENCODING_UTF8);
}

#[test]
fn crlf_utf8_with_bom() {
    check("\r\n", Encoding::Utf8Bom, ENCODING_UTF8_BOM);
}

#[test]
fn crlf_shift_jis_as_excel_writes() {
    check("\r\n", Encoding::ShiftJis, ENCODING_SHIFT_JIS);
}

#[test]
fn cr_utf8() {
    check("\r", Encoding::Utf8, ENCODING_UTF8);
}

#[test]
fn cr_utf8_with_bom() {
    check("\r", Encoding::Utf8Bom, ENCODING_UTF8_BOM);
}

#[test]
fn cr_shift_jis() {
    check("\r", Encoding::ShiftJis, ENCODING_SHIFT_JIS);
}

/// The issue's own case: an Excel file (CRLF, no blank lines) with problems on lines 3 and
/// 5, which used to be reported as 「4行目」 and 「8行目」.
#[test]
fn an_excel_file_reports_lines_3_and_5_as_3_and_5() {
    let text = [
        "番号1,番号2,生年月日,氏名",
        "ABC123456,ABCDEFGHJK12345678,19720415,山田",
        "ABC12345X,ABCDEFGHJK12345679,19720415,佐藤",
        "ABC123457,ABCDEFGHJK12345677,19720415,鈴木",
        "ABC12345X,ABCDEFGHJK12345676,19720415,田中",
        "",
    ]
    .join("\r\n");
    for encoding in [Encoding::Utf8, Encoding::ShiftJis] {
        let (_, lines) = report(&encode(&text, encoding));
        let numbers: Vec<&str> = lines.iter().map(|l| l.split(':').next().unwrap()).collect();
        assert_eq!(numbers, ["3行目", "5行目"], "{encoding:?}");
    }
}

/// A quote never closed swallows the rest of the file into one record, reported where it
/// starts, for every line end.
#[test]
fn an_unclosed_quote_is_at_its_own_line_for_every_line_end() {
    for nl in ["\n", "\r\n", "\r"] {
        let text = [
            "番号1,番号2,生年月日,氏名",
            "",
            "ABC12345X,ABCDEFGHJK12345678,19720415,佐藤",
            "ABC123456,ABCDEFGHJK12345679,19720415,\"山田",
            "ABC123457,ABCDEFGHJK12345670,19720415,鈴木",
            "",
        ]
        .join(nl);
        let (_, lines) = report(&encode(&text, Encoding::ShiftJis));
        assert_eq!(lines.len(), 2, "{nl:?} {lines:?}");
        assert!(lines[0].starts_with("3行目: 番号1: "), "{nl:?} {lines:?}");
        assert!(
            lines[1].starts_with("4行目: 氏名: 値の中に改行があります。"),
            "{nl:?} {lines:?}"
        );
    }
}
