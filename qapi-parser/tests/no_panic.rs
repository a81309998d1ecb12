//! The front end never panics, whatever it is given, and every error it
//! reports for a readable schema says where.
//!
//! Ten thousand schemas are made by mutating real ones (QEMU's golden test
//! inputs, and slices of QEMU's own schema): truncations, deleted and
//! duplicated bytes and lines, swapped lines, keys swapped with their
//! values, stray bytes. The mutations come from a fixed seed, so a failure
//! reproduces; its input is kept in the temporary folder the test names.

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use qapi_parser::{Dialect, Schema};

const CASES: usize = 10_000;
const SEED: u64 = 0x5eed_0f9a_b17e_5700;

/// Releases whose rules the cases also run under, besides the newest.
const OLDER_RELEASES: &[(u32, u32)] = &[(2, 12), (4, 0), (5, 0), (6, 1), (8, 0)];

/// splitmix64: small, fast and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

/// A scratch folder, removed when the test passes.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("cannot create the scratch folder");
        Scratch(dir)
    }

    fn keep(self) -> PathBuf {
        let dir = self.0.clone();
        std::mem::forget(self);
        dir
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Copies every `*.json` under `from` (one level of subfolders) into `to`,
/// returning the contents read.
fn copy_schemas(from: &Path, to: &Path) -> Vec<Vec<u8>> {
    let mut found = Vec::new();
    let mut dirs = vec![(from.to_path_buf(), to.to_path_buf(), 0)];
    while let Some((src, dst, depth)) = dirs.pop() {
        let Ok(entries) = fs::read_dir(&src) else {
            continue;
        };
        fs::create_dir_all(&dst).expect("cannot create a scratch subfolder");
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            let Some(name) = path.file_name() else {
                continue;
            };
            if path.is_dir() && depth == 0 {
                dirs.push((path.clone(), dst.join(name), depth + 1));
            } else if path.extension().is_some_and(|e| e == "json") {
                let bytes = fs::read(&path).expect("cannot read a corpus file");
                fs::write(dst.join(name), &bytes).expect("cannot write a corpus file");
                found.push(bytes);
            }
        }
    }
    found
}

/// What a case starts from before it is mutated.
struct Corpus {
    /// QEMU's golden test inputs: small, and rich in corner cases.
    tests: Vec<Vec<u8>>,
    /// QEMU's real schema modules: large, so cases take slices of them.
    /// The top file, which includes every module, is left out: cases made
    /// from it would spend their time on the unharmed modules.
    qemu: Vec<Vec<u8>>,
}

impl Corpus {
    fn base(&self, rng: &mut Rng) -> (Vec<u8>, bool) {
        if rng.below(5) < 3 {
            if let Some(file) = rng.pick(&self.tests) {
                return (file.clone(), false);
            }
        }
        let Some(file) = rng.pick(&self.qemu) else {
            return (Vec::new(), true);
        };
        // Now and then a whole file, to reach deep into a large one.
        if rng.below(40) == 0 {
            return (file.clone(), true);
        }
        let lines: Vec<&[u8]> = file.split_inclusive(|&b| b == b'\n').collect();
        let start = rng.below(lines.len());
        let len = 20 + rng.below(100);
        let end = (start + len).min(lines.len());
        (lines.get(start..end).unwrap_or_default().concat(), true)
    }
}

/// Bytes that matter to the syntax, and some that are not even UTF-8.
const STRAYS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b",",
    b"'",
    b"\"",
    b"#",
    b"##\n",
    b"\n",
    b"\t",
    b" ",
    b"\\",
    b"@",
    b"*",
    b"\xff",
    b"\xc3",
    "\u{e9}".as_bytes(),
    b"\0",
    b"'include'",
    b"'if'",
];

