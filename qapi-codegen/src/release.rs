//! QEMU releases named on the command line (`--dialect 6.1`), and the
//! language rules ([`Dialect`]) each one selects.

use qapi_parser::Dialect;

/// Every QEMU release whose schema language the front end knows, oldest
/// first. Stable updates (`6.1.1`) share their release's language.
pub const RELEASES: &[(u32, u32)] = &[
    (2, 12),
    (3, 0),
    (3, 1),
    (4, 0),
    (4, 1),
    (4, 2),
    (5, 0),
    (5, 1),
    (5, 2),
    (6, 0),
    (6, 1),
    (6, 2),
    (7, 0),
    (7, 1),
    (7, 2),
    (8, 0),
    (8, 1),
    (8, 2),
    (9, 0),
    (9, 1),
    (9, 2),
    (10, 0),
    (10, 1),
    (10, 2),
];

/// Parses `MAJOR.MINOR` or `MAJOR.MINOR.MICRO` into a known release.
pub fn parse_release(text: &str) -> Result<(u32, u32), String> {
    let mut parts = text.split('.');
    let number = |part: Option<&str>| -> Option<u32> {
        let part = part?;
        // `u32::from_str` would also take a leading '+'.
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let major = number(parts.next());
    let minor = number(parts.next());
    let micro = match parts.next() {
        None => Some(0),
        some => number(some),
    };
    let release = match (major, minor, micro, parts.next()) {
        (Some(major), Some(minor), Some(_), None) => (major, minor),
        _ => {
            return Err(format!(
                "'{text}' is not a QEMU release (expected MAJOR.MINOR, such as 10.2)"
            ))
        }
    };
    if RELEASES.contains(&release) {
        Ok(release)
    } else {
        Err(format!(
            "unsupported QEMU release '{text}' (supported: {})",
            supported_list()
        ))
    }
}

/// The language rules of the release named by `text`.
pub fn parse_dialect(text: &str) -> Result<Dialect, String> {
    parse_release(text).map(Dialect::for_release)
}

fn supported_list() -> String {
    let (first, last) = match (RELEASES.first(), RELEASES.last()) {
        (Some(first), Some(last)) => (first, last),
        _ => return String::new(),
    };
    format!("{}.{} to {}.{}", first.0, first.1, last.0, last.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_releases_parse() {
        let cases = [
            ("2.12", (2, 12)),
            ("4.0", (4, 0)),
            ("6.1", (6, 1)),
            ("10.2", (10, 2)),
            ("10.2.0", (10, 2)),
            ("6.1.1", (6, 1)),
        ];
        for (text, release) in cases {
            assert_eq!(parse_release(text), Ok(release), "{text}");
        }
    }

    #[test]
    fn unknown_or_malformed_releases_are_refused() {
        for text in [
            "",
            "10",
            "2.11",
            "3.5",
            "10.3",
            "11.0",
            "1.0",
            "x.y",
            "10.2.0.1",
            "+4.0",
            "4.-0",
            "4..0",
            "4.0.",
            " 4.0",
            "99999999999.0",
        ] {
            assert!(parse_release(text).is_err(), "{text:?} was accepted");
        }
    }

    #[test]
    fn newest_release_is_the_default_dialect() {
        let newest = RELEASES.last().copied();
        assert_eq!(newest, Some(Dialect::default().release));
    }
}
