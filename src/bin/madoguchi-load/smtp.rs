//! A small SMTP server on loopback that the app under test delivers to. It reads each mail,
//! finds the verification link and hands it to the resident waiting for that address: the
//! real mail path (outbox, worker, lettre, SMTP), not a shortcut into the database.
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

#[derive(Default)]
pub struct Sink {
    /// Residents waiting for their verification link, by address.
    waiting: Mutex<HashMap<String, oneshot::Sender<String>>>,
    pub verification_mails: AtomicU64,
    pub completion_mails: AtomicU64,
    pub other_mails: AtomicU64,
    /// Mails that could not be read (no recipient, no link where one was expected).
    pub unreadable: AtomicU64,
}

impl Sink {
    /// Registers interest in `address`'s next verification link (before the form is sent,
    /// so a fast mail is not missed).
    pub fn expect(&self, address: &str) -> oneshot::Receiver<String> {
        let (tx, rx) = oneshot::channel();
        self.waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(address.to_ascii_lowercase(), tx);
        rx
    }

    pub fn forget(&self, address: &str) {
        self.waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&address.to_ascii_lowercase());
    }

    fn received(&self, rcpt: &str, raw: &str, link_marker: &str) {
        let text = decoded_text(raw);
        if let Some(link) = find_link(&text, link_marker) {
            self.verification_mails.fetch_add(1, Ordering::Relaxed);
            let waiter = self
                .waiting
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&rcpt.to_ascii_lowercase());
            if let Some(tx) = waiter {
                let _ = tx.send(link);
            }
        } else if text.contains("受付番号") || text.contains("予約ID") {
            // Card pickup's completion mail names the 受付番号, vaccination's the 予約ID.
            self.completion_mails.fetch_add(1, Ordering::Relaxed);
        } else {
            self.other_mails.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Starts the sink; returns its port. `link_marker` is the path prefix of verification
/// links (`/t/SLUG/apply/`).
pub async fn start(sink: Arc<Sink>, link_marker: String) -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let sink = sink.clone();
            let marker = link_marker.clone();
            tokio::spawn(async move {
                if serve(stream, &sink, &marker).await.is_err() {
                    sink.unreadable.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    Ok(port)
}

/// One SMTP session: as much of RFC 5321 as lettre's client uses.
async fn serve(stream: tokio::net::TcpStream, sink: &Sink, marker: &str) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write
        .write_all(b"220 madoguchi-load sink ESMTP\r\n")
        .await?;
    let mut rcpt = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let upper = line.trim_end().to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            write
                .write_all(b"250-madoguchi-load\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                .await?;
        } else if upper.starts_with("HELO") || upper.starts_with("MAIL FROM") {
            rcpt.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO") {
            let l = line.trim_end();
            if let (Some(a), Some(b)) = (l.find('<'), l.rfind('>')) {
                rcpt = l[a + 1..b].to_string();
            }
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut raw = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                // Dot-stuffing: a leading dot was doubled by the client.
                raw.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            write.write_all(b"250 OK queued\r\n").await?;
            if rcpt.is_empty() {
                return Err(std::io::Error::other("DATA without RCPT"));
            }
            sink.received(&rcpt, &raw, marker);
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else if upper.starts_with("RSET") || upper.starts_with("NOOP") {
            write.write_all(b"250 OK\r\n").await?;
        } else {
            write.write_all(b"502 not implemented\r\n").await?;
        }
    }
}

/// The message's text parts as text: base64 and quoted-printable bodies decoded, the rest
/// as is. Enough MIME for the mails lettre builds.
pub fn decoded_text(raw: &str) -> String {
    let mut out = String::new();
    let mut encoding = "";
    let mut in_headers = true;
    let mut body = String::new();
    let flush = |encoding: &str, body: &mut String, out: &mut String| {
        match encoding {
            "base64" => {
                let compact: String = body.split_whitespace().collect();
                if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(compact) {
                    out.push_str(&String::from_utf8_lossy(&bytes));
                }
            }
            "quoted-printable" => out.push_str(&quoted_printable(body)),
            _ => out.push_str(body),
        }
        out.push('\n');
        body.clear();
    };
    for line in raw.split('\n') {
        let line = line.trim_end_matches('\r');
        if line.starts_with("--") {
            // A MIME boundary: the part before it ends, a new part's headers begin.
            flush(encoding, &mut body, &mut out);
            encoding = "";
            in_headers = true;
            continue;
        }
        if in_headers {
            if line.is_empty() {
                in_headers = false;
            } else if let Some(v) = line
                .to_ascii_lowercase()
                .strip_prefix("content-transfer-encoding:")
            {
                encoding = match v.trim() {
                    "base64" => "base64",
                    "quoted-printable" => "quoted-printable",
                    _ => "",
                };
            }
            continue;
        }
        body.push_str(line);
        body.push('\n');
    }
    flush(encoding, &mut body, &mut out);
    out
}

fn quoted_printable(s: &str) -> String {
    let s = s.replace("=\n", "");
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 3 <= bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first URL containing `marker`, as a path (the resident rewrites the host to the
/// instance it talks to, as a load balancer would send it to any of them).
pub fn find_link(text: &str, marker: &str) -> Option<String> {
    let at = text.find(marker)?;
    let start = text[..at].rfind("http").unwrap_or(at);
    let url: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<')
        .collect();
    let path_start = url.find(marker)?;
    Some(url[path_start..].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_base64_and_quoted_printable_parts() {
        let b64 = base64::engine::general_purpose::STANDARD
            .encode("リンク http://x:1/t/load/apply/ABC123 です");
        let raw = format!(
            "Subject: x\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--b\r\n\
             Content-Transfer-Encoding: quoted-printable\r\n\r\n=E5=8F=97=E4=BB=98=E7=95=AA=E5=8F=B7=\r\nX\r\n--b--\r\n"
        );
        let text = decoded_text(&raw);
        assert_eq!(
            find_link(&text, "/t/load/apply/").as_deref(),
            Some("/t/load/apply/ABC123")
        );
        assert!(text.contains("受付番号X"), "{text}");
    }
}
