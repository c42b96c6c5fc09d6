//! The report: text for people, JSON for scripts, and the machine it ran on.
use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::checks::Checks;
use crate::stats::{Stats, StepSummary};
use crate::{DbKind, Mode};

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub nproc: usize,
    pub cpu: String,
    pub kernel: String,
    pub mem_total_mb: u64,
    pub started_at_utc: String,
}

impl Machine {
    pub fn now() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split(':').nth(1))
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        let mem_total_mb = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                m.lines()
                    .find(|l| l.starts_with("MemTotal:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|v| v.parse::<u64>().ok())
            })
            .map_or(0, |kb| kb / 1024);
        Machine {
            nproc: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu,
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .unwrap_or_default()
                .trim()
                .to_string(),
            mem_total_mb,
            started_at_utc: time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        }
    }
}

/// The 1, 5 and 15 minute load averages.
pub fn loadavg() -> [f64; 3] {
    let s = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut it = s.split_whitespace().map(|v| v.parse().unwrap_or(0.0));
    [
        it.next().unwrap_or(0.0),
        it.next().unwrap_or(0.0),
        it.next().unwrap_or(0.0),
    ]
}

/// CPU time (user + system) a process has used, in clock ticks.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: count fields after it.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// The whole machine's CPU time from `/proc/stat`, in clock ticks: (busy, all), where
/// busy is everything but idle and iowait, summed over the CPUs.
pub fn machine_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let all: u64 = fields.iter().take(8).sum();
    let idle = fields.get(3)? + fields.get(4)?;
    Some((all - idle, all))
}

/// Where the CPU went during a flow run, beside the server's own.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CpuUse {
    /// The load generator itself (its residents, HTML parsing, the SMTP sink).
    pub generator_secs: f64,
    /// Every process on the machine (server, generator, PostgreSQL, anything else).
    pub machine_busy_secs: f64,
    /// CPU time the machine had: wall time × CPUs.
    pub machine_secs: f64,
}

/// Samples taken before and after a run for [`CpuUse`].
pub struct CpuSample {
    own: Option<u64>,
    machine: Option<(u64, u64)>,
}

impl CpuSample {
    pub fn now() -> CpuSample {
        CpuSample {
            own: cpu_ticks(std::process::id()),
            machine: machine_ticks(),
        }
    }

    pub fn since(&self, before: &CpuSample) -> Option<CpuUse> {
        let tick = ticks_per_sec();
        let (own_a, own_b) = (before.own?, self.own?);
        let ((busy_a, all_a), (busy_b, all_b)) = (before.machine?, self.machine?);
        Some(CpuUse {
            generator_secs: (own_b - own_a) as f64 / tick,
            machine_busy_secs: (busy_b - busy_a) as f64 / tick,
            machine_secs: (all_b - all_a) as f64 / tick,
        })
    }
}

pub fn ticks_per_sec() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as f64 } else { 100.0 }
}

pub struct FlowInputs {
    /// Flow (card pickup) or Vaccination: both play residents through the pages.
    pub mode: Mode,
    pub db: DbKind,
    pub instances: usize,
    pub residents: usize,
    pub elapsed: f64,
    pub stats: Stats,
    pub checks: Checks,
    pub peak_rss_kb: Vec<Option<u64>>,
    pub server_cpu_secs: Vec<Option<f64>>,
    pub cpu: Option<CpuUse>,
    pub exit_codes: Vec<Option<i32>>,
    pub verification_mails: u64,
    pub completion_mails: u64,
    pub unreadable_mails: u64,
    pub load_before: [f64; 3],
    pub load_after: [f64; 3],
    pub clerks: i32,
    pub server_log: String,
    pub server_env: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub mode: Mode,
    pub db: DbKind,
    pub instances: usize,
    /// Concurrent residents (flow) or clients (core, pgbench).
    pub concurrency: usize,
    pub elapsed_secs: f64,
    pub completed: u64,
    pub completed_per_sec: f64,
    pub requests: u64,
    pub requests_per_sec: f64,
    pub steps: Vec<StepSummary>,
    pub worst_p99_ms: f64,
    pub errors: BTreeMap<String, u64>,
    pub error_count: u64,
    pub server_5xx: u64,
    pub hold_taken_retries: u64,
    pub waiting_pages: u64,
    pub waiting_secs: f64,
    pub peak_rss_mb: Vec<Option<f64>>,
    pub server_cpu_secs: Vec<Option<f64>>,
    /// Generator and whole-machine CPU over the run (flow mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<CpuUse>,
    pub server_exit_codes: Vec<Option<i32>>,
    pub verification_mails: u64,
    pub completion_mails: u64,
    pub unreadable_mails: u64,
    pub checks: Option<Checks>,
    pub load_before: [f64; 3],
    pub load_after: [f64; 3],
    pub clerks: i32,
    pub server_log: String,
    pub server_env: Vec<String>,
    /// Free-form notes of a mode (pgbench's own output line).
    pub notes: Vec<String>,
}

#[derive(Serialize)]
pub struct JsonOut<'a> {
    pub machine: &'a Machine,
    pub runs: &'a [RunReport],
}

