use clap::Parser;
use clap::error::ErrorKind;
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
    // A usage error exits with 2; its message goes through `text` (it quotes the value refused).
    let mut cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(error),
    };
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
            // terminal, and a line break in a name cannot start a line of its own.
            let message = error.to_string();
            eprintln!(
                "isms-ready: {}",
                isms_ready::text::for_terminal_line(&message)
            );
            ExitCode::FAILURE
        }
    }
}

/// Prints a usage error with no control character of the command line in it, and returns its exit
/// code (2). The error is rendered again from the arguments made safe (`text::for_terminal_line`)
/// when they give the same error, so the value quoted is the value shown; else the message itself
/// goes through `text::for_terminal`. Help and version go out as clap writes them.
fn usage_error(error: clap::Error) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        error.exit();
    }
    let safe_args: Vec<String> = std::env::args_os()
        .map(|arg| isms_ready::text::for_terminal_line(&arg.to_string_lossy()).into_owned())
        .collect();
    let shown = match Cli::try_parse_from(safe_args) {
        Err(again) if again.kind() == error.kind() => again,
        _ => error,
    };
    let message = shown.render().to_string();
    eprint!("{}", isms_ready::text::for_terminal(&message));
    ExitCode::from(u8::try_from(shown.exit_code()).unwrap_or(2))
}
