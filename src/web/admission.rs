//! The waiting room (「アクセスが集中しています」): admission control for the resident pages.
//!
//! A server past its capacity serves everyone slowly and then no one; one that lets in only
//! as many residents as it serves well, and keeps the rest in an orderly queue on a page
//! that costs almost nothing to answer, serves the admitted ones fast and empties the queue
//! at the rate it books. The rules:
//!
//! - A resident is *active* while this instance saw a request from them within the last
//!   `window_secs`. New residents are admitted while fewer than `max_active` are active,
//!   no one is queued ahead of them, and fewer than `max_in_flight` resident requests are
//!   being served.
//! - Everyone else gets a ticket (a signed cookie holding when it was issued and a random
//!   number: no personal data) and the waiting page with their position, which refreshes
//!   itself (`<meta http-equiv="refresh">`, no JavaScript needed): every
//!   [`FRONT_REFRESH_SECS`] for the first `max_active` in line, who may get a place at any
//!   moment, every `refresh_secs` for the rest. Tickets are admitted in the order they were
//!   issued, as soon as a place is free; one not refreshed for three refresh periods has left.
//! - Once admitted, the cookie says so (signed) for `admitted_ttl_secs`: a resident typing
//!   slowly is never sent back to the queue halfway through a form. They count as active
//!   only while they make requests, which is what loads the server.
//! - Admitted requests beyond `max_in_flight` wait (first come, first served) for a free
//!   place rather than pile onto the database.
//!
//! The waiting page is 200, not 503: it is a proper answer (the resident's place in the
//! queue), a load balancer or monitor must not count it as the site failing, and under a
//! rush the server answers no 5xx at all. It touches neither the database nor the session.
//!
//! Staff pages, /healthz, /readyz, static files and the development pages bypass it: staff
//! must work during the rush, and health checks must tell the truth about the process.
//!
//! The state is per instance (memory, not the database): each instance protects its own
//! capacity, and the signed cookie lets an admitted resident through on any instance.
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;

use crate::app::{App, AppState};

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct AdmissionSettings {
    pub enabled: bool,
    /// Residents active at once (seen within `window_secs`) before newcomers queue.
    pub max_active: usize,
    /// How recent a request must be for its resident to count as active. Short: a resident
    /// who finished (or is typing) stops counting soon, and the queue moves; one who comes
    /// back keeps the admission (`admitted_ttl_secs`). A 60-second window held the queue
    /// still for a minute after the admitted residents had booked (docs/benchmarks.md).
    pub window_secs: i64,
    /// Resident requests served at once; newcomers queue and admitted requests wait beyond it.
    pub max_in_flight: usize,
    /// How often the waiting page refreshes itself.
    pub refresh_secs: i64,
    /// How long an admission lasts after it was granted.
    pub admitted_ttl_secs: i64,
}

impl Default for AdmissionSettings {
    fn default() -> AdmissionSettings {
        AdmissionSettings {
            enabled: true,
            max_active: 2000,
            window_secs: 10,
            max_in_flight: 64,
            refresh_secs: 5,
            admitted_ttl_secs: 60 * 60,
        }
    }
}

/// How long an admitted request waits for a place among `max_in_flight` before it is told
/// to retry (503): far beyond what a place takes to free under any load we admit.
const IN_FLIGHT_WAIT: Duration = Duration::from_secs(10);

/// How often the front of the queue (those who could be let in at the next free place)
/// refreshes. With everyone on `refresh_secs` (5 s) the places freed by finished residents
/// stayed empty for seconds while the queue was full.
pub const FRONT_REFRESH_SECS: i64 = 2;

/// A ticket's place in the queue: issued second, then issue order on this instance.
type Order = (i64, u64);

#[derive(Default)]
struct Queue {
    /// Admitted residents by ticket nonce: when this instance last saw them.
    active: HashMap<u64, i64>,
    /// Waiting tickets in order: when each was last seen.
    waiting: BTreeMap<Order, i64>,
    last_prune: i64,
}

pub struct Admission {
    settings: AdmissionSettings,
    queue: Mutex<Queue>,
    seq: AtomicU64,
    in_flight: tokio::sync::Semaphore,
}

/// What the cookie says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ticket {
    issued: i64,
    seq: u64,
    nonce: u64,
    /// When it was admitted; 0 while waiting.
    admitted_at: i64,
}

impl Ticket {
    fn payload(&self) -> String {
        format!(
            "{}.{}.{}.{}",
            self.issued, self.seq, self.nonce, self.admitted_at
        )
    }

    fn encode(&self, app: &App) -> String {
        let p = self.payload();
        let sig = app.secrets.keyed_hash("admission", &p);
        format!("{p}.{}", &sig[..32])
    }

