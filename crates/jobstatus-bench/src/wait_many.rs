//! `wait_all` over many WES runs of the stateless runs server, each size in a process of
//! its own so that its peak memory is its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use jobstatus::vendors::ga4gh_wes::Ga4ghWesJob;
use jobstatus::{Job, WaitPolicy, wait_all};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::clients;
use crate::measure::{memory, process_cpu, quantile};
use crate::server;

/// Status calls in flight at once.
pub const CONCURRENCY: usize = 256;

/// Over how long the runs end, at a stretch of 1.
const ENDS_WITHIN: Duration = Duration::from_secs(30);

/// One size of the bench: how many jobs, and by how much the policy and the runs' ends
/// are stretched (delays 0.5-4 s at 1).
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    /// Jobs waited on.
    pub jobs: usize,
    /// Factor on every delay and on the time over which the runs end.
    pub stretch: f64,
}

/// The header of the table [`run`] writes a row of.
pub const HEADER: &str = "| jobs | delays | peak RSS | bytes per job | polls per job (ideal) | ratio | lag p50 / p99 / max | late (> max delay + 10%) | CPU s (client + server) | wall s | busiest second: polls (CPU s) | errors |\n|---|---|---|---|---|---|---|---|---|---|---|---|";

/// The policy of `scale`: 0.5-4 s times the stretch, no deadline in reach.
pub fn policy(stretch: f64) -> WaitPolicy {
    WaitPolicy::with_timeout(Duration::from_secs(3600))
        .with_min_delay(Duration::from_secs_f64(0.5 * stretch))
        .with_max_delay(Duration::from_secs_f64(4.0 * stretch))
        .with_multiplier(2.0)
        .with_transient_errors(5)
        .with_call_timeout(Some(Duration::from_secs(30)))
        .with_jitter_seed(1)
}

