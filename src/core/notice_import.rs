//! Reads the issued-notice list (交付対象者一覧) a municipality exports from its own system:
//! a CSV in UTF-8 (with or without BOM) or Shift_JIS/CP932, a header row naming the columns
//! in any order, one notice per row. Every row is checked with the same parsers the resident
//! form uses, and every problem is reported with its line, column and a Japanese reason, so
//! the file can be fixed in one go. No I/O: bytes in, a preview out.
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use encoding_rs::SHIFT_JIS;
use time::Date;
use unicode_normalization::UnicodeNormalization;

use crate::core::resident_input::{NumberFormat, clean_text, parse_birthdate, parse_kana};
use crate::db::notices::NewNotice;

#[cfg(test)]
mod line_tests;
mod lines;
pub mod table;

pub use table::{ColumnMap, ListColumn, RowCheck, Table, read_table};

/// The largest file accepted (20 MB): about 250,000 typical rows, well over the row limit.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The most data rows one file may hold; a larger list is imported in parts.
pub const MAX_DATA_ROWS: usize = 100_000;
/// Longest name kept, as on the resident's booking form.
pub const NAME_MAX_CHARS: usize = 50;
/// Longest furigana kept.
pub const KANA_MAX_CHARS: usize = 100;

pub const ENCODING_UTF8: &str = "UTF-8";
pub const ENCODING_UTF8_BOM: &str = "UTF-8(BOM付き)";
pub const ENCODING_SHIFT_JIS: &str = "Shift_JIS(CP932)";

/// The exact sentence shown for a file in neither accepted encoding.
pub const UNKNOWN_ENCODING: &str =
    "文字コードを判別できません。UTF-8またはShift_JIS(CP932)のCSVで保存してください。";

/// How much is read at most; tests pass small limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_rows: usize,
}

impl Limits {
    pub const STANDARD: Limits = Limits {
        max_bytes: MAX_FILE_BYTES,
        max_rows: MAX_DATA_ROWS,
    };
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::STANDARD
    }
}

/// The columns the import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Number1,
    Number2,
    Birthdate,
    Name,
    Kana,
}

impl Column {
    pub const ALL: [Column; 5] = [
        Column::Number1,
        Column::Number2,
        Column::Birthdate,
        Column::Name,
        Column::Kana,
    ];

    /// The column's Japanese name, used in every message.
    pub fn label(self) -> &'static str {
        match self {
            Column::Number1 => "番号1",
            Column::Number2 => "番号2",
            Column::Birthdate => "生年月日",
            Column::Name => "氏名",
            Column::Kana => "フリガナ",
        }
    }

    /// Header names accepted for the column (compared after [`normalise_header`]).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::Number1 => &["番号1", "交付通知書番号", "通知書番号", "number1"],
            Column::Number2 => &["番号2", "number2"],
            Column::Birthdate => &["生年月日", "誕生日", "birthdate"],
            Column::Name => &["氏名", "名前", "name"],
            Column::Kana => &["フリガナ", "カナ", "ふりがな", "kana"],
        }
    }

    pub fn required(self) -> bool {
        matches!(self, Column::Number1 | Column::Number2 | Column::Birthdate)
    }

    fn from_header(cell: &str) -> Option<Column> {
        <Column as ListColumn>::from_header(cell)
    }
}

impl ListColumn for Column {
    fn all() -> &'static [Column] {
        &Column::ALL
    }
    fn label(self) -> &'static str {
        Column::label(self)
    }
    fn aliases(self) -> &'static [&'static str] {
        Column::aliases(self)
    }
    fn required(self) -> bool {
        Column::required(self)
    }
}

