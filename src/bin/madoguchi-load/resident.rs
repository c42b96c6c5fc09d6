//! One simulated resident: a browser with its own cookies and its own address, going
//! through the whole booking flow as a person does, reading the forms it is given.
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use madoguchi::db::notices::NewNotice;
use madoguchi::db::tickets::NewTicket;

use crate::smtp::Sink;
use crate::stats::Stats;

pub struct Shared {
    pub bases: Vec<String>,
    pub slug: String,
    pub counter_id: i64,
    pub notices: Arc<Vec<NewNotice>>,
    /// Vaccination mode: the tickets residents log in with (empty: card pickup).
    pub tickets: Arc<Vec<NewTicket>>,
    pub next: AtomicUsize,
    pub sink: Arc<Sink>,
    pub deadline: Instant,
    /// Stop after this many completed bookings.
    pub target: Option<u64>,
    pub completed: AtomicU64,
    pub stop: AtomicBool,
    /// How long a resident waits for the verification mail.
    pub mail_timeout: Duration,
}

impl Shared {
    pub(crate) fn running(&self) -> bool {
        !self.stop.load(Ordering::Relaxed) && Instant::now() < self.deadline
    }
}

/// Why one resident's booking did not complete. `Stopped` is the run ending while they
/// were on their way (or in the queue): not an error of the server.
pub(crate) enum Failure {
    Error(String),
    Stopped,
}

impl From<String> for Failure {
    fn from(s: String) -> Failure {
        Failure::Error(s)
    }
}

pub(crate) type Step<T> = Result<T, Failure>;

/// Plays residents one after the other until the run ends; returns what it measured.
pub async fn worker(shared: Arc<Shared>) -> Stats {
    let mut stats = Stats::default();
    while shared.running() {
        let i = shared.next.fetch_add(1, Ordering::Relaxed);
        let base = &shared.bases[i % shared.bases.len()];
        let booked = if shared.tickets.is_empty() {
            let Some(notice) = shared.notices.get(i) else {
                stats.error("notices used up (raise --notices)");
                break;
            };
            book_once(&shared, base, i, notice, &mut stats).await
        } else {
            let Some(ticket) = shared.tickets.get(i) else {
                stats.error("tickets used up (raise --notices)");
                break;
            };
            crate::vaccination::book_once(&shared, base, i, ticket, &mut stats).await
        };
        match booked {
            Ok(()) => {
                stats.completed += 1;
                let done = shared.completed.fetch_add(1, Ordering::Relaxed) + 1;
                if shared.target.is_some_and(|t| done >= t) {
                    shared.stop.store(true, Ordering::Relaxed);
                }
            }
            Err(Failure::Stopped) => {}
            Err(Failure::Error(kind)) => stats.error(kind),
        }
    }
    stats
}

/// A distinct loopback address per resident (127.1.0.0 upwards): limits and lockouts count
/// per client address, and a thousand residents are a thousand households, not one.
pub fn address_of(i: usize) -> IpAddr {
    let base = u32::from(Ipv4Addr::new(127, 1, 0, 0));
    // 127.1.0.0 ..= 127.255.255.254, then round again.
    IpAddr::V4(Ipv4Addr::from(base + (i % 0x00fe_ffff) as u32))
}

pub(crate) struct Resp {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

pub(crate) struct Browser<'a> {
    pub client: reqwest::Client,
    pub base: &'a str,
    pub shared: &'a Shared,
    pub stats: &'a mut Stats,
}

impl Browser<'_> {
    pub(crate) async fn get(&mut self, step: &'static str, path: &str) -> Step<Resp> {
        let url = self.url(path);
        let client = self.client.clone();
        self.send(step, move || client.get(&url)).await
    }

    pub(crate) async fn post(
        &mut self,
        step: &'static str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Step<Resp> {
        let url = self.url(path);
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let client = self.client.clone();
        self.send(step, move || {
            client
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.clone())
        })
        .await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Sends, reads the whole body, and times it. The waiting page is obeyed as a browser
    /// does (its meta refresh), and the time spent there is counted apart from the step.
    async fn send(
        &mut self,
        step: &'static str,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Step<Resp> {
        loop {
            let started = Instant::now();
            self.stats.requests += 1;
            let response = build().send().await.map_err(|e| {
                Failure::Error(if e.is_timeout() {
                    format!("{step}: timeout")
                } else if e.is_connect() {
                    format!("{step}: connection refused or reset")
                } else {
                    format!("{step}: transport error")
                })
            })?;
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = response
                .text()
                .await
                .map_err(|_| Failure::Error(format!("{step}: body cut off")))?;
            if let Some(wait) = waiting_room_refresh(&body) {
                self.stats.waiting_pages += 1;
                if !self.shared.running() {
                    return Err(Failure::Stopped);
                }
                tokio::time::sleep(wait).await;
                self.stats.waiting_secs += wait.as_secs_f64();
                continue;
            }
            self.stats.record(step, started.elapsed().as_micros());
            if status >= 500 {
                self.stats.server_errors += 1;
                return Err(Failure::Error(format!("{step}: status {status}")));
            }
            return Ok(Resp {
                status,
                location,
                body,
            });
        }
    }
}

