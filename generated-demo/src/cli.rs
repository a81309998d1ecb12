//! qemu-storage-daemon's command line, the part this daemon serves.

/// What the command line asks for.
#[derive(Debug, Default)]
pub struct Config {
    pub socket: Option<String>,
    pub blockdevs: Vec<String>,
}

/// Splits `a=1,b=2` into pairs; `,,` stands for a comma in a value.
fn keyval_pairs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut key = String::new();
    let mut val = String::new();
    let mut in_val = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ',' if chars.peek() == Some(&',') && in_val => {
                chars.next();
                val.push(',');
            }
            ',' => {
                out.push((std::mem::take(&mut key), std::mem::take(&mut val)));
                in_val = false;
            }
            '=' if !in_val => in_val = true,
            c if in_val => val.push(c),
            c => key.push(c),
        }
    }
    if !key.is_empty() || in_val {
        out.push((key, val));
    }
    out
}

pub fn parse(args: &[String]) -> Result<Config, String> {
    let mut cfg = Config::default();
    let mut chardevs: Vec<(String, String)> = Vec::new();
    let mut monitors: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (opt, inline) = match arg.split_once('=') {
            Some((o, v)) if o.starts_with("--") => (o, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = || -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("option '{opt}' requires an argument")),
            }
        };
        match opt {
            "--chardev" => {
                let v = value()?;
                let pairs = keyval_pairs(&v);
                let backend = pairs.first().map(|p| p.0.as_str()).unwrap_or_default();
                if backend != "socket" {
                    return Err(format!("--chardev {v}: only socket chardevs are supported"));
                }
                let get = |k: &str| pairs.iter().find(|p| p.0 == k).map(|p| p.1.clone());
                let path = get("path").ok_or_else(|| format!("--chardev {v}: path is required"))?;
                let id =
                    get("id").ok_or_else(|| format!("--chardev {v}: Parameter 'id' is missing"))?;
                chardevs.push((id, path));
            }
            "--monitor" => {
                let v = value()?;
                let pairs = keyval_pairs(&v);
                let id = pairs
                    .iter()
                    .find(|p| p.0 == "chardev")
                    .map(|p| p.1.clone())
                    .or_else(|| {
                        pairs
                            .first()
                            .filter(|p| p.1.is_empty())
                            .map(|p| p.0.clone())
                    })
                    .ok_or_else(|| format!("--monitor {v}: Parameter 'chardev' is missing"))?;
                monitors.push(id);
            }
            "--blockdev" => cfg.blockdevs.push(value()?),
            _ => return Err(format!("unrecognized option '{arg}'")),
        }
    }
    for id in monitors {
        let path = chardevs
            .iter()
            .find(|c| c.0 == id)
            .map(|c| c.1.clone())
            .ok_or_else(|| format!("--monitor chardev={id}: Device '{id}' not found"))?;
        cfg.socket = Some(path);
    }
    Ok(cfg)
}

/// A `--blockdev` argument as JSON: JSON as it is, keyval converted.
///
/// TODO(lead): keyval should go through `qapi_runtime::keyval::parse` and
/// `qapi_runtime::decode::from_keyval` (branch `decode`), which type each
/// value by the schema; until then a value that reads as a boolean
/// (`on`/`off`) or an integer is taken as one.
pub fn blockdev_json(arg: &str) -> Result<serde_json::Value, String> {
    use serde_json::{Map, Value};
    if arg.trim_start().starts_with('{') {
        return serde_json::from_str(arg).map_err(|e| format!("--blockdev {arg}: {e}"));
    }
    let mut root = Map::new();
    for (key, val) in keyval_pairs(arg) {
        if key.is_empty() {
            return Err(format!("--blockdev {arg}: Invalid parameter ''"));
        }
        let typed = match val.as_str() {
            "on" | "true" => Value::Bool(true),
            "off" | "false" if !matches!(key.as_str(), "locking") => Value::Bool(false),
            v => match v.parse::<i64>() {
                Ok(n) if key != "node-name" => Value::from(n),
                _ => Value::from(v),
            },
        };
        let parts: Vec<&str> = key.split('.').collect();
        let mut map = &mut root;
        for (i, part) in parts.iter().enumerate() {
            if i + 1 == parts.len() {
                map.insert((*part).to_owned(), typed.clone());
                break;
            }
            let entry = map
                .entry((*part).to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            match entry {
                Value::Object(m) => map = m,
                _ => return Err(format!("--blockdev {arg}: bad key '{key}'")),
            }
        }
    }
    // `locking=off` is an OnOffAuto string, not a boolean.
    Ok(Value::Object(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_storage_daemon_command_line() {
        let args: Vec<String> = [
            "--chardev",
            "socket,path=/tmp/a,,b.sock,server=on,wait=off,id=m0",
            "--monitor",
            "chardev=m0",
            "--blockdev",
            "{\"driver\": \"null-co\", \"node-name\": \"n\"}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let cfg = parse(&args).unwrap();
        assert_eq!(cfg.socket.as_deref(), Some("/tmp/a,b.sock"));
        assert_eq!(cfg.blockdevs.len(), 1);
        assert!(parse(&["--monitor".into(), "chardev=x".into()]).is_err());
    }
}
