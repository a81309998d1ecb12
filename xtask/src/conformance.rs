//! `cargo xtask conformance`: QEMU's golden front-end tests, run through
//! `qapi-gen dump` and compared byte for byte.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::cargo::{build_qapi_gen, shared_dir};
use crate::Failed;

/// Longer than any schema takes; a test past it has hung.
const TIMEOUT: Duration = Duration::from_secs(20);

pub fn run(qemu_tests: Option<PathBuf>, only: &[String]) -> Result<(), Failed> {
    let dir = qemu_tests.unwrap_or_else(|| shared_dir().join("qemu-tests").join("qapi-schema"));
    let list_path = dir.join("TESTS");
    let list = fs::read_to_string(&list_path)
        .map_err(|e| format!("cannot read {}: {e}", list_path.display()))?;
    let exe = build_qapi_gen()?;

    let (mut passed, mut failed) = (0, 0);
    for file in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let name = file.strip_suffix(".json").unwrap_or(file);
        if !only.is_empty() && !only.iter().any(|o| name.contains(o.as_str())) {
            continue;
        }
        match check(&exe, &dir, file, name) {
            Ok(()) => passed += 1,
            Err(why) => {
                println!("FAIL {name}: {why}");
                failed += 1;
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        Ok(())
    } else {
        Err(Failed(None))
    }
}

/// Runs one test; the error says what differed first.
fn check(exe: &Path, dir: &Path, file: &str, name: &str) -> Result<(), String> {
    let expected_out = read_expected(&dir.join(format!("{name}.out")))?;
    let expected_err = read_expected(&dir.join(format!("{name}.err")))?;
    let mut cmd = Command::new(exe);
    cmd.arg("dump").arg(file).current_dir(dir);
    let run = run_captured(cmd)?;

    if let Some(diff) = first_difference(&expected_err, &run.stderr) {
        return Err(format!("stderr differs: {diff}"));
    }
    if let Some(diff) = first_difference(&expected_out, &run.stdout) {
        return Err(format!("stdout differs: {diff}"));
    }
    let expected_code = if expected_err.is_empty() { 0 } else { 1 };
    match run.code {
        Some(code) if code == expected_code => Ok(()),
        Some(code) => Err(format!("exit status {code}, expected {expected_code}")),
        None => Err("killed by a signal".into()),
    }
}

/// A missing expectation file means the output must be empty.
fn read_expected(path: &Path) -> Result<Vec<u8>, String> {
    match fs::read(path) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

struct Captured {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    code: Option<i32>,
}

/// Runs `cmd` to completion (killing it after [`TIMEOUT`]), capturing both
/// output streams.
fn run_captured(mut cmd: Command) -> Result<Captured, String> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run qapi-gen: {e}"))?;
    // Both pipes are drained at once so that neither can fill up and
    // stall the child.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let code = wait_with_timeout(&mut child)?;
    Ok(Captured {
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        code,
    })
}

fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

fn wait_with_timeout(child: &mut Child) -> Result<Option<i32>, String> {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status.code()),
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("no answer after {}s", TIMEOUT.as_secs()));
            }
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(format!("cannot wait for qapi-gen: {e}")),
        }
    }
}

/// Where `got` first departs from `expected`, as one line of text.
fn first_difference(expected: &[u8], got: &[u8]) -> Option<String> {
    if expected == got {
        return None;
    }
    let expected = String::from_utf8_lossy(expected);
    let got = String::from_utf8_lossy(got);
    let mut want_lines = expected.split_inclusive('\n');
    let mut got_lines = got.split_inclusive('\n');
    let mut line = 1;
    loop {
        match (want_lines.next(), got_lines.next()) {
            (Some(w), Some(g)) if w == g => line += 1,
            (w, g) => {
                return Some(format!(
                    "line {line}: expected {}, got {}",
                    shown(w),
                    shown(g)
                ))
            }
        }
    }
}

fn shown(line: Option<&str>) -> String {
    const MAX: usize = 100;
    match line {
        None => "end of output".into(),
        Some(text) if text.chars().count() > MAX => {
            let cut: String = text.chars().take(MAX).collect();
            format!("{cut:?}...")
        }
        Some(text) => format!("{text:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::first_difference;

    #[test]
    fn differences_name_the_first_differing_line() {
        assert_eq!(first_difference(b"a\nb\n", b"a\nb\n"), None);
        assert_eq!(
            first_difference(b"a\nb\n", b"a\nc\n").as_deref(),
            Some(r#"line 2: expected "b\n", got "c\n""#)
        );
        assert_eq!(
            first_difference(b"a\n", b"a\nextra\n").as_deref(),
            Some(r#"line 2: expected end of output, got "extra\n""#)
        );
        assert_eq!(
            first_difference(b"a\n", b"a").as_deref(),
            Some(r#"line 1: expected "a\n", got "a""#)
        );
    }
}
