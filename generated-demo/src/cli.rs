//! qemu-storage-daemon's command line, the part this daemon serves.

use crate::qapi::BlockdevOptions;

/// What the command line asks for.
#[derive(Debug, Default)]
pub struct Config {
    pub socket: Option<String>,
    /// The `--chardev` argument that named the monitor's socket, which
    /// QEMU's messages about the socket quote.
    pub chardev: String,
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
    let mut chardevs: Vec<(String, String, String)> = Vec::new();
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
                chardevs.push((id, path, v.clone()));
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
        let (_, path, arg) = chardevs
            .iter()
            .find(|c| c.0 == id)
            .ok_or_else(|| format!("--monitor chardev={id}: Device '{id}' not found"))?;
        cfg.socket = Some(path.clone());
        cfg.chardev = arg.clone();
    }
    Ok(cfg)
}

/// A `--blockdev` argument: JSON when it starts with `{`, else keyval
/// with `driver` as the implied first key, typed by the schema as QEMU
/// types it. Errors read as qemu-storage-daemon's do, less the program
/// name.
pub fn blockdev_options(arg: &str) -> Result<BlockdevOptions, String> {
    qapi_runtime::decode::from_cli::<BlockdevOptions>(arg, Some("driver"))
        .map_err(|e| format!("--blockdev {arg}: {e}"))
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

    #[test]
    fn blockdev_takes_keyval_and_json() {
        let kv = blockdev_options("null-co,node-name=n0,size=4096,read-zeroes=on").unwrap();
        let json = blockdev_options(
            r#"{"driver": "null-co", "node-name": "n0", "size": 4096, "read-zeroes": true}"#,
        )
        .unwrap();
        assert_eq!(kv, json);
        // Keyval values are typed by the schema: a number-like node name
        // stays a string.
        let named = blockdev_options("driver=null-co,node-name=123").unwrap();
        assert_eq!(named.node_name.as_deref(), Some("123"));
    }

    #[test]
    fn blockdev_errors_are_the_storage_daemons() {
        // As qemu-storage-daemon 10.0 printed them (after its program name).
        for (arg, want) in [
            ("node-name=k0", "Parameter 'driver' is missing"),
            (
                "driver=nosuch,node-name=k0",
                "Parameter 'driver' does not accept value 'nosuch'",
            ),
            (
                "driver=null-co,node-name=k0,size=x",
                "Parameter 'size' expects integer",
            ),
            (
                "driver=null-co,node-name=k0,read-zeroes=maybe",
                "Parameter 'read-zeroes' expects 'on' or 'off'",
            ),
            (
                "driver=null-co,node-name=k0,bogus=1",
                "Parameter 'bogus' is unexpected",
            ),
            (
                "driver=raw,node-name=k0,file.driver=null-co,file.xyz=1",
                "Parameter 'file.xyz' is unexpected",
            ),
            (
                "driver=null-co,node-name=k0,cache=on",
                "Invalid parameter type for 'cache', expected: object",
            ),
            (
                "driver=null-co,node-name",
                "Expected '=' after parameter 'node-name'",
            ),
            ("driver=null-co,=x", "Invalid parameter ''"),
            (
                r#"{"driver": "null-co", "node-name": "k0", "size": "x"}"#,
                "Invalid parameter type for 'size', expected: integer",
            ),
        ] {
            let err = blockdev_options(arg).unwrap_err();
            assert_eq!(err, format!("--blockdev {arg}: {want}"));
        }
    }
}
