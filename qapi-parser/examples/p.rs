fn main() {
    let it: u32 = std::env::var("IT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    for a in std::env::args().skip(1) {
        let mut times = Vec::new();
        for _ in 0..it {
            let t = std::time::Instant::now();
            match qapi_parser::Schema::from_file(&a, &qapi_parser::Dialect::newest()) {
                Ok(s) => {
                    std::hint::black_box(s);
                }
                Err(e) => println!("{a}: ERR {e}"),
            }
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "{a}: median {:?} min {:?}",
            times[times.len() / 2],
            times[0]
        );
    }
}
