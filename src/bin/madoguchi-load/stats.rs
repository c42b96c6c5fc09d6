//! What a run measured: latencies per step, errors by kind, counts.
use std::collections::BTreeMap;

use serde::Serialize;

/// Steps of the flow in the order a resident meets them (the report keeps this order).
pub const STEPS: &[&str] = &[
    "home",
    "entry_form",
    "entry_submit",
    "entry_sent",
    "mail",
    "link",
    "link_use",
    "apply_form",
    "apply_choose",
    "grid",
    "hold",
    "apply_held",
    "apply_confirm",
    "confirm_page",
    "book",
    "done",
    "hold_core",
    "confirm_core",
];

#[derive(Default, Clone)]
pub struct Stats {
    /// Microseconds, per step.
    pub steps: BTreeMap<&'static str, Vec<u32>>,
    pub errors: BTreeMap<String, u64>,
    pub requests: u64,
    pub completed: u64,
    /// Responses with a 5xx status (also counted in errors).
    pub server_errors: u64,
    /// Times a resident was shown the waiting page.
    pub waiting_pages: u64,
    /// Seconds residents spent on the waiting page, summed.
    pub waiting_secs: f64,
    /// A chosen cell was taken by someone else first; the resident chose again.
    pub hold_taken: u64,
}

impl Stats {
    pub fn record(&mut self, step: &'static str, micros: u128) {
        self.steps
            .entry(step)
            .or_default()
            .push(micros.min(u32::MAX as u128) as u32);
    }

    pub fn error(&mut self, kind: impl Into<String>) {
        *self.errors.entry(kind.into()).or_default() += 1;
    }

    pub fn merge(&mut self, other: Stats) {
        for (k, mut v) in other.steps {
            self.steps.entry(k).or_default().append(&mut v);
        }
        for (k, n) in other.errors {
            *self.errors.entry(k).or_default() += n;
        }
        self.requests += other.requests;
        self.completed += other.completed;
        self.server_errors += other.server_errors;
        self.waiting_pages += other.waiting_pages;
        self.waiting_secs += other.waiting_secs;
        self.hold_taken += other.hold_taken;
    }

    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }

    pub fn summaries(&self) -> Vec<StepSummary> {
        let mut out: Vec<StepSummary> = STEPS
            .iter()
            .filter_map(|s| self.steps.get(s).map(|v| summarize(s, v)))
            .collect();
        for (k, v) in &self.steps {
            if !STEPS.contains(k) {
                out.push(summarize(k, v));
            }
        }
        out
    }

    /// The worst p99 over the request steps (the mail wait is not a request).
    pub fn worst_p99_ms(&self) -> f64 {
        self.summaries()
            .iter()
            .filter(|s| s.step != "mail")
            .map(|s| s.p99_ms)
            .fold(0.0, f64::max)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StepSummary {
    pub step: String,
    pub count: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

fn summarize(step: &str, values: &[u32]) -> StepSummary {
    let mut v = values.to_vec();
    v.sort_unstable();
    StepSummary {
        step: step.to_string(),
        count: v.len(),
        p50_ms: percentile(&v, 0.50),
        p95_ms: percentile(&v, 0.95),
        p99_ms: percentile(&v, 0.99),
        max_ms: v.last().map_or(0.0, |&m| m as f64 / 1000.0),
    }
}

/// Nearest-rank percentile of sorted microseconds, in milliseconds.
pub fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1] as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    #[test]
    fn nearest_rank() {
        let v: Vec<u32> = (1..=100).map(|i| i * 1000).collect();
        assert_eq!(super::percentile(&v, 0.5), 50.0);
        assert_eq!(super::percentile(&v, 0.99), 99.0);
        assert_eq!(super::percentile(&v[..1], 0.99), 1.0);
    }
}