/// Folds a header cell so that width, case, spaces, underscores and a stray BOM do not
/// matter: "番号１", " Number_1 ", "\u{FEFF}番号1" and "ﾌﾘｶﾞﾅ" all find their column.
pub fn normalise_header(cell: &str) -> String {
    cell.nfkc()
        .filter(|&c| !(c.is_whitespace() || c == '_' || is_zero_width(c)))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

pub(crate) fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// One problem in one row: the line as an editor or Excel numbers it (the header is
/// line 1), the column's Japanese name, and the parser's sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub field: &'static str,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}行目: {}: {}", self.line, self.field, self.reason)
    }
}

/// Field name of errors that concern the whole row rather than one column.
pub const WHOLE_ROW: &str = "行全体";

/// What a file would import (notices, or the rows of another list). Nothing is committed
/// while `errors` is not empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPreview<R = NewNotice> {
    /// The encoding the file was read in, for the preview ("UTF-8", "Shift_JIS(CP932)").
    pub encoding: &'static str,
    /// The rows that passed every check, in file order.
    pub rows: Vec<R>,
    pub errors: Vec<RowError>,
    /// Data rows read (blank rows not counted).
    pub data_lines: usize,
    /// Header cells that name no known column; their values are not read.
    pub ignored_columns: Vec<String>,
}

impl<R> ImportPreview<R> {
    /// True when the file can be committed as it is.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty() && !self.rows.is_empty()
    }
}

/// Why a file could not be read as a list at all (as opposed to a row being wrong).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// No file was chosen on the form.
    NoFile,
    /// Zero bytes, or nothing but blank lines.
    Empty,
    TooLarge {
        bytes: usize,
        max: usize,
    },
    UnknownEncoding(EncodingHint),
    MissingColumns {
        missing: Vec<&'static str>,
        found: Vec<String>,
    },
    /// Two header cells name the same column; `first` and `second` count from 1.
    DuplicateColumn {
        column: &'static str,
        first: (usize, String),
        second: (usize, String),
    },
    /// A header and nothing else.
    NoDataRows,
    TooManyRows {
        max: usize,
    },
    /// The CSV reader itself failed (not expected once the text is decoded).
    Csv {
        line: usize,
        detail: String,
    },
}

/// What an undecodable file most likely is, to say how to fix it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingHint {
    Utf16,
    Spreadsheet,
    Mixed,
    Binary,
    None,
}

fn megabytes(bytes: usize) -> String {
    let tenths = (bytes as u64 * 10).div_ceil(1024 * 1024);
    if tenths.is_multiple_of(10) {
        format!("{}MB", tenths / 10)
    } else {
        format!("{}.{}MB", tenths / 10, tenths % 10)
    }
}