fn mutate(data: &mut Vec<u8>, rng: &mut Rng) {
    let len = data.len();
    match rng.below(10) {
        0 => data.truncate(rng.below(len + 1)),
        1 => {
            let at = rng.below(len);
            let end = (at + 1 + rng.below(8)).min(len);
            data.drain(at..end);
        }
        2 => {
            let at = rng.below(len);
            let end = (at + 1 + rng.below(8)).min(len);
            let piece = data.get(at..end).unwrap_or_default().to_vec();
            data.splice(at..at, piece);
        }
        3..=5 => {
            let mut lines: Vec<Vec<u8>> = data
                .split_inclusive(|&b| b == b'\n')
                .map(<[u8]>::to_vec)
                .collect();
            let at = rng.below(lines.len());
            if at < lines.len() {
                match rng.below(3) {
                    0 => {
                        lines.remove(at);
                    }
                    1 => {
                        let line = lines[at].clone();
                        lines.insert(at, line);
                    }
                    _ if at + 1 < lines.len() => lines.swap(at, at + 1),
                    _ => {}
                }
            }
            *data = lines.concat();
        }
        6 => swap_key_and_value(data, rng),
        7 => swap_two_strings(data, rng),
        8 => {
            let at = rng.below(len + 1);
            let stray = rng.pick(STRAYS).copied().unwrap_or_default();
            data.splice(at..at, stray.iter().copied());
        }
        _ => {
            if len > 0 {
                let at = rng.below(len);
                let stray = rng.pick(STRAYS).copied().unwrap_or_default();
                data.splice(at..at + 1, stray.iter().copied());
            }
        }
    }
}

/// Byte ranges of the single-quoted strings in `data`, quotes excluded.
fn strings(data: &[u8]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut open = None;
    for (i, &b) in data.iter().enumerate() {
        match (b, open) {
            (b'\'', None) => open = Some(i + 1),
            (b'\'', Some(start)) => {
                found.push((start, i));
                open = None;
            }
            (b'\n', _) => open = None,
            _ => {}
        }
    }
    found
}

/// `'key': 'value'` becomes `'value': 'key'`.
fn swap_key_and_value(data: &mut Vec<u8>, rng: &mut Rng) {
    let strs = strings(data);
    let pairs: Vec<_> = strs
        .windows(2)
        .filter(|w| data.get(w[0].1..w[1].0) == Some(b"': '".as_slice()))
        .map(|w| (w[0], w[1]))
        .collect();
    if let Some(&(key, value)) = rng.pick(&pairs) {
        swap_ranges(data, key, value);
    }
}

/// Two nearby strings change places: keys of one object, list items...
fn swap_two_strings(data: &mut Vec<u8>, rng: &mut Rng) {
    let strs = strings(data);
    if strs.len() < 2 {
        return;
    }
    let first = rng.below(strs.len() - 1);
    let second = (first + 1 + rng.below(4)).min(strs.len() - 1);
    swap_ranges(data, strs[first], strs[second]);
}