impl RunReport {
    pub fn from_flow(i: FlowInputs) -> RunReport {
        RunReport {
            mode: i.mode,
            db: i.db,
            instances: i.instances,
            concurrency: i.residents,
            elapsed_secs: i.elapsed,
            completed: i.stats.completed,
            completed_per_sec: i.stats.completed as f64 / i.elapsed,
            requests: i.stats.requests,
            requests_per_sec: i.stats.requests as f64 / i.elapsed,
            steps: i.stats.summaries(),
            worst_p99_ms: i.stats.worst_p99_ms(),
            error_count: i.stats.error_count(),
            errors: i.stats.errors.clone(),
            server_5xx: i.stats.server_errors,
            hold_taken_retries: i.stats.hold_taken,
            waiting_pages: i.stats.waiting_pages,
            waiting_secs: i.stats.waiting_secs,
            peak_rss_mb: i
                .peak_rss_kb
                .iter()
                .map(|k| k.map(|k| k as f64 / 1024.0))
                .collect(),
            server_cpu_secs: i.server_cpu_secs,
            cpu: i.cpu,
            server_exit_codes: i.exit_codes,
            verification_mails: i.verification_mails,
            completion_mails: i.completion_mails,
            unreadable_mails: i.unreadable_mails,
            checks: Some(i.checks),
            load_before: i.load_before,
            load_after: i.load_after,
            clerks: i.clerks,
            server_log: i.server_log,
            server_env: i.server_env,
            notes: Vec::new(),
        }
    }

    /// No errors, no 5xx, nothing oversold or booked twice, and the database agrees with
    /// what the residents were told.
    pub fn clean(&self) -> bool {
        let checks_ok = self.checks.as_ref().is_none_or(|c| {
            c.oversold_slots == 0
                && c.notices_booked_twice == 0
                && c.taken_mismatch == 0
                && (!self.mode.plays_residents() || c.bookings_in_db as u64 == self.completed)
        });
        self.error_count == 0 && self.server_5xx == 0 && checks_ok
    }

    pub fn text(&self, m: &Machine) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "== {:?} on {:?}, {} instance(s), concurrency {} ==",
            self.mode, self.db, self.instances, self.concurrency
        );
        let _ = writeln!(
            s,
            "machine: {} cores ({}), {} MB; load average before {:.2} {:.2} {:.2}, after {:.2} {:.2} {:.2}",
            m.nproc,
            m.cpu,
            m.mem_total_mb,
            self.load_before[0],
            self.load_before[1],
            self.load_before[2],
            self.load_after[0],
            self.load_after[1],
            self.load_after[2]
        );
        let _ = writeln!(
            s,
            "completed: {} in {:.1} s = {:.1}/s; requests {} = {:.1}/s",
            self.completed,
            self.elapsed_secs,
            self.completed_per_sec,
            self.requests,
            self.requests_per_sec
        );
        if !self.steps.is_empty() {
            let _ = writeln!(
                s,
                "{:<14} {:>8} {:>9} {:>9} {:>9} {:>9}",
                "step", "count", "p50 ms", "p95 ms", "p99 ms", "max ms"
            );
            for st in &self.steps {
                let _ = writeln!(
                    s,
                    "{:<14} {:>8} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
                    st.step, st.count, st.p50_ms, st.p95_ms, st.p99_ms, st.max_ms
                );
            }
        }
        let _ = writeln!(
            s,
            "errors: {}{}",
            self.error_count,
            if self.errors.is_empty() {
                String::new()
            } else {
                format!(" {:?}", self.errors)
            }
        );
        if self.mode.plays_residents() {
            let _ = writeln!(
                s,
                "server 5xx: {}; cells taken first by another (chose again): {}; waiting pages: {} ({:.0} s)",
                self.server_5xx, self.hold_taken_retries, self.waiting_pages, self.waiting_secs
            );
            let _ = writeln!(
                s,
                "mails: {} verification, {} completion, {} unreadable",
                self.verification_mails, self.completion_mails, self.unreadable_mails
            );
            let _ = writeln!(
                s,
                "server peak RSS (VmHWM): {} MB; server CPU: {} s; exit codes {:?}",
                self.peak_rss_mb
                    .iter()
                    .map(|r| r.map_or("?".into(), |r| format!("{r:.1}")))
                    .collect::<Vec<_>>()
                    .join(", "),
                self.server_cpu_secs
                    .iter()
                    .map(|r| r.map_or("?".into(), |r| format!("{r:.1}")))
                    .collect::<Vec<_>>()
                    .join(", "),
                self.server_exit_codes
            );
            if let Some(cpu) = &self.cpu
                && self.completed > 0
            {
                let per = |secs: f64| secs * 1000.0 / self.completed as f64;
                let server: f64 = self.server_cpu_secs.iter().flatten().sum();
                let _ = writeln!(
                    s,
                    "CPU per booking: server {:.1} ms, generator {:.1} ms, whole machine {:.1} ms (busy {:.0} % of {:.1} CPU-s)",
                    per(server),
                    per(cpu.generator_secs),
                    per(cpu.machine_busy_secs),
                    100.0 * cpu.machine_busy_secs / cpu.machine_secs.max(f64::EPSILON),
                    cpu.machine_secs
                );
            }
        }
        if let Some(c) = &self.checks {
            let _ = writeln!(
                s,
                "database: {} bookings, oversold slots {}, notices booked twice {}, slots whose taken disagrees {}",
                c.bookings_in_db, c.oversold_slots, c.notices_booked_twice, c.taken_mismatch
            );
        }
        for n in &self.notes {
            let _ = writeln!(s, "{n}");
        }
        let _ = writeln!(s, "clean: {}", self.clean());
        s
    }
}
