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
mod tests;
