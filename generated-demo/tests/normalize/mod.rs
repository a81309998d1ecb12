//! How replies of qemu-storage-daemon and of generated-demo are made
//! comparable: only what the model cannot know is normalized.

use serde_json::Value;

/// `#block` + counter + two random digits: drops the random digits.
fn normalize_auto_names(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find("#block") {
        out.push_str(&rest[..at + 6]);
        rest = &rest[at + 6..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits >= 3 {
            out.push_str(&rest[..digits - 2]);
            out.push_str("NN");
        } else {
            out.push_str(&rest[..digits]);
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

/// `v` with the temporary folder `dir` written `$DIR`, auto node names'
/// random digits dropped, and the members that depend on the disk or
/// the build (`actual-size`, `package`) left out.
pub fn normalize(v: &Value, dir: &str) -> Value {
    match v {
        Value::String(s) => Value::String(normalize_auto_names(&s.replace(dir, "$DIR"))),
        Value::Array(a) => Value::Array(a.iter().map(|x| normalize(x, dir)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| *k != "actual-size" && *k != "package")
                .map(|(k, x)| (k.clone(), normalize(x, dir)))
                .collect(),
        ),
        other => other.clone(),
    }
}