fn swap_ranges(data: &mut Vec<u8>, a: (usize, usize), b: (usize, usize)) {
    let (a, b) = if a.0 <= b.0 { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(&data[..a.0]);
    out.extend_from_slice(&data[b.0..b.1]);
    out.extend_from_slice(&data[a.1..b.0]);
    out.extend_from_slice(&data[a.0..a.1]);
    out.extend_from_slice(&data[b.1..]);
    *data = out;
}

/// Does `text` start the way QEMU's located errors do: include chain,
/// optional definition context, then `FILE:LINE[:COL]: `?
fn has_location(text: &str) -> bool {
    let mut lines = text.lines().peekable();
    while lines
        .peek()
        .is_some_and(|l| l.starts_with("In file included from "))
    {
        lines.next();
    }
    let Some(mut line) = lines.next() else {
        return false;
    };
    if line.contains(": In ") && line.ends_with("':") {
        match lines.next() {
            Some(next) => line = next,
            None => return false,
        }
    }
    // FILE:LINE: or FILE:LINE:COL: — file names may hold ':' themselves,
    // so look for the numbers from the message's first ': ' backwards.
    let mut rest = line;
    while let Some(at) = rest.find(": ") {
        let head = &line[..line.len() - rest.len() + at];
        let mut nums = head.rsplit(':');
        let last = nums.next().unwrap_or_default();
        let before = nums.next().unwrap_or_default();
        let is_num = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        // LINE after a file name, or COL after LINE.
        if is_num(last) && !before.is_empty() {
            return true;
        }
        rest = &rest[at + 2..];
    }
    false
}

#[test]
fn location_check_recognises_qemu_errors() {
    assert!(has_location("x.json:3: bad"));
    assert!(has_location("x.json:3:7: bad"));
    assert!(has_location(
        "In file included from a.json:1:\nb.json: In struct 'S':\nb.json:4: bad\nb.json:2: previous"
    ));
    assert!(!has_location("bad"));
    assert!(!has_location("x.json: In struct 'S':\n"));
    assert!(!has_location("x.json: bad: 3: x"));
}

#[test]
fn mutated_schemas_never_panic() {
    let scratch = Scratch::new("qapi-no-panic");
    let tests_dir = scratch.0.join("tests");
    let qemu_dir = scratch.0.join("qapi");
    let corpus = Corpus {
        tests: copy_schemas(&shared().join("qemu-tests/qapi-schema"), &tests_dir),
        qemu: copy_schemas(&shared().join("qemu/10.2.0/qapi"), &qemu_dir),
    };
    let top = fs::read(shared().join("qemu/10.2.0/qapi/qapi-schema.json")).unwrap_or_default();
    let corpus = Corpus {
        qemu: corpus.qemu.into_iter().filter(|f| *f != top).collect(),
        ..corpus
    };
    assert!(
        !corpus.tests.is_empty() && !corpus.qemu.is_empty(),
        "no corpus under {}",
        shared().display()
    );

    let mut rng = Rng(SEED);
    let mut failures = Vec::new();
    let started = Instant::now();
    for case in 0..CASES {
        let (mut data, from_qemu) = corpus.base(&mut rng);
        for _ in 0..1 + rng.below(3) {
            mutate(&mut data, &mut rng);
        }
        // Cases sit beside their corpus so that their includes resolve.
        let dir = if from_qemu { &qemu_dir } else { &tests_dir };
        let top = dir.join(format!("case-{case}.json"));
        // One case in eight hides the damage in an included file.
        let written = if rng.below(8) == 0 {
            let sub = format!("case-{case}-sub.json");
            fs::write(dir.join(&sub), &data)
                .and_then(|()| fs::write(&top, format!("{{ 'include': '{sub}' }}\n")))
        } else {
            fs::write(&top, &data)
        };
        written.expect("cannot write a case");

        let dialect = match rng.below(4) {
            0 => Dialect::for_release(rng.pick(OLDER_RELEASES).copied().unwrap_or((10, 2))),
            _ => Dialect::default(),
        };
        let path = top.to_string_lossy().into_owned();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            Schema::from_file(&path, &dialect).map_err(|e| (e.info.is_some(), e.to_string()))
        }));
        let problem = match outcome {
            Err(payload) => {
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Some(format!("panicked: {msg}"))
            }
            Ok(Err((located, text)))
                if !(located && has_location(&text) || text.starts_with("can't read")) =>
            {
                Some(format!("error without a location: {text:?}"))
            }
            Ok(_) => None,
        };
        match problem {
            Some(problem) => failures.push(format!(
                "{} (release {:?}): {problem}",
                top.display(),
                dialect.release
            )),
            None => {
                let _ = fs::remove_file(&top);
                let _ = fs::remove_file(dir.join(format!("case-{case}-sub.json")));
            }
        }
    }
    eprintln!("{CASES} mutated schemas in {:.1?}", started.elapsed());

    if !failures.is_empty() {
        let kept = scratch.keep();
        let shown: Vec<_> = failures.iter().take(20).collect();
        panic!(
            "{} of {CASES} cases failed (inputs kept in {}):\n{}",
            failures.len(),
            kept.display(),
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
