//! Reads the vaccination ticket list (接種券の一覧) a municipality exports: a CSV read exactly
//! as the notice list is (UTF-8 with or without BOM, or Shift_JIS/CP932; a header row naming
//! the columns in any order; every problem reported with its line, column and a Japanese
//! reason), one ticket per row. Values are read by the parsers the resident's login and the
//! staff forms use, so what imports is what a resident can log in with. No I/O.
use std::collections::HashMap;
use std::fmt;

use time::Date;

use crate::core::notice_import::{
    FileError, ImportPreview, KANA_MAX_CHARS, Limits, ListColumn, NAME_MAX_CHARS, RowCheck,
    RowError, check_kana, read_table,
};
use crate::core::resident_input::{BirthdateError, clean_text, parse_birthdate};
use crate::core::vaccination::dose::DoseNumber;
use crate::core::vaccination::ticket_number::TicketNumber;
use crate::db::tickets::NewTicket;

#[cfg(test)]
mod tests;

/// The columns of the ticket list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TicketColumn {
    Number,
    Birthdate,
    Dose,
    PreviousDose,
    Name,
    Kana,
}

impl TicketColumn {
    pub const ALL: [TicketColumn; 6] = [
        TicketColumn::Number,
        TicketColumn::Birthdate,
        TicketColumn::Dose,
        TicketColumn::PreviousDose,
        TicketColumn::Name,
        TicketColumn::Kana,
    ];
}

impl ListColumn for TicketColumn {
    fn all() -> &'static [TicketColumn] {
        &TicketColumn::ALL
    }

    fn label(self) -> &'static str {
        match self {
            TicketColumn::Number => "接種券番号",
            TicketColumn::Birthdate => "生年月日",
            TicketColumn::Dose => "接種回",
            TicketColumn::PreviousDose => "前回接種日",
            TicketColumn::Name => "氏名",
            TicketColumn::Kana => "フリガナ",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            TicketColumn::Number => &["接種券番号", "券番号", "ticket_number"],
            TicketColumn::Birthdate => &["生年月日", "誕生日", "birthdate"],
            TicketColumn::Dose => &["接種回", "接種回数", "dose"],
            TicketColumn::PreviousDose => &["前回接種日", "前回の接種日", "previous_dose"],
            TicketColumn::Name => &["氏名", "名前", "name"],
            TicketColumn::Kana => &["フリガナ", "カナ", "ふりがな", "kana"],
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            TicketColumn::Number | TicketColumn::Birthdate | TicketColumn::Dose
        )
    }
}

/// The columns as the upload page explains them: label, the other names, required, and
/// how to write the value.
pub fn column_help() -> Vec<(&'static str, String, bool, String)> {
    TicketColumn::ALL
        .iter()
        .map(|&c| {
            let how = match c {
                TicketColumn::Number => "数字10桁。ハイフンや全角数字があっても読み取ります。ファイルの中で同じ接種券番号は1回だけにしてください。".to_string(),
                TicketColumn::Birthdate => {
                    "「19720415」「1972/4/15」「昭和47年4月15日」「S47.4.15」など。".to_string()
                }
                TicketColumn::Dose => "この接種券で受ける接種。「1」「１」「1回目」など。".to_string(),
                TicketColumn::PreviousDose => {
                    "前回の接種を受けた日(わかる場合)。書き方は生年月日と同じです。空欄でも構いません。".to_string()
                }
                TicketColumn::Name => format!("{NAME_MAX_CHARS}文字まで。"),
                TicketColumn::Kana => format!(
                    "カタカナ{KANA_MAX_CHARS}文字まで(ひらがな・半角カナはカタカナにします)。"
                ),
            };
            (
                c.label(),
                c.aliases()[1..].join("、"),
                c.required(),
                how,
            )
        })
        .collect()
}

/// A problem with the ticket list as a whole: the notice list's, in the ticket list's words
/// where they differ (what the file should hold, which columns it must have).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketFileError(pub FileError);

impl From<FileError> for TicketFileError {
    fn from(e: FileError) -> TicketFileError {
        TicketFileError(e)
    }
}

