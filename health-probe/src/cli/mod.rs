//! The command line, parsed by hand: a dozen options do not need a parser
//! crate, and every error can say in one line what to fix.
//!
//! | file | what | may import |
//! |---|---|---|
//! | `usage.rs` | [`USAGE`], the `--help` text | nothing |
//! | `args.rs` | what a command line asks for: [`Command`], [`Args`], [`TlsArgs`], [`ArgError`] | `target` |
//! | `words.rs` | reading the words in order: the URL, each option and its value | `args` |
//! | `validate.rs` | checking them together: the URL, options that fit its scheme and the build, defaults | `args`, `words`, `target` |
//! | `parse.rs` | [`parse_args`]: reading, then checking | `args`, `words` |

mod args;
mod parse;
mod usage;
mod validate;
mod words;

pub use args::{ArgError, Args, Command, DEFAULT_TIMEOUT, TlsArgs};
pub use parse::parse_args;
pub use usage::USAGE;
