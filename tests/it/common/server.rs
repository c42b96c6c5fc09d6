//! The real `madoguchi` binary as a server on a free port, configured through
//! `MADOGUCHI__SECTION__KEY` variables, its output captured; and a resident's booking made
//! over HTTP against it, reading mails from its development mailbox.
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

use super::client::{Client, UNREACHABLE};

pub struct Server {
    child: Child,
    pub base: String,
    output: Arc<Mutex<Vec<u8>>>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    /// Starts the server on `db_url` with the development mailbox in `mailbox`, logging at
    /// `rust_log`, and waits until it answers /healthz.
    pub async fn start(db_url: &str, mailbox: &Path, rust_log: &str) -> Server {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_madoguchi"))
            .arg("serve")
            .current_dir(mailbox.parent().unwrap_or(mailbox))
            .env("MADOGUCHI__DATABASE__URL", db_url)
            .env("MADOGUCHI__SERVER__BIND", format!("127.0.0.1:{port}"))
            .env("MADOGUCHI__SERVER__PUBLIC_URL", &base)
            .env("MADOGUCHI__MAIL__TRANSPORT", "dev_mailbox")
            .env("MADOGUCHI__MAIL__DEV_MAILBOX_DIR", mailbox)
            .env("MADOGUCHI__DEMO__ENABLED", "true")
            .env("RUST_LOG", rust_log)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("starting madoguchi");
        let output = Arc::new(Mutex::new(Vec::new()));
        for mut pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn tokio::io::AsyncRead + Unpin + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = output.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 8192];
                while let Ok(n) = pipe.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    output.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
        }
        let mut server = Server {
            child,
            base,
            output,
        };
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited ({status}):\n{}", server.output());
            }
            let page = server.client().get("/healthz").await;
            if page.status == StatusCode::OK {
                return server;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server did not come up:\n{}",
                server.output()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn client(&self) -> Client {
        Client::remote(&self.base)
    }

    /// Everything the server wrote to stdout and stderr so far.
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// SIGKILL: no shutdown, no flushing, as in a power cut or an OOM kill.
    pub async fn kill(&mut self) {
        self.child.kill().await.expect("killing the server");
    }

    /// SIGTERM, then waits for the graceful shutdown; returns the whole output.
    pub async fn stop(mut self) -> String {
        if let Some(pid) = self.child.id() {
            // SAFETY: a plain signal to our own child process.
            unsafe {
                libc::kill(pid as i32, libc::SIGTERM);
            }
        }
        let _ = tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await;
        // Let the readers drain the pipes.
        tokio::time::sleep(Duration::from_millis(200)).await;
        self.output()
    }
}

