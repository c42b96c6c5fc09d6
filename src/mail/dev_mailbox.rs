//! The development mailbox: every mail the app sends is a JSON file in one folder, and
//! /dev/mailbox lists and shows them. Never used in production (the server refuses to start
//! with it in production mode).
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};

use super::SentMail;

/// Mails shown on the list page at most.
pub const LIST_LIMIT: usize = 200;

/// One stored mail: `{unix_nanos}-{n}.json`.
#[derive(Serialize, Deserialize)]
struct StoredMail {
    to: String,
    subject: String,
    text: String,
    html: Option<String>,
    ics: Option<String>,
    /// The inline picture as base64 (absent in files from before there was one).
    #[serde(default)]
    inline_png: Option<String>,
    /// Unix seconds.
    sent_at: i64,
}

/// Distinguishes files written in the same nanosecond.
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// Writes `mail` as a new file in `dir` (created if missing). The file appears complete or
/// not at all: it is written under a temporary name and renamed.
pub async fn write(dir: &Path, mail: &SentMail) -> std::io::Result<()> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let stored = StoredMail {
        to: mail.to.clone(),
        subject: mail.subject.clone(),
        text: mail.text.clone(),
        html: mail.html.clone(),
        ics: mail.ics.clone(),
        inline_png: mail.inline_png.as_ref().map(|png| BASE64.encode(png)),
        sent_at: i64::try_from(now.as_secs()).unwrap_or(i64::MAX),
    };
    let json = serde_json::to_vec_pretty(&stored)?;
    let id = format!(
        "{}-{}",
        now.as_nanos(),
        SEQUENCE.fetch_add(1, Ordering::Relaxed)
    );
    tokio::fs::create_dir_all(dir).await?;
    let tmp = dir.join(format!(".{id}.tmp"));
    tokio::fs::write(&tmp, json).await?;
    tokio::fs::rename(&tmp, dir.join(format!("{id}.json"))).await
}

/// The newest [`LIST_LIMIT`] mails in `dir`, newest first: (file id, mail, sent_at unix
/// seconds). A missing folder is an empty mailbox; unreadable files are skipped. Blocking:
/// call it from `spawn_blocking` in a handler.
pub fn read_dev_mailbox(dir: &Path) -> Vec<(String, SentMail, i64)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut ids: Vec<((u128, u64), String)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let id = name.strip_suffix(".json")?.to_string();
            Some((sort_key(&id)?, id))
        })
        .collect();
    ids.sort_unstable_by_key(|(key, _)| std::cmp::Reverse(*key));
    ids.into_iter()
        .take(LIST_LIMIT)
        .filter_map(|(_, id)| {
            let (mail, sent_at) = read_dev_mail(dir, &id)?;
            Some((id, mail, sent_at))
        })
        .collect()
}

/// One mail by its file id, or None when the id is malformed or there is no such mail.
/// Only ids of digits, lowercase letters and `-` are accepted, so an id can never name a
/// file outside `dir`. Blocking.
pub fn read_dev_mail(dir: &Path, id: &str) -> Option<(SentMail, i64)> {
    if !is_valid_id(id) {
        return None;
    }
    let bytes = std::fs::read(dir.join(format!("{id}.json"))).ok()?;
    let stored: StoredMail = serde_json::from_slice(&bytes).ok()?;
    Some((
        SentMail {
            to: stored.to,
            subject: stored.subject,
            text: stored.text,
            html: stored.html,
            ics: stored.ics,
            inline_png: stored.inline_png.and_then(|b| BASE64.decode(b).ok()),
        },
        stored.sent_at,
    ))
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase() || b == b'-')
}

/// `{nanos}-{n}` as numbers, so that the order does not depend on how many digits they have.
fn sort_key(id: &str) -> Option<(u128, u64)> {
    if !is_valid_id(id) {
        return None;
    }
    let (nanos, n) = id.split_once('-')?;
    Some((nanos.parse().ok()?, n.parse().ok()?))
}

/// Plain text as HTML for a `<pre>`: everything escaped, and `http://` / `https://` URLs
/// made into links. The text is cut into URL and non-URL pieces first and every piece is
/// escaped before it is written, so nothing from the mail reaches the page unescaped; a URL
/// ends at whitespace, at a non-ASCII character (Japanese text often follows a URL without
/// a space), at `<>"'` or a backquote, and does not take trailing `.,;:!?)]` with it.
pub fn text_to_html_with_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut rest = text;
    while let Some(start) = find_url_start(rest) {
        let (before, from_url) = rest.split_at(start);
        push_escaped(&mut out, before);
        let len = url_len(from_url);
        let (url, after) = from_url.split_at(len);
        out.push_str("<a href=\"");
        push_escaped(&mut out, url);
        out.push_str("\">");
        push_escaped(&mut out, url);
        out.push_str("</a>");
        rest = after;
    }
    push_escaped(&mut out, rest);
    out
}

/// Byte offset of the next `http://` or `https://` that has at least one character after it.
fn find_url_start(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = s[from..].find("http").map(|p| p + from) {
        let tail = &s[pos..];
        let scheme_len = if tail.starts_with("https://") {
            8
        } else if tail.starts_with("http://") {
            7
        } else {
            0
        };
        if scheme_len > 0 && url_len(tail) > scheme_len {
            return Some(pos);
        }
        from = pos + 4;
    }
    None
}

/// Length in bytes of the URL at the start of `s` (ASCII only, so byte = char).
fn url_len(s: &str) -> usize {
    let mut len = s
        .bytes()
        .take_while(|&b| b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"' | b'\'' | b'`'))
        .count();
    while len > 0
        && matches!(
            s.as_bytes()[len - 1],
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b')' | b']'
        )
    {
        len -= 1;
    }
    len
}

fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
}
