//! The rules for counting failed identifications and limiting how often a thing may be done:
//! thresholds and windows, decided here without I/O; the counters live in the database
//! (`db::throttle`), so every app instance sees the same ones.

/// A run of failures against one key (a client, a notice number, a receipt, a login).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureRun {
    pub failures: i32,
    pub window_started_at: i64,
    pub locked_until: Option<i64>,
}

/// How many consecutive failures are tolerated, over how long, and what follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailurePolicy {
    /// From this many failures on, every further attempt needs a solved challenge.
    pub threshold: i32,
    /// A run older than this is forgotten: "consecutive" means within this window.
    pub window_secs: i64,
    /// When set, reaching the threshold also locks the key for this long (staff logins).
    pub lock_secs: Option<i64>,
}

/// Identifications (entry, lookup, a staff login from one client): ten in a row within 30
/// minutes, then a challenge for each further attempt.
pub const IDENTIFICATION: FailurePolicy = FailurePolicy {
    threshold: 10,
    window_secs: 30 * 60,
    lock_secs: None,
};

/// Staff logins: ten in a row lock the login for 15 minutes.
pub const STAFF_LOGIN: FailurePolicy = FailurePolicy {
    threshold: 10,
    window_secs: 30 * 60,
    lock_secs: Some(15 * 60),
};

/// What an attempt may do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// Allowed only with a solved proof-of-work challenge.
    NeedsChallenge,
    /// Not allowed at all until then (unix seconds).
    Locked {
        until: i64,
    },
}

impl FailurePolicy {
    /// The run as it stands at `now`: None once its window has passed (and no lock holds).
    pub fn live(&self, run: Option<FailureRun>, now: i64) -> Option<FailureRun> {
        run.filter(|r| {
            r.window_started_at + self.window_secs > now || r.locked_until.is_some_and(|u| u > now)
        })
    }

    pub fn gate(&self, run: Option<FailureRun>, now: i64) -> Gate {
        match self.live(run, now) {
            Some(FailureRun {
                locked_until: Some(until),
                ..
            }) if until > now => Gate::Locked { until },
            Some(r) if r.failures >= self.threshold => Gate::NeedsChallenge,
            _ => Gate::Open,
        }
    }

    /// The run after one more failure at `now`.
    pub fn after_failure(&self, run: Option<FailureRun>, now: i64) -> FailureRun {
        let mut r = match self.live(run, now) {
            Some(r) => r,
            None => FailureRun {
                failures: 0,
                window_started_at: now,
                locked_until: None,
            },
        };
        r.failures = r.failures.saturating_add(1);
        if let Some(lock) = self.lock_secs
            && r.failures >= self.threshold
        {
            r.locked_until = Some(now + lock);
            // The lock is the punishment; after it the count starts again.
            r.failures = 0;
            r.window_started_at = now;
        }
        r
    }
}

/// At most `limit` times per `period_secs` (a fixed window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: i32,
    pub period_secs: i64,
}

/// Verification mails to one address: a mail form must not flood an inbox.
pub const MAILS_PER_ADDRESS: RateLimit = RateLimit {
    limit: 3,
    period_secs: 60 * 60,
};
/// Mails one client may cause to be sent (verification, resend).
pub const MAILS_PER_CLIENT: RateLimit = RateLimit {
    limit: 10,
    period_secs: 60 * 60,
};
/// Resends of one booking's completion mail.
pub const RESENDS_PER_BOOKING: RateLimit = RateLimit {
    limit: 3,
    period_secs: 60 * 60,
};
/// Checks of a secret (entry numbers, receipt + password, staff password) by one client,
/// failed or not: a volume no person reaches, far above the failure threshold.
pub const SECRET_CHECKS_PER_CLIENT: RateLimit = RateLimit {
    limit: 60,
    period_secs: 10 * 60,
};

/// A window's count as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub started_at: i64,
    pub count: i32,
}

