//! The differential suite: every scenario under `tests/scenarios/` runs
//! against qemu-storage-daemon (QEMU 10.0) and against generated-demo,
//! and their replies must be equal once the values the model cannot
//! know are normalized (temporary paths, automatic node names' random
//! digits, sizes on disk, the package string).
//!
//! A scenario is a JSON object:
//! - `images`: qemu-img argument lists, run in the scenario's folder;
//! - `steps`: QMP commands (`{"execute", "arguments"}`), where `$DIR`
//!   in any string stands for the folder. A step `{"x-reopen": OPTIONS}`
//!   sends `x-blockdev-reopen` to the demo and the equal one-element
//!   `blockdev-reopen` to QEMU 10, which no longer has the former. A step
//!   with `"demo-only": true` runs on the demo alone and must give its
//!   `expect` reply (for what QEMU 10 cannot run: QEMU 4.0's refusals,
//!   and inputs that crash QEMU 10.0). Built against QEMU's own schema
//!   (`QAPI_SCHEMA`), the demo has no `x-blockdev-reopen`: it gets the
//!   `blockdev-reopen` QEMU gets, and demo-only steps that ask for it
//!   are left out.

mod normalize;

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use normalize::normalize;
use serde_json::{json, Map, Value};

const QSD: &str = "qemu-storage-daemon";
/// The error of a read that waited too long.
const TIMED_OUT: &str = "the daemon did not answer in time";
const DEMO: &str = env!("CARGO_BIN_EXE_generated-demo");

struct Daemon {
    child: Child,
    reader: BufReader<UnixStream>,
    writer: UnixStream,
    greeting: Value,
}

impl Daemon {
    /// Starts `program` and negotiates; a daemon that never greets is
    /// stopped and started again.
    fn start(program: &str, dir: &Path) -> Result<Daemon, String> {
        let mut attempt = 0;
        loop {
            match Daemon::start_once(program, dir) {
                Err(e) if attempt < 2 && e.contains(TIMED_OUT) => attempt += 1,
                result => return result,
            }
        }
    }

    fn start_once(program: &str, dir: &Path) -> Result<Daemon, String> {
        let sock = dir.join("qmp.sock");
        // A stale socket from an attempt before must not be connected to.
        let _ = std::fs::remove_file(&sock);
        let chardev = format!("socket,path={},server=on,wait=off,id=m0", sock.display());
        let child = Command::new(program)
            .args(["--chardev", &chardev, "--monitor", "chardev=m0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {program}: {e}"))?;
        let start = Instant::now();
        let stream = loop {
            match UnixStream::connect(&sock) {
                Ok(s) => break s,
                Err(e) if start.elapsed() > Duration::from_secs(20) => {
                    return Err(format!(
                        "{program} does not listen on {}: {e}",
                        sock.display()
                    ))
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        };
        // qemu-storage-daemon 10.0 can leave a client that connects while
        // it starts unanswered; no read may wait forever.
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| e.to_string())?;
        let writer = stream.try_clone().map_err(|e| e.to_string())?;
        let mut d = Daemon {
            child,
            reader: BufReader::new(stream),
            writer,
            greeting: Value::Null,
        };
        // The greeting is the first message with a "QMP" member.
        loop {
            let v = d.read()?;
            if v.get("QMP").is_some() {
                d.greeting = v;
                break;
            }
        }
        // qemu-storage-daemon may greet twice when the client connects
        // while its monitor is still being set up; replies skip greetings.
        let caps = d.command(&json!({"execute": "qmp_capabilities"}))?;
        if caps != json!({"return": {}}) {
            return Err(format!("{program}: qmp_capabilities gave {caps}"));
        }
        Ok(d)
    }

    fn read(&mut self) -> Result<Value, String> {
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).map_err(|e| {
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) {
                    TIMED_OUT.to_owned()
                } else {
                    e.to_string()
                }
            })?;
            if n == 0 {
                return Err("the daemon closed the connection".into());
            }
            let v: Value = serde_json::from_str(&line).map_err(|e| format!("{e}: {line}"))?;
            // Events are not part of the comparison.
            if v.get("event").is_none() {
                return Ok(v);
            }
        }
    }

    fn command(&mut self, msg: &Value) -> Result<Value, String> {
        let mut text = msg.to_string();
        text.push('\n');
        self.writer
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string())?;
        self.reply()
    }

    fn reply(&mut self) -> Result<Value, String> {
        loop {
            let v = self.read()?;
            if v.get("QMP").is_none() {
                return Ok(v);
            }
        }
    }

    fn quit(mut self) {
        let _ = self.command(&json!({"execute": "quit"}));
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// A daemon left behind by a failed scenario is stopped.
impl Drop for Daemon {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Replaces `$DIR` in every string.
fn substitute(v: &Value, dir: &str) -> Value {
    match v {
        Value::String(s) => Value::String(s.replace("$DIR", dir)),
        Value::Array(a) => Value::Array(a.iter().map(|x| substitute(x, dir)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), substitute(x, dir)))
                .collect(),
        ),
        other => other.clone(),
    }
}

struct Scenario {
    name: String,
    images: Vec<Vec<String>>,
    steps: Vec<Value>,
}

