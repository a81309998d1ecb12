//! `cargo xtask bindings-all`: the Rust bindings of every QEMU schema in
//! `../shared/qemu/`, each under its own release's language, built and
//! linted as standalone crates.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use crate::cargo::{build_qapi_gen, shared_dir, workspace_root};
use crate::Failed;

/// The schemas a release folder may hold, with the short name printed.
const SCHEMAS: &[(&str, &str)] = &[
    ("qapi/qapi-schema.json", "qmp"),
    ("storage-daemon/qapi/qapi-schema.json", "qsd"),
    ("qga/qapi-schema.json", "qga"),
];

/// The seed folder is a QEMU tree between 3.1 and 4.0, whose language
/// is 4.0's (see ../shared/README.md).
const SEED_RELEASE: &str = "4.0";

/// The release (`MAJOR.MINOR`) whose language a folder's schemas use:
/// its name (`10.2.0`), or 4.0 for the seed.
fn release_of(folder: &str) -> Option<String> {
    if folder.starts_with("seed-") {
        return Some(SEED_RELEASE.to_owned());
    }
    let mut parts = folder.split('.');
    let major = parts.next().filter(|p| p.parse::<u32>().is_ok())?;
    let minor = parts.next().filter(|p| p.parse::<u32>().is_ok())?;
    Some(format!("{major}.{minor}"))
}

/// One schema to check.
struct Job {
    folder: String,
    release: String,
    kind: &'static str,
    schema: PathBuf,
}

impl Job {
    fn label(&self) -> String {
        format!("{} {} (--dialect {})", self.folder, self.kind, self.release)
    }
}

fn jobs(qemu: &Path, only: &[String]) -> Result<Vec<Job>, Failed> {
    let entries =
        std::fs::read_dir(qemu).map_err(|e| format!("cannot list {}: {e}", qemu.display()))?;
    let mut folders: Vec<(Vec<u32>, String)> = entries
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|name| {
            let release = release_of(&name)?;
            let key = release.split('.').filter_map(|p| p.parse().ok()).collect();
            Some((key, name))
        })
        .collect();
    folders.sort();
    let mut out = Vec::new();
    for (_, folder) in folders {
        let Some(release) = release_of(&folder) else {
            continue;
        };
        for (path, kind) in SCHEMAS {
            let schema = qemu.join(&folder).join(path);
            let label = format!("{folder} {kind}");
            if schema.exists() && (only.is_empty() || only.iter().any(|o| label.contains(o))) {
                out.push(Job {
                    folder: folder.clone(),
                    release: release.clone(),
                    kind,
                    schema,
                });
            }
        }
    }
    Ok(out)
}

/// The first lines of a failed step's output that say what failed.
fn excerpt(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("error") || l.starts_with("warning") || l.contains("-->"))
        .take(6)
        .collect();
    if lines.is_empty() {
        text.lines().take(6).collect::<Vec<_>>().join("\n    ")
    } else {
        lines.join("\n    ")
    }
}

/// Runs one step, quietly; `Err` holds what it printed.
fn step(mut cmd: Command) -> Result<f64, String> {
    let start = Instant::now();
    let output = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if output.status.success() {
        Ok(start.elapsed().as_secs_f64())
    } else {
        Err(excerpt(&output))
    }
}

fn check(
    job: &Job,
    qapi_gen: &Path,
    out: &Path,
    target: &Path,
    doc: bool,
) -> Result<String, String> {
    let dir = out.join(format!("{}-{}", job.folder, job.kind));
    let mut gen = Command::new(qapi_gen);
    gen.args(["--dialect", &job.release, "rust"])
        .arg(&job.schema)
        .arg("-o")
        .arg(&dir)
        .arg("--crate")
        .arg("--runtime")
        .arg(workspace_root().join("qapi-runtime"));
    let t_gen = step(gen).map_err(|e| format!("qapi-gen: {e}"))?;
    let mut times = vec![format!("gen {t_gen:.1}s")];
    let mut steps: Vec<&[&str]> = vec![&["build"], &["clippy", "--", "-D", "warnings"]];
    if doc {
        steps.push(&["doc", "--no-deps"]);
    }
    for args in steps {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.args(args)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", target)
            .env("RUSTFLAGS", "-D warnings")
            .env("RUSTDOCFLAGS", "-D warnings");
        let t = step(cmd).map_err(|e| format!("cargo {}: {e}", args[0]))?;
        times.push(format!("{} {t:.1}s", args[0]));
    }
    Ok(times.join(", "))
}

pub fn run(only: &[String], out: Option<PathBuf>, doc: bool) -> Result<(), Failed> {
    let qemu = shared_dir().join("qemu");
    let jobs = jobs(&qemu, only)?;
    if jobs.is_empty() {
        return Err(format!("no schema to check in {}", qemu.display()).into());
    }
    let qapi_gen = build_qapi_gen()?;
    let out = out.unwrap_or_else(|| workspace_root().join("target").join("bindings-all"));
    // One target folder for every crate: the dependencies build once.
    let target = out.join("target");
    let (mut passed, mut failed) = (0, 0);
    for job in &jobs {
        match check(job, &qapi_gen, &out, &target, doc) {
            Ok(times) => {
                passed += 1;
                println!("ok   {} [{times}]", job.label());
            }
            Err(why) => {
                failed += 1;
                println!("FAIL {}: {why}", job.label());
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

#[cfg(test)]
mod tests {
    use super::release_of;

    #[test]
    fn folder_names_give_releases() {
        assert_eq!(release_of("10.2.0").as_deref(), Some("10.2"));
        assert_eq!(release_of("4.0.0").as_deref(), Some("4.0"));
        assert_eq!(release_of("seed-1479c730").as_deref(), Some("4.0"));
        assert_eq!(release_of("notes"), None);
    }
}