impl RateLimit {
    /// Whether one more use at `now` is allowed, and the window after it (unchanged when not).
    pub fn take(&self, window: Option<Window>, now: i64) -> (bool, Window) {
        let current = window
            .filter(|w| w.started_at + self.period_secs > now)
            .unwrap_or(Window {
                started_at: now,
                count: 0,
            });
        if current.count >= self.limit {
            (false, current)
        } else {
            (
                true,
                Window {
                    count: current.count + 1,
                    ..current
                },
            )
        }
    }

    /// When a refused use may be tried again.
    pub fn retry_at(&self, window: Window) -> i64 {
        window.started_at + self.period_secs
    }
}

/// "5分" / "1時間": how long to wait, rounded up to whole minutes, for messages.
pub fn wait_ja(secs: i64) -> String {
    let minutes = (secs.max(1) + 59) / 60;
    if minutes >= 60 && minutes % 60 == 0 {
        format!("{}時間", minutes / 60)
    } else {
        format!("{minutes}分")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ten_failures_in_a_row_ask_for_a_challenge() {
        let p = IDENTIFICATION;
        let mut run = None;
        for i in 0..10 {
            assert_eq!(p.gate(run, 100 + i), Gate::Open, "before failure {}", i + 1);
            run = Some(p.after_failure(run, 100 + i));
        }
        assert_eq!(p.gate(run, 200), Gate::NeedsChallenge);
        // Half an hour after the run began it is forgotten.
        assert_eq!(p.gate(run, 100 + 30 * 60), Gate::Open);
        assert_eq!(p.after_failure(run, 100 + 30 * 60).failures, 1);
    }

    #[test]
    fn staff_logins_lock_then_start_counting_again() {
        let p = STAFF_LOGIN;
        let mut run = None;
        for i in 0..10 {
            run = Some(p.after_failure(run, 1_000 + i));
        }
        let locked = run.unwrap();
        assert_eq!(locked.locked_until, Some(1_009 + 15 * 60));
        assert_eq!(p.gate(run, 1_100), Gate::Locked { until: 1_909 });
        assert_eq!(p.gate(run, 1_909), Gate::Open);
        // The lock outlives the failure window if need be, and ends on time.
        let late = FailureRun {
            window_started_at: 0,
            ..locked
        };
        assert_eq!(p.gate(Some(late), 1_500), Gate::Locked { until: 1_909 });
    }

    #[test]
    fn a_rate_limit_counts_in_fixed_windows() {
        let r = MAILS_PER_ADDRESS;
        let (ok1, w) = r.take(None, 0);
        let (ok2, w) = r.take(Some(w), 10);
        let (ok3, w) = r.take(Some(w), 20);
        let (ok4, w4) = r.take(Some(w), 30);
        assert!(ok1 && ok2 && ok3 && !ok4);
        assert_eq!(w4.count, 3);
        assert_eq!(r.retry_at(w4), 3_600);
        let (again, fresh) = r.take(Some(w4), 3_600);
        assert!(again);
        assert_eq!(
            fresh,
            Window {
                started_at: 3_600,
                count: 1
            }
        );
    }

    #[test]
    fn waits_read_naturally() {
        assert_eq!(wait_ja(1), "1分");
        assert_eq!(wait_ja(61), "2分");
        assert_eq!(wait_ja(3_600), "1時間");
        assert_eq!(wait_ja(5_400), "90分");
    }

    proptest! {
        #[test]
        fn never_more_than_the_limit_in_a_window(times in proptest::collection::vec(0i64..10_000, 1..200)) {
            let r = RateLimit { limit: 5, period_secs: 600 };
            let mut sorted = times.clone();
            sorted.sort_unstable();
            let mut w = None;
            let mut allowed: Vec<i64> = Vec::new();
            for t in sorted {
                let (ok, next) = r.take(w, t);
                w = Some(next);
                if ok { allowed.push(t); }
            }
            for (i, &t) in allowed.iter().enumerate() {
                let in_window = allowed[i..].iter().take_while(|&&u| u < t + 600).count();
                // Fixed windows allow at most twice the limit across a boundary, never more.
                prop_assert!(in_window <= 10);
            }
        }
    }
}
