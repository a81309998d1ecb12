fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let unmask = a.iter().any(|x| x == "--unmask");
    let s = qapi_parser::Schema::from_file(&a[0], &qapi_parser::Dialect::newest()).unwrap_or_else(
        |e| {
            eprintln!("{e}");
            std::process::exit(1)
        },
    );
    let e = qapi_parser::introspect::introspect(&s, &qapi_parser::introspect::Options { unmask });
    print!("{}", qapi_parser::introspect::to_json(&e, None));
}
