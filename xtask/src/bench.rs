//! `cargo xtask bench`: criterion's parse benchmark, then the wall time and
//! peak memory of one `qapi-gen dump` of QEMU's full schema, beside those
//! of QEMU's own front end when python3 is there to run it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::cargo::{build_qapi_gen, cargo, run_status, shared_dir};
use crate::Failed;

/// The release whose schema is measured: the newest, and the largest.
const RELEASE: &str = "10.2.0";

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
    let mut ours = Command::new(&exe);
    ours.arg("dump").arg(&schema);
    let ours = measure(ours);
    if let Ok(m) = &ours {
        report("qapi-gen dump", m);
    }

    let generators = shared_dir().join("qemu-generators").join(RELEASE);
    if generators.is_dir() {
        // QEMU's front end alone (parse and check, no code generation).
        let mut theirs = Command::new("python3");
        theirs
            .arg("-c")
            .arg("import sys; sys.path.insert(0, sys.argv[1]); from qapi.schema import QAPISchema; QAPISchema(sys.argv[2])")
            .arg(&generators)
            .arg(&schema);
        match measure(theirs) {
            Ok(m) => report("QEMU's front end (python3)", &m),
            Err(e) => eprintln!("xtask: skipping QEMU's front end: {e}"),
        }
    }
    ours.map(|_| ()).map_err(Failed::from)
}

struct Measurement {
    wall: Duration,
    /// Peak resident set size, in KiB.
    max_rss_kib: i64,
}

fn report(what: &str, m: &Measurement) {
    println!(
        "{what}: {:.3} s, peak memory {:.1} MiB",
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
