fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    match qapi_parser::Schema::from_file(&a[1], &qapi_parser::Dialect::newest()) {
        Ok(s) => print!("{}", qapi_parser::dump::dump(&s)),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1)
        }
    }
}
