fn main() -> std::process::ExitCode {
    draaiboek_cli::run(std::env::args_os())
}
