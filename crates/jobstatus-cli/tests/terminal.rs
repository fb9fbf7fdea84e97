//! The live display in a real pseudo-terminal, and the same run in a pipe.

mod common;

use std::process::Command;
use std::time::Duration;

use common::Simulation;
use expectrl::process::unix::WaitStatus;
use expectrl::{Eof, Expect, Session};

/// A wait slow enough for the live line to be redrawn several times.
const SLOW: [&str; 4] = ["--min-delay", "300ms", "--max-delay", "300ms"];

fn args(job: &str) -> Vec<&str> {
    let mut args = vec!["wait", "ga4gh-wes", job];
    args.extend(SLOW);
    args
}

#[test]
fn a_terminal_gets_a_live_line_and_a_pipe_gets_plain_lines() {
    let sim = Simulation::start(&["ga4gh-wes"]);
    let jobs = sim.jobs("ga4gh-wes");

    // In a pseudo-terminal.
    let mut command: Command = sim.command();
    command.args(args(&jobs.succeeds)).env("TERM", "xterm");
    let mut session = Session::spawn(command).expect("a pty session");
    session.set_expect_timeout(Some(Duration::from_secs(30)));
    let captured = session.expect(Eof).expect("the wait ends");
    let screen = String::from_utf8_lossy(captured.as_bytes()).into_owned();
    let status = session.get_process_mut().wait().expect("an exit status");
    assert!(
        matches!(status, WaitStatus::Exited(_, 0)),
        "{status:?}: {screen}"
    );
    // The line is redrawn in place: the cursor goes back over it, and the spinner and
    // the phases it went through appear in turn on the same line.
    assert!(screen.contains('\x1b'), "control sequences: {screen:?}");
    assert!(
        screen.contains("\x1b[2K") || screen.contains('\r'),
        "the line is cleared and redrawn: {screen:?}"
    );
    let redraws = screen.matches("ga4gh-wes").count();
    assert!(redraws >= 3, "redrawn {redraws} times: {screen:?}");
    for seen in ["pending", "running", "succeeded (COMPLETE)", "exit 0"] {
        assert!(screen.contains(seen), "{seen}: {screen:?}");
    }
    let final_line = screen
        .rsplit(['\r', '\n'])
        .find(|line| line.contains("succeeded"))
        .expect("a final line");
    assert!(final_line.contains("polls"), "{final_line:?}");

    // The same run, piped.
    let run = sim.jobstatus(&args(&jobs.fails));
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        !run.stdout.contains('\x1b') && !run.stdout.contains('\r'),
        "{run:?}"
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines.len() >= 3,
        "one line per change and a final line: {run:?}"
    );
    assert!(lines[0].starts_with("ga4gh-wes "), "{run:?}");
    assert!(
        lines.iter().any(|line| line.contains(" running RUNNING ")),
        "{run:?}"
    );
    assert!(
        lines
            .last()
            .is_some_and(|line| line.contains("failed (EXECUTOR_ERROR)")),
        "{run:?}"
    );
    sim.stop();
}