    fn decode(app: &App, value: &str) -> Option<Ticket> {
        let (payload, sig) = value.rsplit_once('.')?;
        let expected = app.secrets.keyed_hash("admission", payload);
        if !crate::secrets::constant_time_eq(&expected.as_bytes()[..32], sig.as_bytes()) {
            return None;
        }
        let mut parts = payload.split('.');
        let ticket = Ticket {
            issued: parts.next()?.parse().ok()?,
            seq: parts.next()?.parse().ok()?,
            nonce: parts.next()?.parse().ok()?,
            admitted_at: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(ticket)
    }

    fn order(&self) -> Order {
        (self.issued, self.seq)
    }
}

const COOKIE: &str = "mdg_queue";

fn cookie_name(app: &App) -> String {
    if app.settings.security.https {
        format!("__Host-{COOKIE}")
    } else {
        COOKIE.to_string()
    }
}

/// Whether the waiting room applies to this path: the resident pages of a municipality.
pub fn guards(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/t/") else {
        return false;
    };
    // /t/{tenant}/staff... is the staff console; the header image is part of a page
    // already let in.
    let mut segments = rest.split('/');
    let _tenant = segments.next();
    !matches!(segments.next(), Some("staff" | "header-image"))
}

enum Decision {
    /// Go ahead; set this cookie on the response when Some.
    Admit(Option<Ticket>),
    /// The waiting page at this position (1-based); set this cookie.
    Wait(Ticket, usize),
}

impl Admission {
    pub fn new(settings: AdmissionSettings) -> Admission {
        let permits = settings.max_in_flight.max(1);
        Admission {
            settings,
            queue: Mutex::new(Queue::default()),
            seq: AtomicU64::new(0),
            in_flight: tokio::sync::Semaphore::new(permits),
        }
    }

    pub fn enabled(&self) -> bool {
        self.settings.enabled
    }

    fn busy(&self) -> bool {
        self.in_flight.available_permits() == 0
    }

    fn decide(&self, ticket: Option<Ticket>, now: i64) -> Decision {
        let s = &self.settings;
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        if now - q.last_prune >= 1 {
            q.last_prune = now;
            let window = s.window_secs;
            let gone = 3 * s.refresh_secs.max(1);
            q.active.retain(|_, seen| now - *seen < window);
            q.waiting.retain(|_, seen| now - *seen < gone);
        }
        match ticket {
            Some(t) if t.admitted_at > 0 && now - t.admitted_at < s.admitted_ttl_secs => {
                q.active.insert(t.nonce, now);
                Decision::Admit(None)
            }
            Some(t) if t.admitted_at == 0 => {
                let order = t.order();
                q.waiting.insert(order, now);
                let ahead = q.waiting.range(..order).count();
                let free = s.max_active.saturating_sub(q.active.len());
                // No check of the in-flight cap here: a waiting resident who has a free place
                // takes it, and their requests then wait for a turn among `max_in_flight`.
                // Refusing them while requests were in flight held the queue back (6 bookings
                // per second at ten times the load, the machine 80 % idle).
                if ahead < free {
                    q.waiting.remove(&order);
                    q.active.insert(t.nonce, now);
                    Decision::Admit(Some(Ticket {
                        admitted_at: now,
                        ..t
                    }))
                } else {
                    Decision::Wait(t, ahead + 1)
                }
            }
            // No ticket, or an admission that ran out: a newcomer.
            _ => {
                let t = Ticket {
                    issued: now,
                    seq: self.seq.fetch_add(1, Ordering::Relaxed),
                    nonce: rand::random(),
                    admitted_at: 0,
                };
                if q.waiting.is_empty() && q.active.len() < s.max_active && !self.busy() {
                    q.active.insert(t.nonce, now);
                    Decision::Admit(Some(Ticket {
                        admitted_at: now,
                        ..t
                    }))
                } else {
                    let order = t.order();
                    q.waiting.insert(order, now);
                    let ahead = q.waiting.range(..order).count();
                    Decision::Wait(t, ahead + 1)
                }
            }
        }
    }

    /// A resident who reached 予約入力完了 gives their place to the next in line at once,
    /// instead of holding it until they have been quiet for the whole window (which kept
    /// the queue still during a rush: see docs/benchmarks.md).
    fn release(&self, nonce: u64) {
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        q.active.remove(&nonce);
    }

    /// How soon the waiting page at `position` refreshes itself.
    fn refresh_secs(&self, position: usize) -> i64 {
        let every = self.settings.refresh_secs.max(1);
        if position <= self.settings.max_active {
            every.min(FRONT_REFRESH_SECS)
        } else {
            every
        }
    }