/// Runs `wait_all` at `scale` in this process and returns its table row.
pub fn run(scale: Scale) -> String {
    let server = server::runs(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a client runtime");
    let policy = policy(scale.stretch);
    let base_rss = memory("VmRSS");
    let cpu_before = process_cpu();

    let mut rng = StdRng::seed_from_u64(7);
    let ends_within = ENDS_WITHIN.as_secs_f64() * scale.stretch;
    let ends: Vec<u64> = (0..scale.jobs)
        .map(|_| (rng.random_range(0.0..ends_within) * 1000.0) as u64)
        .collect();

    let client = clients::wes(&server.loopback.url(""));
    let jobs: Vec<Arc<dyn Job>> = ends
        .iter()
        .map(|end| Arc::new(Ga4ghWesJob::new(client.clone(), end.to_string())) as Arc<dyn Job>)
        .collect();

    let started = Instant::now();
    let busiest = Busiest::watch(Arc::clone(&server.counts));
    // Runs are timed from the server's start, the wait from now: what counts is the
    // time from the wait's start to each end.
    let head_start = started.saturating_duration_since(server.epoch);
    let (lags, errors) = runtime.block_on(async {
        let mut lags = Vec::with_capacity(scale.jobs);
        let mut errors = 0usize;
        let mut finished = wait_all(jobs, &policy, CONCURRENCY);
        while let Some((job, outcome)) = finished.next().await {
            let end = Duration::from_millis(job.id().parse().unwrap_or(0)).max(head_start);
            lags.push(server.epoch.elapsed().saturating_sub(end).as_secs_f64());
            if outcome.is_err() {
                errors += 1;
            }
        }
        (lags, errors)
    });
    let wall = started.elapsed().as_secs_f64();
    let cpu = (process_cpu() - cpu_before).as_secs_f64();
    let (busiest_polls, busiest_cpu) = busiest.stop();
    let peak = memory("VmHWM");
    let ideal: u64 = ends
        .iter()
        .map(|end| {
            let end = Duration::from_millis(*end).saturating_sub(head_start);
            ideal_polls(&policy, end, &mut rng)
        })
        .sum();

    let mut lags = lags;
    lags.sort_by(f64::total_cmp);
    let max_delay = policy.max_delay.as_secs_f64();
    let late = lags.iter().filter(|lag| **lag > max_delay * 1.1).count();
    let polls = server.counts.status.load(Ordering::Relaxed) as f64 / scale.jobs as f64;
    let ideal = ideal as f64 / scale.jobs as f64;
    format!(
        "| {} | {:.1}-{:.1} s | {:.0} MiB | {:.0} | {polls:.2} ({ideal:.2}) | {:.2}x | {:.2} / {:.2} / {:.2} s | {late} | {cpu:.1} | {wall:.0} | {busiest_polls} ({:.2}) | {errors} |",
        scale.jobs,
        policy.min_delay.as_secs_f64(),
        max_delay,
        peak as f64 / (1024.0 * 1024.0),
        peak.saturating_sub(base_rss) as f64 / scale.jobs as f64,
        polls / ideal,
        quantile(&lags, 0.5),
        quantile(&lags, 0.99),
        lags.last().copied().unwrap_or(f64::NAN),
        busiest_cpu.as_secs_f64(),
    )
}

/// Watches the status calls answered, second by second, for the busiest second: how many
/// polls the process managed at its fastest and the CPU time it took for them, which says
/// whether it ran out of CPU (two seconds per second on two cores) or of work.
struct Busiest {
    stop: Arc<AtomicBool>,
    watcher: std::thread::JoinHandle<(u64, Duration)>,
}

impl Busiest {
    fn watch(counts: Arc<server::Counts>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let watcher = std::thread::spawn(move || {
            let (mut polls, mut cpu) = (counts.status.load(Ordering::Relaxed), process_cpu());
            let mut busiest = (0, Duration::ZERO);
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_secs(1));
                let (now, cpu_now) = (counts.status.load(Ordering::Relaxed), process_cpu());
                if now - polls > busiest.0 {
                    busiest = (now - polls, cpu_now.saturating_sub(cpu));
                }
                (polls, cpu) = (now, cpu_now);
            }
            busiest
        });
        Self { stop, watcher }
    }

    /// The polls and CPU time of the busiest second.
    fn stop(self) -> (u64, Duration) {
        self.stop.store(true, Ordering::Relaxed);
        self.watcher.join().unwrap_or_default()
    }
}

/// The polls the policy makes on a run ending `end` after the first poll when every poll
/// happens on time: the first at once, then after each jittered delay, up to the first
/// that sees the run ended.
fn ideal_polls(policy: &WaitPolicy, end: Duration, rng: &mut StdRng) -> u64 {
    let end = end.as_secs_f64();
    let (mut at, mut polls) = (0.0, 1);
    while at < end {
        let low = policy.first_delay().as_secs_f64();
        let high = policy.ceiling(polls as u32 - 1).as_secs_f64();
        at += if high > low {
            rng.random_range(low..=high)
        } else {
            low
        };
        polls += 1;
    }
    polls
}

/// Runs each scale in a child process of this binary and returns the table.
pub fn run_in_children(scales: &[Scale]) -> String {
    let mut table = format!("{HEADER}\n");
    let exe = std::env::current_exe().expect("the bench binary's path");
    for scale in scales {
        let output = std::process::Command::new(&exe)
            .args([
                "wait-all-one",
                &scale.jobs.to_string(),
                &scale.stretch.to_string(),
            ])
            .output()
            .expect("the bench binary runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        match stdout.lines().rfind(|line| line.starts_with('|')) {
            Some(row) if output.status.success() => table.push_str(row),
            _ => table.push_str(&format!(
                "| {} | failed: {} |",
                scale.jobs,
                String::from_utf8_lossy(&output.stderr).trim()
            )),
        }
        table.push('\n');
    }
    table
}
