fn main() {
    std::process::exit(recap::cli::run());
}