/// The mails in the development mailbox to `to`, oldest first, as (subject, text).
pub fn mailbox_mails(dir: &Path, to: &str) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter_map(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .filter(|m| m["to"] == to)
        .map(|m| {
            (
                m["subject"].as_str().unwrap_or("").to_string(),
                m["text"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Waits (up to 20 s: the server's worker sends it) for a mail to `to` whose subject has
/// `subject`; returns its text.
pub async fn wait_for_mail(dir: &Path, to: &str, subject: &str) -> Option<String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if let Some((_, text)) = mailbox_mails(dir, to)
            .into_iter()
            .rev()
            .find(|(s, _)| s.contains(subject))
        {
            return Some(text);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

/// One person to book for, as the resident types it.
pub struct Person<'a> {
    pub number1: &'a str,
    pub birth: &'a str,
    pub name: &'a str,
    pub kana: &'a str,
    pub phone: &'a str,
}

/// What a booking over HTTP got to.
#[derive(Debug)]
pub struct Booked {
    pub receipt: String,
    /// The verification link's token, as mailed.
    pub token: String,
}

/// The page's CSRF token, or why there is none (the server died, or answered otherwise).
fn csrf(body: &str) -> String {
    // An empty token is refused by the server, and the step's check reports it.
    super::value_after(body, "name=\"csrf\"", "value").unwrap_or_default()
}

fn err(step: &str, page: &super::client::Page) -> String {
    if page.status.as_u16() == UNREACHABLE {
        format!("{step}: server unreachable")
    } else {
        format!("{step}: {} {}", page.status, page.text())
    }
}

/// Entry, verification mail, form, the `cell`-th selectable time, confirmation: the whole
/// resident flow over HTTP. Ok once the completion page (予約入力完了) has been received.
pub async fn book_over_http(
    server_base: &str,
    mailbox: &Path,
    person: &Person<'_>,
    email: &str,
    cell: usize,
) -> Result<Booked, String> {
    let mut client = Client::remote(server_base);
    let entry = client.get("/t/demo/entry?party=1").await;
    if entry.status != StatusCode::OK {
        return Err(err("entry page", &entry));
    }
    let sent = client
        .post_form(
            "/t/demo/entry",
            &[
                ("csrf", &csrf(&entry.body)),
                ("party", "1"),
                ("email", email),
                ("email_confirm", email),
                ("number1_1", person.number1),
                ("birth_text_1", person.birth),
            ],
        )
        .await;
    if sent.status != StatusCode::SEE_OTHER {
        return Err(err("entry", &sent));
    }
    let text = wait_for_mail(mailbox, email, "連絡先アドレス確認メール")
        .await
        .ok_or("no verification mail")?;
    let prefix = format!("{server_base}/t/demo/apply/");
    let start = text.find(&prefix).ok_or("no link in the mail")?;
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let token = link.trim_start_matches(&prefix).to_string();
    let path = link.trim_start_matches(server_base).to_string();
    let landing = client.get(&path).await;
    if landing.status != StatusCode::OK {
        return Err(err("link", &landing));
    }
    let used = client
        .post_form(&path, &[("csrf", &csrf(&landing.body))])
        .await;
    if used.status != StatusCode::SEE_OTHER {
        return Err(err("using the link", &used));
    }
    let form = client.get("/t/demo/apply").await;
    // The first counter offered (after the empty 選択してください).
    let counter = super::value_after(&form.body, "<option value=\"\">選択してください", "value")
        .unwrap_or_default();
    let apply = |action: &'static str, body: String| {
        let fields = vec![
            ("csrf".to_string(), csrf(&body)),
            ("name_1".to_string(), person.name.to_string()),
            ("kana_1".to_string(), person.kana.to_string()),
            ("phone_1".to_string(), person.phone.to_string()),
            ("counter".to_string(), counter.clone()),
            ("action".to_string(), action.to_string()),
        ];
        fields
    };
    let fields = apply("choose", form.body.clone());
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let chose = client.post_form("/t/demo/apply", &refs).await;
    if chose.location.as_deref() != Some("/t/demo/apply/slots") {
        return Err(err("choosing a time", &chose));
    }
    let grid = client.get("/t/demo/apply/slots").await;
    let cells = super::selectable_slots(&grid.body);
    let slot = cells
        .get(cell % cells.len().max(1))
        .ok_or("no selectable cell")?
        .clone();
    let held = client
        .post_form(
            "/t/demo/apply/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &slot)],
        )
        .await;
    if held.status != StatusCode::SEE_OTHER {
        return Err(err("holding", &held));
    }
    let form = client.get("/t/demo/apply").await;
    if !form.text().contains("仮押さえ中です") {
        return Err(err("hold not placed", &form));
    }
    let fields = apply("confirm", form.body.clone());
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let to_confirm = client.post_form("/t/demo/apply", &refs).await;
    if to_confirm.location.as_deref() != Some("/t/demo/apply/confirm") {
        return Err(err("to the confirmation", &to_confirm));
    }
    let confirm = client.get("/t/demo/apply/confirm").await;
    let booked = client
        .post_form("/t/demo/apply/confirm", &[("csrf", &csrf(&confirm.body))])
        .await;
    if booked.location.as_deref() != Some("/t/demo/apply/done") {
        return Err(err("booking", &booked));
    }
    let done = client.get("/t/demo/apply/done").await;
    if done.status != StatusCode::OK {
        return Err(err("completion page", &done));
    }
    let receipt = done
        .body
        .split("受付番号:<strong>")
        .nth(1)
        .and_then(|r| r.split("</strong>").next())
        .ok_or("no receipt on the completion page")?
        .to_string();
    Ok(Booked { receipt, token })
}