/// The header cells as a reader should see them in a message: trimmed, shortened, the
/// empty ones named as such, at most 20.
fn list_found(found: &[String]) -> String {
    if found.is_empty() {
        return "(なし)".to_string();
    }
    let mut shown: Vec<String> = found
        .iter()
        .take(20)
        .map(|h| {
            let h = h.trim();
            if h.is_empty() {
                "(空欄)".to_string()
            } else if h.chars().count() > 30 {
                format!("「{}…」", h.chars().take(30).collect::<String>())
            } else {
                format!("「{h}」")
            }
        })
        .collect();
    if found.len() > 20 {
        shown.push(format!("ほか{}列", found.len() - 20));
    }
    shown.join("、")
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::NoFile => write!(
                f,
                "ファイルが選択されていません。取り込むCSVファイルを選んでください。"
            ),
            FileError::Empty => write!(
                f,
                "ファイルが空です。交付対象者の一覧(CSV)を選んでください。"
            ),
            FileError::TooLarge { bytes, max } => write!(
                f,
                "ファイルが大きすぎます({})。{}までのCSVにしてください(大きな一覧は分けて取り込めます)。",
                megabytes(*bytes),
                megabytes(*max)
            ),
            FileError::UnknownEncoding(hint) => {
                write!(f, "{UNKNOWN_ENCODING}")?;
                match hint {
                    EncodingHint::Utf16 => {
                        write!(f, "(このファイルはUTF-16で保存されているようです。)")
                    }
                    EncodingHint::Spreadsheet => write!(
                        f,
                        "(Excelのブック形式(.xlsx/.xls)のファイルのようです。「名前を付けて保存」でCSV形式を選んでください。)"
                    ),
                    EncodingHint::Mixed => {
                        write!(f, "(UTF-8とShift_JISの文字が混在しているようです。)")
                    }
                    EncodingHint::Binary => write!(
                        f,
                        "(文字以外のデータが含まれています。CSVファイルか確認してください。)"
                    ),
                    EncodingHint::None => Ok(()),
                }
            }
            FileError::MissingColumns { missing, found } => {
                write!(
                    f,
                    "必要な列がありません: {}。1行目(見出し行)にあった列: {}。",
                    missing.join("、"),
                    list_found(found)
                )?;
                let required_found = found
                    .iter()
                    .filter_map(|h| Column::from_header(h))
                    .any(Column::required);
                if !required_found {
                    write!(f, "1行目が列名(見出し)の行になっているか確認してください。")?;
                }
                write!(f, "{}", accepted_names_sentence())
            }
            FileError::DuplicateColumn {
                column,
                first,
                second,
            } => write!(
                f,
                "「{column}」にあたる列が2つあります({}列目「{}」と{}列目「{}」)。どちらか一方にしてください。",
                first.0,
                first.1.trim(),
                second.0,
                second.1.trim()
            ),
            FileError::NoDataRows => write!(
                f,
                "見出し行のほかにデータの行がありません。取り込む交付対象者の行を入れてください。"
            ),
            FileError::TooManyRows { max } => write!(
                f,
                "データの行が多すぎます。1回に取り込めるのは{max}行までです。ファイルを分けて取り込んでください。"
            ),
            FileError::Csv { line, detail } => {
                write!(f, "{line}行目をCSVとして読み取れませんでした({detail})。")
            }
        }
    }
}

impl std::error::Error for FileError {}

/// "列名は次のいずれかにしてください: 番号1(または交付通知書番号・…)…"
pub fn accepted_names_sentence() -> String {
    let parts: Vec<String> = Column::ALL
        .iter()
        .map(|c| {
            let others: Vec<&str> = c.aliases().iter().skip(1).copied().collect();
            format!(
                "{}{}(または{})",
                c.label(),
                if c.required() { "【必須】" } else { "" },
                others.join("・")
            )
        })
        .collect();
    format!("使える列名: {}。", parts.join("、"))
}

/// The text of the file and the name of its encoding.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static str,
}

/// Decodes the file: UTF-8 (a BOM is dropped), else Shift_JIS as Windows writes it
/// (encoding_rs's SHIFT_JIS is CP932, NEC and IBM extensions included). Anything else —
/// UTF-16, a spreadsheet, binary, a file where UTF-8 and Shift_JIS lines were pasted
/// together — is refused rather than imported as garbage.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, FileError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(FileError::UnknownEncoding(EncodingHint::Utf16));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(FileError::UnknownEncoding(EncodingHint::Spreadsheet));
    }
    let decoded = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        match std::str::from_utf8(rest) {
            Ok(text) => Decoded {
                text: Cow::Borrowed(text),
                encoding: ENCODING_UTF8_BOM,
            },
            Err(_) => return Err(FileError::UnknownEncoding(mixed_or_none(rest))),
        }
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        Decoded {
            text: Cow::Borrowed(text),
            encoding: ENCODING_UTF8,
        }
    } else {
        if looks_mixed(bytes) {
            return Err(FileError::UnknownEncoding(EncodingHint::Mixed));
        }
        match SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(text) => Decoded {
                text,
                encoding: ENCODING_SHIFT_JIS,
            },
            None => return Err(FileError::UnknownEncoding(EncodingHint::None)),
        }
    };
    // No text file holds NUL: UTF-16 without a BOM (every other byte zero) or binary.
    let nuls = decoded.text.bytes().filter(|&b| b == 0).count();
    if nuls > 0 {
        let hint = if nuls * 4 >= bytes.len() {
            EncodingHint::Utf16
        } else {
            EncodingHint::Binary
        };
        return Err(FileError::UnknownEncoding(hint));
    }
    Ok(decoded)
}

