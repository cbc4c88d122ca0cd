use clap::Parser;
use isms_ready::cli::Cli;
use isms_ready::commands;
use isms_ready::service::Context;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Piping into `head` must end the output quietly, not with a "broken pipe" panic.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // An error is shown as its message alone, so capturing a backtrace for it (which
    // RUST_BACKTRACE=1 would do for every failed command) is wasted time; panics still follow
    // RUST_BACKTRACE.
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        // SAFETY: no other thread exists yet.
        unsafe { std::env::set_var("RUST_LIB_BACKTRACE", "0") };
    }
    // clap prints usage errors itself and exits with 2.
    let mut cli = Cli::parse();
    if let Err(error) = color_eyre::install() {
        eprintln!("isms-ready: {error}");
        return ExitCode::FAILURE;
    }
    let result = match cli.command.take() {
        Some(command) => commands::run(cli, command),
        None => Context::open(cli.db.take())
            .and_then(|context| isms_ready::tui::run(context, cli.assessment)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // An error may quote a name or a file's content: no control character reaches the
            // terminal.
            let message = error.to_string();
            eprintln!("isms-ready: {}", isms_ready::text::printable(&message));
            ExitCode::FAILURE
        }
    }
}