fn load(path: &Path) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let images = v
        .get("images")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|cmd| {
                    cmd.as_array()
                        .map(|c| {
                            c.iter()
                                .filter_map(|x| x.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    let steps = v
        .get("steps")
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| format!("{}: no steps", path.display()))?;
    Ok(Scenario {
        name: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        images,
        steps,
    })
}

fn prepare_dir(base: &Path, sc: &Scenario, who: &str) -> Result<PathBuf, String> {
    let dir = base.join(format!("{}-{who}", sc.name));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let dir_text = dir.to_string_lossy().into_owned();
    for args in &sc.images {
        let args: Vec<String> = args.iter().map(|a| a.replace("$DIR", &dir_text)).collect();
        let out = Command::new("qemu-img")
            .args(&args)
            .current_dir(&dir)
            .output()
            .map_err(|e| format!("qemu-img: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "qemu-img {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    Ok(dir)
}

/// What one daemon answered to each step, normalized; `None` for steps
/// it does not run.
fn run_on(
    program: &str,
    dir: &Path,
    sc: &Scenario,
    is_demo: bool,
) -> Result<Vec<Option<Value>>, String> {
    let dir_text = dir.to_string_lossy().into_owned();
    let mut d = Daemon::start(program, dir)?;
    let mut replies = vec![Some(normalize(&d.greeting, &dir_text))];
    for step in &sc.steps {
        let step = substitute(step, &dir_text);
        let demo_only = step.get("demo-only").and_then(Value::as_bool) == Some(true);
        // Built against QEMU 10's own schema (QAPI_SCHEMA), the demo has
        // no x-blockdev-reopen: it gets QEMU 10's command, and QEMU 4.0's
        // refusals cannot be asked of it.
        let old_reopen = is_demo && cfg!(own_schema);
        let asks_old_reopen = step.get("x-reopen").is_some()
            || step.get("execute").and_then(Value::as_str) == Some("x-blockdev-reopen");
        if demo_only && (!is_demo || (!old_reopen && asks_old_reopen)) {
            replies.push(None);
            continue;
        }
        let msg = if let Some(opts) = step.get("x-reopen") {
            if old_reopen {
                json!({"execute": "x-blockdev-reopen", "arguments": opts})
            } else {
                json!({"execute": "blockdev-reopen", "arguments": {"options": [opts]}})
            }
        } else if let Some(raw) = step.get("raw").and_then(Value::as_str) {
            // Sent as it is, for malformed input.
            let mut text = raw.to_owned();
            text.push('\n');
            d.writer
                .write_all(text.as_bytes())
                .map_err(|e| e.to_string())?;
            let r = d.reply()?;
            replies.push(Some(normalize(&r, &dir_text)));
            continue;
        } else {
            let mut m = Map::new();
            for key in ["execute", "arguments", "id"] {
                if let Some(v) = step.get(key) {
                    m.insert(key.into(), v.clone());
                }
            }
            Value::Object(m)
        };
        let r = d.command(&msg)?;
        replies.push(Some(normalize(&r, &dir_text)));
    }
    d.quit();
    Ok(replies)
}

fn run_scenario(base: &Path, sc: &Scenario) -> Result<(), String> {
    let qsd_dir = prepare_dir(base, sc, "qsd")?;
    let demo_dir = prepare_dir(base, sc, "demo")?;
    let qsd = run_on(QSD, &qsd_dir, sc, false)?;
    let demo = run_on(DEMO, &demo_dir, sc, true)?;
    for (i, (q, d)) in qsd.iter().zip(&demo).enumerate() {
        let step = if i == 0 {
            json!("greeting")
        } else {
            sc.steps.get(i - 1).cloned().unwrap_or(Value::Null)
        };
        let want = match (q, step.get("expect")) {
            // A step neither daemon ran.
            (None, _) if d.is_none() => continue,
            (Some(q), _) => q.clone(),
            (None, Some(e)) => e.clone(),
            (None, None) => {
                return Err(format!("step {i} runs on the demo alone but has no expect"))
            }
        };
        let got = d.clone().unwrap_or(Value::Null);
        if want != got {
            return Err(format!("step {i} {step}\n  qemu: {want}\n  demo: {got}"));
        }
    }
    Ok(())
}

#[test]
fn scenarios_match_qemu_storage_daemon() {
    let available = Command::new(QSD)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        // CI installs it; elsewhere the suite is skipped, visibly.
        eprintln!("note: {QSD} is not installed: the differential suite is skipped");
        return;
    }
    // Another folder of scenarios, when set (for exploring).
    let scenarios_dir = match std::env::var("SCENARIO_DIR") {
        Ok(dir) => PathBuf::from(dir),
        Err(_) => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios"),
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&scenarios_dir)
        .expect("the scenarios folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    // Only the scenarios whose name contains this, when set.
    let only = std::env::var("SCENARIO").ok();
    let base = std::env::temp_dir().join(format!("demo-diff-{}", std::process::id()));
    let mut failures = Vec::new();
    let mut passed = 0;
    for path in &paths {
        let sc = match load(path) {
            Ok(sc) => sc,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        if only.as_deref().is_some_and(|o| !sc.name.contains(o)) {
            continue;
        }
        match run_scenario(&base, &sc) {
            Ok(()) => {
                passed += 1;
                eprintln!("pass {}", sc.name);
            }
            Err(e) => {
                eprintln!("FAIL {}: {e}", sc.name);
                failures.push(format!("{}: {e}", sc.name));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&base);
    eprintln!("{passed} passed, {} failed", failures.len());
    let exploring = only.is_some() || std::env::var("SCENARIO_DIR").is_ok();
    assert!(exploring || passed >= 40, "only {passed} scenarios ran");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn auto_names_lose_their_random_digits() {
    assert_eq!(
        normalize(&json!("#block123 and #block1030, #block05"), "/no/dir"),
        json!("#block1NN and #block10NN, #block05")
    );
}