fn mixed_or_none(bytes: &[u8]) -> EncodingHint {
    if SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some()
    {
        EncodingHint::Mixed
    } else {
        EncodingHint::None
    }
}

/// True when some lines are valid UTF-8 with Japanese text and others are not UTF-8 at
/// all: Shift_JIS often decodes such a file "successfully" into nonsense. A Shift_JIS line
/// with kana practically never passes as UTF-8 (its lead bytes 0x81–0x9F are UTF-8
/// continuation bytes), so a pure Shift_JIS file is not caught by this.
fn looks_mixed(bytes: &[u8]) -> bool {
    let mut utf8_japanese = false;
    let mut not_utf8 = false;
    for line in bytes.split(|&b| b == b'\n') {
        if line.is_ascii() {
            continue;
        }
        match std::str::from_utf8(line) {
            Ok(text) => {
                if text.chars().any(|c| c >= '\u{3000}') {
                    utf8_japanese = true;
                }
            }
            Err(_) => not_utf8 = true,
        }
        if utf8_japanese && not_utf8 {
            return true;
        }
    }
    false
}

/// Reads and checks the whole file. `Err` is a problem with the file as a whole (nothing
/// else is reported then); problems with rows are in the preview's `errors`.
pub fn parse_notice_file(
    bytes: &[u8],
    number1: &NumberFormat,
    number2: &NumberFormat,
    today: Date,
    limits: Limits,
) -> Result<ImportPreview, FileError> {
    let table = read_table::<Column>(bytes, limits)?;
    let map = table.map;
    let data = table.rows;

    let mut rows = Vec::with_capacity(data.len());
    let mut errors = Vec::new();
    let mut seen_number2: HashMap<String, usize> = HashMap::with_capacity(data.len());
    for (line, record) in &data {
        let line = *line;
        let checked = check_row(record, line, &map, number1, number2, today, &mut errors);
        // A repeated number 2 is reported even when the row has other problems too, so
        // one pass over the file finds everything.
        let duplicate = checked.number2.and_then(|n2| match seen_number2.get(&n2) {
            Some(&first) => Some(first),
            None => {
                seen_number2.insert(n2, line);
                None
            }
        });
        if let Some(first) = duplicate {
            errors.push(RowError {
                line,
                field: Column::Number2.label(),
                reason: format!("番号2が{first}行目と重複しています。"),
            });
        } else if let Some(notice) = checked.notice {
            rows.push(notice);
        }
    }
    Ok(ImportPreview {
        encoding: table.encoding,
        rows,
        errors,
        data_lines: data.len(),
        ignored_columns: map.ignored,
    })
}

/// One row after its checks: the notice when nothing was wrong, and its number 2 when
/// that column at least was right (for the duplicate check).
struct Checked {
    notice: Option<NewNotice>,
    number2: Option<String>,
}

