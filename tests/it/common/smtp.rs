//! A loopback SMTP server for fault tests: it speaks just enough SMTP for lettre (220,
//! EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and can be switched, while running, to
//! refuse every connection, as a relay that is down or overloaded does.
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Greets and takes every mail.
    Accept = 0,
    /// Answers `421` at once and hangs up (a relay shedding load).
    Refuse421 = 1,
    /// Closes the connection without a word (a relay that is restarting).
    Close = 2,
}

/// One accepted mail: its recipients and the raw message.
#[derive(Clone, Debug)]
pub struct Received {
    pub rcpt: Vec<String>,
    pub data: String,
}

#[derive(Clone)]
pub struct FakeSmtp {
    pub port: u16,
    mode: Arc<AtomicU8>,
    received: Arc<Mutex<Vec<Received>>>,
    connections: Arc<AtomicUsize>,
    /// Pause before answering DATA's end, so that concurrent senders overlap.
    delay_ms: Arc<AtomicUsize>,
}

impl FakeSmtp {
    pub async fn start(mode: Mode) -> FakeSmtp {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let smtp = FakeSmtp {
            port: listener.local_addr().unwrap().port(),
            mode: Arc::new(AtomicU8::new(mode as u8)),
            received: Arc::default(),
            connections: Arc::default(),
            delay_ms: Arc::default(),
        };
        let server = smtp.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                server.connections.fetch_add(1, Ordering::SeqCst);
                let server = server.clone();
                tokio::spawn(async move {
                    let _ = server.session(socket).await;
                });
            }
        });
        smtp
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn set_mode(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::SeqCst);
    }

    pub fn set_delay(&self, delay: Duration) {
        self.delay_ms
            .store(delay.as_millis() as usize, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// How many accepted mails went to each address.
    pub fn count_by_recipient(&self) -> std::collections::BTreeMap<String, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for r in self.received() {
            for to in r.rcpt {
                *counts.entry(to).or_insert(0) += 1;
            }
        }
        counts
    }

    async fn session(&self, socket: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = socket.into_split();
        match self.mode.load(Ordering::SeqCst) {
            1 => {
                write
                    .write_all(b"421 4.3.2 Service not available, closing channel\r\n")
                    .await?;
                return Ok(());
            }
            2 => return Ok(()),
            _ => {}
        }
        write.write_all(b"220 fake.example ESMTP\r\n").await?;
        let mut lines = BufReader::new(read);
        let mut rcpt = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let upper = line.to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                write
                    .write_all(b"250-fake.example\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                    .await?;
            } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
                write.write_all(b"250 OK\r\n").await?;
            } else if upper.starts_with("MAIL FROM") || upper.starts_with("RSET") {
                rcpt.clear();
                write.write_all(b"250 OK\r\n").await?;
            } else if upper.starts_with("RCPT TO") {
                let addr = line
                    .split_once('<')
                    .and_then(|(_, rest)| rest.split_once('>'))
                    .map(|(a, _)| a.to_string())
                    .unwrap_or_default();
                rcpt.push(addr);
                write.write_all(b"250 OK\r\n").await?;
            } else if upper.starts_with("DATA") {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(&line);
                }
                let delay = self.delay_ms.load(Ordering::SeqCst);
                if delay > 0 {
                    tokio::time::sleep(Duration::from_millis(delay as u64)).await;
                }
                self.received.lock().unwrap().push(Received {
                    rcpt: std::mem::take(&mut rcpt),
                    data,
                });
                write.write_all(b"250 OK queued\r\n").await?;
            } else if upper.starts_with("QUIT") {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            } else {
                write.write_all(b"502 Command not implemented\r\n").await?;
            }
        }
    }
}