/// The waiting room's page says how long to wait in its meta refresh.
fn waiting_room_refresh(body: &str) -> Option<Duration> {
    if !body.contains("id=\"waiting-room\"") {
        return None;
    }
    let at = body.find("http-equiv=\"refresh\"")?;
    let rest = &body[at..];
    let c = rest.find("content=\"")? + "content=\"".len();
    let secs: String = rest[c..].chars().take_while(char::is_ascii_digit).collect();
    Some(Duration::from_secs(secs.parse().unwrap_or(5).max(1)))
}

pub(crate) fn expect(step: &str, r: &Resp, status: u16) -> Result<(), Failure> {
    if r.status == status {
        Ok(())
    } else {
        Err(Failure::Error(format!("{step}: status {}", r.status)))
    }
}

pub(crate) fn expect_redirect(step: &str, r: &Resp, to: &str) -> Result<(), Failure> {
    match (&r.status, &r.location) {
        (303, Some(loc)) if loc.starts_with(to) => Ok(()),
        (303, Some(_)) => Err(Failure::Error(format!("{step}: redirected elsewhere"))),
        _ => Err(Failure::Error(format!("{step}: status {}", r.status))),
    }
}

/// The value of the first attribute `attr` after `marker`.
pub fn value_after(html: &str, marker: &str, attr: &str) -> Option<String> {
    let start = html.find(marker)? + marker.len();
    let rest = &html[start..];
    let key = format!("{attr}=\"");
    let v = rest.find(&key)? + key.len();
    let end = rest[v..].find('"')?;
    Some(rest[v..v + end].to_string())
}

pub(crate) fn csrf(step: &str, html: &str) -> Result<String, Failure> {
    value_after(html, "name=\"csrf\"", "value")
        .ok_or_else(|| Failure::Error(format!("{step}: no form")))
}

/// The slot ids of the selectable cells of the wide grid.
pub fn selectable_slots(html: &str) -> Vec<String> {
    let wide = html.split("grid-narrow").next().unwrap_or(html);
    let mut out = Vec::new();
    let mut rest = wide;
    while let Some(i) = rest.find("name=\"slot\" value=\"") {
        rest = &rest[i + "name=\"slot\" value=\"".len()..];
        let Some(end) = rest.find('"') else { break };
        out.push(rest[..end].to_string());
    }
    out
}

/// The [次へ>] link of the grid: later weeks, when these are full.
fn next_weeks(html: &str) -> Option<String> {
    let at = html.find(">次へ&gt;<")?;
    let before = &html[..at];
    let h = before.rfind("href=\"")? + "href=\"".len();
    let end = before[h..].find('"')?;
    Some(before[h..h + end].replace("&amp;", "&"))
}

fn birth_digits(n: &NewNotice) -> String {
    format!(
        "{:04}{:02}{:02}",
        n.birthdate.year(),
        n.birthdate.month() as u8,
        n.birthdate.day()
    )
}