/// Checks one row and pushes its errors.
fn check_row(
    record: &csv::StringRecord,
    line: usize,
    map: &ColumnMap<Column>,
    number1: &NumberFormat,
    number2: &NumberFormat,
    today: Date,
    errors: &mut Vec<RowError>,
) -> Checked {
    if let Some(overflow) = map.overflow(record, line) {
        errors.push(overflow);
        return Checked {
            notice: None,
            number2: None,
        };
    }
    let mut row = RowCheck::new(line);
    let n1 = row.cell(map, record, Column::Number1).and_then(|v| {
        let r = number1.parse_number(Column::Number1.label(), v);
        row.check(Column::Number1, r.map_err(|e| e.message()))
    });
    let n2 = row.cell(map, record, Column::Number2).and_then(|v| {
        let r = number2.parse_number(Column::Number2.label(), v);
        row.check(Column::Number2, r.map_err(|e| e.message()))
    });
    let birthdate = row.cell(map, record, Column::Birthdate).and_then(|v| {
        let r = parse_birthdate(v, today);
        row.check(Column::Birthdate, r.map_err(|e| e.message()))
    });
    let name = row.cell(map, record, Column::Name).and_then(|v| {
        let r = clean_text(v, NAME_MAX_CHARS);
        row.check(Column::Name, r.map_err(|e| e.message()))
    });
    let kana = row.cell(map, record, Column::Kana).and_then(|v| {
        let r = check_kana(v);
        row.check(Column::Kana, r)
    });
    let clean = row.errors.is_empty();
    errors.append(&mut row.errors);
    let notice = match (clean, n1, n2.clone(), birthdate, name, kana) {
        (true, Some(number1), Some(number2), Some(birthdate), Some(name), Some(kana)) => {
            Some(NewNotice {
                number1,
                number2,
                birthdate,
                name,
                kana,
            })
        }
        _ => None,
    };
    Checked {
        notice,
        number2: n2,
    }
}

/// Furigana is optional; when given it must be kana, and not absurdly long.
pub fn check_kana(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        return Ok(String::new());
    }
    let kana = parse_kana(value).map_err(|e| e.message())?;
    let got = kana.chars().count();
    if got > KANA_MAX_CHARS {
        return Err(format!(
            "{KANA_MAX_CHARS}文字以内で入力してください(いまは{got}文字です)。"
        ));
    }
    Ok(kana)
}

/// The report an operator reads: one line per problem, "12行目: 番号1: …".
pub fn report_lines(errors: &[RowError]) -> impl Iterator<Item = String> + '_ {
    errors.iter().map(RowError::to_string)
}

// ---------------------------------------------------------------------------
// The stored form of a validated upload, between preview and commit
// ---------------------------------------------------------------------------

const PAYLOAD_VERSION: u32 = 1;

#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    v: u32,
    /// number1, number2, birthdate (YYYY-MM-DD), name, kana.
    rows: Vec<(String, String, String, String, String)>,
}

/// The validated rows as stored in `notice_imports.payload` (JSON, already canonical).
pub fn encode_payload(rows: &[NewNotice]) -> String {
    let payload = Payload {
        v: PAYLOAD_VERSION,
        rows: rows
            .iter()
            .map(|r| {
                (
                    r.number1.clone(),
                    r.number2.clone(),
                    format!(
                        "{:04}-{:02}-{:02}",
                        r.birthdate.year(),
                        u8::from(r.birthdate.month()),
                        r.birthdate.day()
                    ),
                    r.name.clone(),
                    r.kana.clone(),
                )
            })
            .collect(),
    };
    serde_json::to_string(&payload).expect("strings and numbers always serialise")
}

/// Reads a stored payload back.
pub fn decode_payload(text: &str) -> Result<Vec<NewNotice>, String> {
    let payload: Payload = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if payload.v != PAYLOAD_VERSION {
        return Err(format!("unknown payload version {}", payload.v));
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    payload
        .rows
        .into_iter()
        .map(|(number1, number2, birthdate, name, kana)| {
            Ok(NewNotice {
                number1,
                number2,
                birthdate: Date::parse(&birthdate, &format)
                    .map_err(|e| format!("{birthdate}: {e}"))?,
                name,
                kana,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
        let mut mixed =
            "番号1,番号2,生年月日,氏名\nABC123456,ABCDEFGHJK12345678,19720415,山田 太郎\n"
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
            "番号1,番号2,生年月日,氏名,フリガナ\nABC123456,ABCDEFGHJK12345678,19720415,,\n"
                .as_bytes(),
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
                "3行目: 番号1: 番号1は数字8桁で入力してください(入力されたのは4桁です)。"
                    .to_string(),
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
                "2行目: 番号1: 番号1は英数字9桁で入力してください(入力されたのは1桁です)。"
                    .to_string()
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
}