impl fmt::Display for TicketFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            FileError::Empty => write!(f, "ファイルが空です。接種券の一覧(CSV)を選んでください。"),
            FileError::NoDataRows => write!(
                f,
                "見出し行のほかにデータの行がありません。取り込む接種券の行を入れてください。"
            ),
            FileError::MissingColumns { missing, found } => {
                let shown: Vec<String> = found
                    .iter()
                    .take(20)
                    .map(|h| {
                        if h.is_empty() {
                            "(空欄)".to_string()
                        } else {
                            format!("「{}」", h.chars().take(30).collect::<String>())
                        }
                    })
                    .collect();
                write!(
                    f,
                    "必要な列がありません: {}。1行目(見出し行)にあった列: {}。",
                    missing.join("、"),
                    if shown.is_empty() {
                        "(なし)".to_string()
                    } else {
                        shown.join("、")
                    }
                )?;
                let required_found = found
                    .iter()
                    .filter_map(|h| TicketColumn::from_header(h))
                    .any(ListColumn::required);
                if !required_found {
                    write!(f, "1行目が列名(見出し)の行になっているか確認してください。")?;
                }
                write!(f, "{}", accepted_names_sentence())
            }
            other => other.fmt(f),
        }
    }
}

impl std::error::Error for TicketFileError {}

/// "使える列名: 接種券番号【必須】(または券番号・ticket_number)、…。"
pub fn accepted_names_sentence() -> String {
    let parts: Vec<String> = TicketColumn::ALL
        .iter()
        .map(|c| {
            format!(
                "{}{}(または{})",
                c.label(),
                if c.required() { "【必須】" } else { "" },
                c.aliases()[1..].join("・")
            )
        })
        .collect();
    format!("使える列名: {}。", parts.join("、"))
}

/// What a ticket list would import.
pub type TicketPreview = ImportPreview<NewTicket>;

/// Reads and checks the whole file. `Err` is a problem with the file as a whole; problems
/// with rows are in the preview's `errors`.
pub fn parse_ticket_file(
    bytes: &[u8],
    today: Date,
    limits: Limits,
) -> Result<TicketPreview, TicketFileError> {
    let table = read_table::<TicketColumn>(bytes, limits)?;
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(table.rows.len());
    for (line, record) in &table.rows {
        let line = *line;
        if let Some(overflow) = table.map.overflow(record, line) {
            errors.push(overflow);
            continue;
        }
        let mut row = RowCheck::new(line);
        let checked = check_row(&mut row, &table.map, record, today);
        errors.append(&mut row.errors);
        // A repeated number is reported even when the row has other problems, so one pass
        // finds everything; the first row keeps the number.
        if let Some(number) = &checked.number {
            if let Some(&first) = seen.get(number) {
                errors.push(RowError {
                    line,
                    field: TicketColumn::Number.label(),
                    reason: format!("接種券番号が{first}行目と重複しています。"),
                });
                continue;
            }
            seen.insert(number.clone(), line);
        }
        if let Some(ticket) = checked.ticket {
            rows.push(ticket);
        }
    }
    Ok(ImportPreview {
        encoding: table.encoding,
        rows,
        errors,
        data_lines: table.rows.len(),
        ignored_columns: table.map.ignored,
    })
}

struct Checked {
    ticket: Option<NewTicket>,
    /// The number when that column at least was right (for the duplicate check).
    number: Option<String>,
}