async fn book_once(
    shared: &Shared,
    base: &str,
    i: usize,
    notice: &NewNotice,
    stats: &mut Stats,
) -> Step<()> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(address_of(i))
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|_| Failure::Error("client: could not build".to_string()))?;
    let mut b = Browser {
        client,
        base,
        shared,
        stats,
    };
    let t = format!("/t/{}", shared.slug);
    let email = format!("load{i}@example.jp");

    let home = b.get("home", &format!("{t}/")).await?;
    expect("home", &home, 200)?;
    let entry = b.get("entry_form", &format!("{t}/entry")).await?;
    expect("entry_form", &entry, 200)?;
    let token = csrf("entry_form", &entry.body)?;
    let birth = birth_digits(notice);
    let link_rx = shared.sink.expect(&email);
    let sent = b
        .post(
            "entry_submit",
            &format!("{t}/entry"),
            &[
                ("csrf", &token),
                ("party", "1"),
                ("email", &email),
                ("email_confirm", &email),
                ("number1_1", &notice.number1),
                ("birth_text_1", &birth),
            ],
        )
        .await;
    let sent = match sent {
        Ok(s) => s,
        Err(e) => {
            shared.sink.forget(&email);
            return Err(e);
        }
    };
    let mail_started = Instant::now();
    if let Err(e) = expect_redirect("entry_submit", &sent, &format!("{t}/entry/sent")) {
        shared.sink.forget(&email);
        return Err(e);
    }
    let page = b
        .get("entry_sent", sent.location.as_deref().unwrap_or_default())
        .await?;
    expect("entry_sent", &page, 200)?;

    use_mailed_link(
        &mut b,
        shared,
        &email,
        link_rx,
        mail_started,
        "",
        &format!("{t}/apply"),
    )
    .await?;

    let form = b.get("apply_form", &format!("{t}/apply")).await?;
    expect("apply_form", &form, 200)?;
    let counter = shared.counter_id.to_string();
    let person = [
        ("name_1", "負荷 太郎"),
        ("kana_1", "ふか たろう"),
        ("phone_1", "090-1234-5678"),
        ("counter", counter.as_str()),
    ];
    let token = csrf("apply_form", &form.body)?;
    let mut fields: Vec<(&str, &str)> = person.to_vec();
    fields.push(("csrf", &token));
    fields.push(("action", "choose"));
    let chose = b
        .post("apply_choose", &format!("{t}/apply"), &fields)
        .await?;
    expect_redirect("apply_choose", &chose, &format!("{t}/apply/slots"))?;

    // The grid, then a cell chosen at random among the open ones (people do not all pick
    // the first); if someone took it first, the grid again, as the page says.
    let mut grid_path = format!("{t}/apply/slots");
    let mut held = false;
    for _ in 0..10 {
        let grid = b.get("grid", &grid_path).await?;
        expect("grid", &grid, 200)?;
        let cells = selectable_slots(&grid.body);
        if cells.is_empty() {
            match next_weeks(&grid.body) {
                Some(next) => {
                    grid_path = next;
                    continue;
                }
                None => return Err(Failure::Error("grid: no free cell left".to_string())),
            }
        }
        let cell = &cells[rand::random_range(0..cells.len())];
        let token = csrf("grid", &grid.body)?;
        let hold = b
            .post(
                "hold",
                &format!("{t}/apply/slots"),
                &[("csrf", &token), ("slot", cell)],
            )
            .await?;
        match (&hold.status, hold.location.as_deref()) {
            (303, Some(loc)) if loc.starts_with(&format!("{t}/apply#")) => {
                held = true;
                break;
            }
            (303, Some(loc)) if loc.starts_with(&format!("{t}/apply/slots")) => {
                b.stats.hold_taken += 1;
                grid_path = loc.to_string();
            }
            _ => return Err(Failure::Error(format!("hold: status {}", hold.status))),
        }
    }
    if !held {
        return Err(Failure::Error(
            "hold: every chosen cell was taken".to_string(),
        ));
    }

    let form = b.get("apply_held", &format!("{t}/apply")).await?;
    expect("apply_held", &form, 200)?;
    if !form.body.contains("仮押さえ") {
        return Err(Failure::Error("apply_held: no hold shown".to_string()));
    }
    let token = csrf("apply_held", &form.body)?;
    let mut fields: Vec<(&str, &str)> = person.to_vec();
    fields.push(("csrf", &token));
    fields.push(("action", "confirm"));
    let to_confirm = b
        .post("apply_confirm", &format!("{t}/apply"), &fields)
        .await?;
    expect_redirect("apply_confirm", &to_confirm, &format!("{t}/apply/confirm"))?;
    let confirm = b.get("confirm_page", &format!("{t}/apply/confirm")).await?;
    expect("confirm_page", &confirm, 200)?;
    let token = csrf("confirm_page", &confirm.body)?;
    let booked = b
        .post("book", &format!("{t}/apply/confirm"), &[("csrf", &token)])
        .await?;
    expect_redirect("book", &booked, &format!("{t}/apply/done"))?;
    let done = b.get("done", &format!("{t}/apply/done")).await?;
    expect("done", &done, 200)?;
    if !done.body.contains("予約入力完了") {
        return Err(Failure::Error("done: not the completion page".to_string()));
    }
    Ok(())
}

/// Waits for the link mailed to `email` (the sink hands it over), counts the wait as the
/// `mail` step, opens the link's page and presses its button, which must redirect to
/// `then`. `step` prefixes the step names ("" for card pickup, "vx_" for vaccination).
pub async fn use_mailed_link(
    b: &mut Browser<'_>,
    shared: &Shared,
    email: &str,
    link_rx: tokio::sync::oneshot::Receiver<String>,
    mail_started: Instant,
    step: &'static str,
    then: &str,
) -> Result<(), Failure> {
    let link = match tokio::time::timeout(shared.mail_timeout, link_rx).await {
        Ok(Ok(link)) => link,
        _ => {
            shared.sink.forget(email);
            return Err(if shared.running() {
                Failure::Error(format!("{step}mail: no link mailed in time"))
            } else {
                Failure::Stopped
            });
        }
    };
    b.stats.record("mail", mail_started.elapsed().as_micros());
    let (page_step, use_step) = if step.is_empty() {
        ("link", "link_use")
    } else {
        ("vx_link", "vx_link_use")
    };
    let landing = b.get(page_step, &link).await?;
    expect(page_step, &landing, 200)?;
    let token = csrf(page_step, &landing.body)?;
    let used = b.post(use_step, &link, &[("csrf", &token)]).await?;
    expect_redirect(use_step, &used, then)?;
    Ok(())
}
