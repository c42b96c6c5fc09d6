//! Lockouts, the proof-of-work challenge and rate limits, as the forms that check a secret
//! or send a mail use them (entry, 予約照会, resend, staff login). The rules are in
//! `core::throttle`, the counters in `db::throttle`; this module keys them to the request.
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use serde::Serialize;

use super::error::WebError;
use crate::app::{App, AppState};
use crate::core::client_ip;
use crate::core::pow;
use crate::core::throttle::{FailurePolicy, Gate, RateLimit};
use crate::db::throttle::{self as counters, Key};
use crate::i18n::Msg;

/// The client a request is counted against (see `core::client_ip`).
#[derive(Debug, Clone, Copy)]
pub struct Client(pub IpAddr);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Client, Self::Rejection> {
        // The server always attaches the peer; a request made in-process without one (a
        // test that does not say) counts as the loopback address.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(Client(client_ip::client_ip(
            peer,
            &forwarded,
            &app.trusted_proxies,
        )))
    }
}

/// A counter key: the scope in clear, the value as a keyed hash (addresses, numbers and
/// logins never reach the database as themselves).
pub struct Counted {
    scope: &'static str,
    hash: String,
}

impl Counted {
    pub fn new(app: &App, scope: &'static str, value: &str) -> Counted {
        Counted {
            scope,
            hash: app
                .secrets
                .keyed_hash("throttle", &format!("{scope}\0{value}")),
        }
    }

    pub fn client(app: &App, scope: &'static str, client: Client) -> Counted {
        Counted::new(app, scope, &client_ip::limit_key(client.0))
    }

    fn key(&self) -> Key<'_> {
        Key {
            scope: self.scope,
            hash: &self.hash,
        }
    }
}

fn keys(counted: &[Counted]) -> Vec<Key<'_>> {
    counted.iter().map(Counted::key).collect()
}

/// A challenge for the page to show; the solver (`/static/pow.js`) fills the `pow` field.
#[derive(Debug, Clone, Serialize)]
pub struct ChallengeView {
    pub challenge: String,
    pub salt: String,
    pub maxnumber: u64,
    pub signature: String,
    /// Why it is asked, said at the top of the form.
    pub message: Msg,
    /// How long to wait instead, for a browser without JavaScript ("30分").
    pub wait: Msg,
}

/// How long a challenge may be solved and sent back.
const CHALLENGE_SECS: i64 = 10 * 60;

/// Asked when the run of failures reached the threshold and no (valid) answer came.
const CHALLENGE_NEEDED: &str = "error-challenge-needed";
const CHALLENGE_FAILED: &str = "error-challenge-failed";

/// "30分" / "30 minutes", as `core::throttle::wait_ja` rounds it.
pub fn wait(secs: i64) -> Msg {
    let minutes = (secs.max(1) + 59) / 60;
    if minutes >= 60 && minutes % 60 == 0 {
        Msg::new("wait-hours").arg("n", minutes / 60)
    } else {
        Msg::new("wait-minutes").arg("n", minutes)
    }
}

fn new_challenge(app: &App, policy: &FailurePolicy, message: &'static str) -> ChallengeView {
    let number = rand::random_range(0..=pow::MAX_NUMBER);
    let c = pow::create(
        &crate::secrets::random_token(12),
        app.clock.now_unix() + CHALLENGE_SECS,
        number,
        |s| app.secrets.keyed_hash("pow", s),
    );
    ChallengeView {
        challenge: c.challenge,
        salt: c.salt,
        maxnumber: c.maxnumber,
        signature: c.signature,
        message: Msg::new(message),
        wait: wait(policy.window_secs),
    }
}

/// Whether an attempt may go ahead.
pub enum Admission {
    Go,
    /// Only with a solved challenge: show the form again with this one.
    Challenge(ChallengeView),
    /// Not now; the message says until when.
    Locked(Msg),
}

/// Decides on an attempt against `counted` (a client, a number, a login) under `policy`,
/// spending the answer in the form's `pow` field when a challenge is due.
pub async fn admit(
    app: &App,
    counted: &[Counted],
    policy: &FailurePolicy,
    pow_field: &str,
) -> Result<Admission, WebError> {
    let now = app.clock.now_unix();
    match counters::gate(&app.db, &keys(counted), policy, now).await? {
        Gate::Open => Ok(Admission::Go),
        Gate::Locked { until } => Ok(Admission::Locked(Msg::new("error-locked").arg(
            "until",
            crate::core::deadline::format_hhmm_ja(crate::core::deadline::jst_from_unix(until)),
        ))),
        Gate::NeedsChallenge => {
            if pow_field.trim().is_empty() {
                return Ok(Admission::Challenge(new_challenge(
                    app,
                    policy,
                    CHALLENGE_NEEDED,
                )));
            }
            let sign = |s: &str| app.secrets.keyed_hash("pow", s);
            let solved = pow::parse_solution(pow_field).and_then(|s| pow::verify(&s, now, sign));
            match solved {
                Ok(challenge)
                    if counters::use_challenge(&app.db, &challenge, now + CHALLENGE_SECS)
                        .await? =>
                {
                    Ok(Admission::Go)
                }
                _ => Ok(Admission::Challenge(new_challenge(
                    app,
                    policy,
                    CHALLENGE_FAILED,
                ))),
            }
        }
    }
}

pub async fn failed(
    app: &App,
    counted: &[Counted],
    policy: &FailurePolicy,
) -> Result<(), WebError> {
    counters::record_failure(&app.db, &keys(counted), policy, app.clock.now_unix()).await?;
    Ok(())
}

pub async fn succeeded(app: &App, counted: &[Counted]) -> Result<(), WebError> {
    counters::clear(&app.db, &keys(counted), app.clock.now_unix()).await?;
    Ok(())
}

/// Takes one use of `limit` for `counted`; Err is the message to show when it is used up.
/// Takes one use of each limit in order (one write transaction), stopping at the first that
/// refuses: Err((its index, the message saying when to try again)).
pub async fn within_each(
    app: &App,
    limits: &[(&Counted, &RateLimit)],
) -> Result<Result<(), (usize, Msg)>, WebError> {
    let now = app.clock.now_unix();
    let keys: Vec<_> = limits.iter().map(|(c, l)| (c.key(), *l)).collect();
    Ok(counters::take_each(&app.db, &keys, now)
        .await?
        .map_err(|(index, retry_at)| {
            (
                index,
                Msg::new("error-rate-limited").arg("wait", wait(retry_at - now)),
            )
        }))
}

pub async fn within(
    app: &App,
    counted: &Counted,
    limit: &RateLimit,
) -> Result<Result<(), Msg>, WebError> {
    Ok(within_each(app, &[(counted, limit)])
        .await?
        .map_err(|(_, message)| message))
}
