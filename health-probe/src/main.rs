//! `health-probe`: see the library's documentation for usage and exit codes.

use std::io::Write;
use std::process::ExitCode;

use health_probe::cli::{Command, USAGE, parse_args};
use health_probe::{Exit, printable, run};

fn main() -> ExitCode {
    let args = match parse_args(std::env::args_os().skip(1)) {
        Ok(Command::Probe(args)) => args,
        Ok(Command::Help) => {
            stdout(USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            stdout(concat!("health-probe ", env!("CARGO_PKG_VERSION"), "\n"));
            return ExitCode::SUCCESS;
        }
        Err(error) => return fail(Exit::InvalidArguments, &error.to_string()),
    };
    match run(&args) {
        Ok(reply) => {
            if args.verbose {
                let mut text = format!("{}\n", reply.status_line);
                if let Some(body) = &reply.body {
                    text.push_str(body);
                    if !body.is_empty() && !body.ends_with('\n') {
                        text.push('\n');
                    }
                }
                stdout(&text);
            }
            if reply.serving {
                ExitCode::SUCCESS
            } else {
                fail(reply.exit(), &reply.complaint)
            }
        }
        Err(failure) => fail(failure.exit, &failure.message),
    }
}

/// Writes to stdout; a closed stdout is not worth a panic.
fn stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// The one-line message on stderr, with any control characters (from a
/// server's text) turned into spaces, and the exit code.
fn fail(exit: Exit, message: &str) -> ExitCode {
    let line = printable::line(message);
    let _ = writeln!(std::io::stderr().lock(), "health-probe: {line}");
    ExitCode::from(exit.code())
}
