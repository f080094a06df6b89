fn main() {
    let code = flue::cli::run(std::env::args().collect(), flue::cli::Env::capture());
    std::process::exit(code);
}
