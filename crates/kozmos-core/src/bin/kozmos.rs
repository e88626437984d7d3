fn main() {
    std::process::exit(kozmos_core::cli::main());
}
