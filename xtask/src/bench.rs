//! `cargo xtask bench`: criterion's parse benchmark, then the wall time and
//! peak memory of `qapi-gen dump` and `qapi-gen rust` on QEMU's full
//! schema, each beside QEMU's own front end or generator (python3) on the
//! same schema in the same run, with the ratio.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::cargo::{build_qapi_gen, cargo, run_status, shared_dir};
use crate::Failed;

/// The release whose schema is measured: the newest, and the largest.
const RELEASE: &str = "10.2.0";

/// Runs of each generator; the median is reported.
const RUNS: usize = 11;

pub fn run(quick: bool) -> Result<(), Failed> {
    if !quick {
        let mut cmd = cargo();
        cmd.args(["bench", "--package", "qapi-parser", "--bench", "parse"]);
        run_status(cmd)?;
    }

    let schema = shared_dir()
        .join("qemu")
        .join(RELEASE)
        .join("qapi")
        .join("qapi-schema.json");
    let exe = build_qapi_gen()?;
    let generators = shared_dir().join("qemu-generators").join(RELEASE);
    let qemu = generators.is_dir().then_some(&generators);
    let out = std::env::temp_dir().join(format!("qapi-bench-{}", std::process::id()));

    // The front end alone: parse and check, no code generation.
    let dump = || {
        let mut cmd = Command::new(&exe);
        cmd.arg("dump").arg(&schema);
        cmd
    };
    let qemu_front_end = |qemu: &std::path::Path| {
        let mut cmd = Command::new("python3");
        cmd.arg("-c")
            .arg("import sys; sys.path.insert(0, sys.argv[1]); from qapi.schema import QAPISchema; QAPISchema(sys.argv[2])")
            .arg(qemu)
            .arg(&schema);
        cmd
    };
    // A failure on QEMU's side is reported, and ours measured alone.
    match qemu.map(|qemu| interleaved([&dump, &|| qemu_front_end(qemu)])) {
        Some(Ok([ours, theirs])) => {
            report("qapi-gen dump", &ours);
            compare("QEMU's front end (python3)", &ours, &theirs);
        }
        Some(Err(e)) => {
            eprintln!("xtask: skipping QEMU's front end: {e}");
            report("qapi-gen dump", &median_of(dump)?);
        }
        None => report("qapi-gen dump", &median_of(dump)?),
    }

    // Code generation, formatted (the default) and unformatted (for
    // build scripts), beside QEMU's generator writing its C.
    let formatted = || {
        let mut cmd = Command::new(&exe);
        cmd.arg("rust").arg(&schema).arg("-o").arg(out.join("rust"));
        cmd
    };
    let unformatted = || {
        let mut cmd = Command::new(&exe);
        cmd.arg("rust")
            .arg(&schema)
            .arg("--unformatted")
            .arg("-o")
            .arg(out.join("rust-unformatted"));
        cmd
    };
    let qemu_gen = |qemu: &std::path::Path| {
        let mut cmd = Command::new("python3");
        cmd.arg(qemu.join("qapi-gen.py"))
            .arg("-o")
            .arg(out.join("c"))
            .arg(&schema);
        cmd
    };
    let with_qemu = qemu.map(|qemu| interleaved([&formatted, &unformatted, &|| qemu_gen(qemu)]));
    match with_qemu {
        Some(Ok([formatted, unformatted, theirs])) => {
            report("qapi-gen rust", &formatted);
            report("qapi-gen rust --unformatted", &unformatted);
            report("QEMU's qapi-gen.py (python3)", &theirs);
            println!(
                "  formatted: {:.1}x faster, {}; unformatted: {:.1}x faster, {}",
                theirs.wall.as_secs_f64() / formatted.wall.as_secs_f64(),
                memory_ratio(&formatted, &theirs),
                theirs.wall.as_secs_f64() / unformatted.wall.as_secs_f64(),
                memory_ratio(&unformatted, &theirs)
            );
        }
        other => {
            if let Some(Err(e)) = other {
                eprintln!("xtask: skipping QEMU's generator: {e}");
            }
            report("qapi-gen rust", &median_of(formatted)?);
            report("qapi-gen rust --unformatted", &median_of(unformatted)?);
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    Ok(())
}

/// Prints QEMU's figure and how many times faster ours was.
fn compare(what: &str, ours: &Measurement, theirs: &Measurement) {
    report(what, theirs);
    println!(
        "  {:.1}x faster, {}",
        theirs.wall.as_secs_f64() / ours.wall.as_secs_f64(),
        memory_ratio(ours, theirs)
    );
}

/// How our peak memory compares with theirs, as a ratio above 1.
fn memory_ratio(ours: &Measurement, theirs: &Measurement) -> String {
    let (ours, theirs) = (ours.max_rss_kib as f64, theirs.max_rss_kib as f64);
    if ours <= theirs {
        format!("{:.1}x less memory", theirs / ours)
    } else {
        format!("{:.1}x more memory", ours / theirs)
    }
}

/// Runs the command `make` builds [`RUNS`] times: the median wall time
/// and the largest peak memory.
fn median_of(make: impl Fn() -> Command) -> Result<Measurement, String> {
    let [m] = interleaved([&make])?;
    Ok(m)
}

/// Runs each command [`RUNS`] times, taking turns (this machine's speed
/// drifts over seconds, and every command must see the same drift): the
/// median wall time and the largest peak memory of each.
fn interleaved<const N: usize>(
    makes: [&dyn Fn() -> Command; N],
) -> Result<[Measurement; N], String> {
    let mut runs: [Vec<Measurement>; N] = std::array::from_fn(|_| Vec::with_capacity(RUNS));
    for round in 0..RUNS {
        // Every other round in reverse, so no command always goes first.
        for k in 0..N {
            let k = if round % 2 == 0 { k } else { N - 1 - k };
            runs[k].push(measure(makes[k]())?);
        }
    }
    Ok(runs.map(|mut runs| {
        runs.sort_by_key(|m| m.wall);
        Measurement {
            wall: runs[RUNS / 2].wall,
            max_rss_kib: runs.iter().map(|m| m.max_rss_kib).max().unwrap_or(0),
        }
    }))
}

struct Measurement {
    wall: Duration,
    /// Peak resident set size, in KiB.
    max_rss_kib: i64,
}

fn report(what: &str, m: &Measurement) {
    println!(
        "{what}: median {:.3} s, peak memory {:.1} MiB",
        m.wall.as_secs_f64(),
        m.max_rss_kib as f64 / 1024.0
    );
}

/// Runs `cmd` once with its output discarded, and reports its wall time
/// and peak memory.
fn measure(mut cmd: Command) -> Result<Measurement, String> {
    let what = format!("{cmd:?}");
    let start = Instant::now();
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| format!("{what}: {e}"))?;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of that plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // wait4 reports the resources of this one child, where getrusage
    // would mix in every earlier child (cargo and its compilers).
    // SAFETY: both pointers are to live, writable locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    if waited != pid {
        return Err(format!(
            "cannot wait for {what}: {}",
            std::io::Error::last_os_error()
        ));
    }
    if !libc::WIFEXITED(status) {
        return Err(format!(
            "{what} was killed by signal {}",
            libc::WTERMSIG(status)
        ));
    }
    if libc::WEXITSTATUS(status) != 0 {
        return Err(format!(
            "{what} failed with exit status {}",
            libc::WEXITSTATUS(status)
        ));
    }
    Ok(Measurement {
        wall,
        max_rss_kib: usage.ru_maxrss,
    })
}