    /// (active, waiting) now, for tests and logs.
    pub fn counts(&self) -> (usize, usize) {
        let q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        (q.active.len(), q.waiting.len())
    }
}

fn ticket_cookie(app: &App, ticket: &Ticket) -> Cookie<'static> {
    let mut c = Cookie::new(cookie_name(app), ticket.encode(app));
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_path("/");
    c.set_secure(app.settings.security.https);
    c
}

fn waiting_page(app: &App, position: usize) -> Response {
    let mut ctx = tera::Context::new();
    ctx.insert("position", &position);
    ctx.insert("refresh_secs", &app.admission.refresh_secs(position));
    match app.templates.render("pickup/waiting.html", &ctx) {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "waiting page template");
            axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Put into a response's extensions by a handler that ends the resident's visit (the
/// completion page): the middleware then frees the resident's place.
#[derive(Clone, Copy, Debug)]
pub struct VisitFinished;

/// The middleware (see the module's comment).
pub async fn middleware(State(app): State<AppState>, request: Request, next: Next) -> Response {
    if !app.admission.enabled() || !guards(request.uri().path()) {
        return next.run(request).await;
    }
    let jar = CookieJar::from_headers(request.headers());
    let ticket = jar
        .get(&cookie_name(&app))
        .and_then(|c| Ticket::decode(&app, c.value()));
    let now = app.clock.now_unix();
    let known_nonce = ticket.map(|t| t.nonce);
    match app.admission.decide(ticket, now) {
        Decision::Wait(ticket, position) => {
            let mut response = waiting_page(&app, position);
            set_cookie(&app, &mut response, &ticket);
            response
        }
        Decision::Admit(new_ticket) => {
            let permit = tokio::time::timeout(IN_FLIGHT_WAIT, app.admission.in_flight.acquire())
                .await
                .ok()
                .and_then(Result::ok);
            let Some(_permit) = permit else {
                let mut r = axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response();
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
                return r;
            };
            let mut response = next.run(request).await;
            if response.extensions().get::<VisitFinished>().is_some()
                && let Some(nonce) = new_ticket.map(|t| t.nonce).or(known_nonce)
            {
                app.admission.release(nonce);
            }
            if let Some(t) = new_ticket {
                set_cookie(&app, &mut response, &t);
            }
            response
        }
    }
}

fn set_cookie(app: &App, response: &mut Response<Body>, ticket: &Ticket) {
    if let Ok(v) = HeaderValue::from_str(&ticket_cookie(app, ticket).to_string()) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(max_active: usize) -> AdmissionSettings {
        AdmissionSettings {
            max_active,
            window_secs: 10,
            refresh_secs: 5,
            ..AdmissionSettings::default()
        }
    }

    fn admitted(d: Decision) -> Option<Ticket> {
        match d {
            Decision::Admit(t) => t,
            Decision::Wait(..) => panic!("expected admission"),
        }
    }

    fn waiting(d: Decision) -> (Ticket, usize) {
        match d {
            Decision::Wait(t, p) => (t, p),
            Decision::Admit(_) => panic!("expected the waiting page"),
        }
    }

    #[test]
    fn admits_up_to_the_limit_then_queues_in_order() {
        let a = Admission::new(settings(1));
        let first = admitted(a.decide(None, 100)).expect("a new ticket");
        let (b, pb) = waiting(a.decide(None, 100));
        let (c, pc) = waiting(a.decide(None, 101));
        assert_eq!((pb, pc), (1, 2));
        // The admitted one comes back: still in, whatever the queue.
        assert!(admitted(a.decide(Some(first), 105)).is_none());
        // C asks before B once the first is idle: B is ahead and still refreshing.
        let _ = waiting(a.decide(Some(b), 108));
        let (_, pc) = waiting(a.decide(Some(c), 116));
        assert_eq!(pc, 2, "B still ahead of C");
        let b_in = admitted(a.decide(Some(b), 116)).expect("B admitted");
        assert!(b_in.admitted_at > 0);
        let (_, pc) = waiting(a.decide(Some(c), 117));
        assert_eq!(pc, 1);
    }

    #[test]
    fn a_ticket_not_refreshed_leaves_the_queue() {
        let a = Admission::new(settings(1));
        admitted(a.decide(None, 100));
        let (b, _) = waiting(a.decide(None, 100));
        let (c, _) = waiting(a.decide(None, 100));
        let _ = b;
        // B went away; C refreshes; after 3 refresh periods B no longer counts.
        let (_, p) = waiting(a.decide(Some(c), 105));
        assert_eq!(p, 2);
        let (_, p) = waiting(a.decide(Some(c), 110));
        assert_eq!(p, 2);
        assert!(
            admitted(a.decide(Some(c), 116)).is_some(),
            "B gone, the first idle"
        );
    }
}
