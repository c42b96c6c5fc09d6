//! The chart for docs/benchmarks.md, drawn from the runs just made: completed bookings per
//! second and the worst step's p99 against concurrency, one line per database.
use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::report::{Machine, RunReport};

const W: f64 = 760.0;
const H: f64 = 300.0;
const PAD_L: f64 = 60.0;
const PAD_R: f64 = 20.0;
const PAD_T: f64 = 40.0;
const PAD_B: f64 = 50.0;
const COLOURS: [&str; 4] = ["#1f5fbf", "#c0392b", "#2e7d32", "#8e44ad"];

pub fn chart(runs: &[RunReport], machine: &Machine) -> String {
    let mut series: BTreeMap<String, Vec<(usize, f64, f64)>> = BTreeMap::new();
    for r in runs {
        let name = format!(
            "{:?} {:?}{}",
            r.mode,
            r.db,
            if r.instances > 1 {
                format!(" x{}", r.instances)
            } else {
                String::new()
            }
        )
        .to_lowercase();
        series
            .entry(name)
            .or_default()
            .push((r.concurrency, r.completed_per_sec, r.worst_p99_ms));
    }
    for v in series.values_mut() {
        v.sort_by_key(|p| p.0);
    }
    let mut s = String::new();
    let total_h = 2.0 * H + 40.0;
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{total_h}" viewBox="0 0 {W} {total_h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        s,
        r#"<rect width="100%" height="100%" fill="white"/><text x="{}" y="16" text-anchor="middle" font-size="13">Madoguchi load: {} cores, {} ({})</text>"#,
        W / 2.0,
        machine.nproc,
        escape(&machine.cpu),
        escape(&machine.started_at_utc)
    );
    panel(&mut s, &series, 0.0, "completed bookings / s", |p| p.1);
    panel(&mut s, &series, H + 20.0, "worst step p99 (ms)", |p| p.2);
    s.push_str("</svg>\n");
    s
}

fn panel(
    s: &mut String,
    series: &BTreeMap<String, Vec<(usize, f64, f64)>>,
    y0: f64,
    title: &str,
    value: impl Fn(&(usize, f64, f64)) -> f64,
) {
    let xs: Vec<usize> = series.values().flatten().map(|p| p.0).collect();
    let (xmin, xmax) = (
        *xs.iter().min().unwrap_or(&1) as f64,
        *xs.iter().max().unwrap_or(&1) as f64,
    );
    let ymax = series
        .values()
        .flatten()
        .map(&value)
        .fold(0.0, f64::max)
        .max(1e-9)
        * 1.1;
    // Concurrency on a log scale: 16, 64, 256 are equally spaced.
    let lx = |x: f64| {
        if xmax <= xmin {
            PAD_L + (W - PAD_L - PAD_R) / 2.0
        } else {
            PAD_L + (x.ln() - xmin.ln()) / (xmax.ln() - xmin.ln()) * (W - PAD_L - PAD_R)
        }
    };
    let ly = |y: f64| y0 + PAD_T + (1.0 - y / ymax) * (H - PAD_T - PAD_B);
    let _ = writeln!(
        s,
        r#"<text x="{PAD_L}" y="{}" font-weight="bold">{}</text>"#,
        y0 + PAD_T - 10.0,
        escape(title)
    );
    let _ = writeln!(
        s,
        r##"<line x1="{PAD_L}" y1="{b}" x2="{}" y2="{b}" stroke="#333"/><line x1="{PAD_L}" y1="{}" x2="{PAD_L}" y2="{b}" stroke="#333"/>"##,
        W - PAD_R,
        y0 + PAD_T,
        b = ly(0.0)
    );
    for i in 0..=4 {
        let v = ymax / 1.1 * i as f64 / 4.0;
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" text-anchor="end">{}</text><line x1="{PAD_L}" y1="{y}" x2="{}" y2="{y}" stroke="#ddd"/>"##,
            PAD_L - 6.0,
            ly(v) + 4.0,
            fmt(v),
            W - PAD_R,
            y = ly(v)
        );
    }
    let mut ticks: Vec<usize> = xs.clone();
    ticks.sort_unstable();
    ticks.dedup();
    for x in &ticks {
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle">{x}</text>"#,
            lx(*x as f64),
            ly(0.0) + 16.0
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">concurrent residents</text>"#,
        (PAD_L + W - PAD_R) / 2.0,
        ly(0.0) + 34.0
    );
    for (n, (name, points)) in series.iter().enumerate() {
        let colour = COLOURS[n % COLOURS.len()];
        let path: Vec<String> = points
            .iter()
            .map(|p| format!("{:.1},{:.1}", lx(p.0 as f64), ly(value(p))))
            .collect();
        let _ = writeln!(
            s,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"#,
            path.join(" ")
        );
        for p in points {
            let _ = writeln!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{colour}"><title>{} at {}: {}</title></circle>"#,
                lx(p.0 as f64),
                ly(value(p)),
                escape(name),
                p.0,
                fmt(value(p))
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" fill="{colour}">{}</text>"#,
            W - PAD_R - 150.0,
            y0 + PAD_T + 14.0 * n as f64,
            escape(name)
        );
    }
}

fn fmt(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