fn check_row(
    row: &mut RowCheck,
    map: &crate::core::notice_import::ColumnMap<TicketColumn>,
    record: &csv::StringRecord,
    today: Date,
) -> Checked {
    let before = row.errors.len();
    let number = row.cell(map, record, TicketColumn::Number).and_then(|v| {
        let r = TicketNumber::parse(v).map(|n| n.as_str().to_string());
        row.check(TicketColumn::Number, r.map_err(|e| e.to_string()))
    });
    let birthdate = row
        .cell(map, record, TicketColumn::Birthdate)
        .and_then(|v| {
            let r = parse_birthdate(v, today).map_err(|e| e.message());
            row.check(TicketColumn::Birthdate, r)
        });
    let dose = row.cell(map, record, TicketColumn::Dose).and_then(|v| {
        let r = DoseNumber::parse(v).map_err(|e| e.to_string());
        row.check(TicketColumn::Dose, r)
    });
    let previous = row
        .cell(map, record, TicketColumn::PreviousDose)
        .and_then(|v| {
            let r = parse_previous_dose(v, birthdate, today);
            row.check(TicketColumn::PreviousDose, r)
        });
    let name = row.cell(map, record, TicketColumn::Name).and_then(|v| {
        let r = clean_text(v, NAME_MAX_CHARS).map_err(|e| e.message());
        row.check(TicketColumn::Name, r)
    });
    let kana = row.cell(map, record, TicketColumn::Kana).and_then(|v| {
        let r = check_kana(v);
        row.check(TicketColumn::Kana, r)
    });
    let clean = row.errors.len() == before;
    let ticket = match (clean, number.clone(), birthdate, dose, previous, name, kana) {
        (
            true,
            Some(ticket_number),
            Some(birthdate),
            Some(dose),
            Some(previous),
            Some(name),
            Some(kana),
        ) => Some(NewTicket {
            ticket_number,
            birthdate,
            dose_number: i32::from(dose.get()),
            name,
            kana,
            previous_dose_on: previous,
        }),
        _ => None,
    };
    Checked { ticket, number }
}

/// The day of the previous dose, when given: read as a birthdate is (8-digit Western date
/// or the era forms), never in the future (parse_birthdate refuses those), and not before
/// the person was born. `birthdate` is None when that column was wrong; the comparison is
/// then left until it is fixed.
pub fn parse_previous_dose(
    value: &str,
    birthdate: Option<Date>,
    today: Date,
) -> Result<Option<Date>, String> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    let day = parse_birthdate(value, today).map_err(|e| date_message(&e, "前回接種日"))?;
    if let Some(born) = birthdate
        && day < born
    {
        return Err(
            "前回接種日が生年月日より前になっています。日付を確認してください。".to_string(),
        );
    }
    Ok(Some(day))
}

/// The date parser's sentence about a date other than the birthdate: its own words name
/// the birthday (誕生日), which would send the reader to the wrong column.
pub fn date_message(e: &BirthdateError, label: &str) -> String {
    e.message().replace("誕生日", label)
}

/// The report an operator reads: one line per problem, "12行目: 接種回: …".
pub fn report_lines(errors: &[RowError]) -> impl Iterator<Item = String> + '_ {
    errors.iter().map(RowError::to_string)
}

// ---------------------------------------------------------------------------
// The stored form of a validated upload, between preview and commit
// ---------------------------------------------------------------------------

const PAYLOAD_VERSION: u32 = 1;

/// ticket number, birthdate, dose, name, kana, previous dose (dates as YYYY-MM-DD).
type PayloadRow = (String, String, i32, String, String, Option<String>);

#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    v: u32,
    rows: Vec<PayloadRow>,
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The validated rows as stored in `notice_imports.payload` (kind `tickets`).
pub fn encode_payload(rows: &[NewTicket]) -> String {
    let payload = Payload {
        v: PAYLOAD_VERSION,
        rows: rows
            .iter()
            .map(|r| {
                (
                    r.ticket_number.clone(),
                    iso(r.birthdate),
                    r.dose_number,
                    r.name.clone(),
                    r.kana.clone(),
                    r.previous_dose_on.map(iso),
                )
            })
            .collect(),
    };
    serde_json::to_string(&payload).expect("strings and numbers always serialise")
}

/// Reads a stored payload back.
pub fn decode_payload(text: &str) -> Result<Vec<NewTicket>, String> {
    let payload: Payload = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if payload.v != PAYLOAD_VERSION {
        return Err(format!("unknown payload version {}", payload.v));
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = |s: &str| Date::parse(s, &format).map_err(|e| format!("{s}: {e}"));
    payload
        .rows
        .into_iter()
        .map(
            |(ticket_number, birthdate, dose_number, name, kana, previous)| {
                if DoseNumber::new(u8::try_from(dose_number).unwrap_or(0)).is_none() {
                    return Err(format!("dose {dose_number} out of range"));
                }
                Ok(NewTicket {
                    ticket_number,
                    birthdate: date(&birthdate)?,
                    dose_number,
                    name,
                    kana,
                    previous_dose_on: previous.as_deref().map(date).transpose()?,
                })
            },
        )
        .collect()
}
