//! Reading the words of a command line, in order, into what they give:
//! the URL and each option's value. Whether they fit together is
//! `validate.rs`'s question.

use std::ffi::OsString;
use std::time::Duration;

use super::args::{ArgError, TlsArgs, err};
use health_names::duration::{self, DurationError};

/// The longest `--timeout` or `--connect-timeout`, so that no deadline
/// computed from it can overflow.
pub(super) const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// What the words gave, before they are checked together.
#[derive(Debug, Default)]
pub(super) struct Given {
    pub(super) url: Option<String>,
    pub(super) service: Option<String>,
    pub(super) timeout: Option<Duration>,
    pub(super) connect_timeout: Option<Duration>,
    pub(super) verbose: bool,
    pub(super) tls: TlsArgs,
}

/// What reading the words ended with.
#[derive(Debug)]
pub(super) enum Read {
    /// `-h` / `--help`, at the point it was read.
    Help,
    /// `--version`, at the point it was read.
    Version,
    /// Every word was read.
    Probe(Given),
}

/// Reads `args` in order. Options take their value as the next word or
/// after `=` (`--timeout=2s`); `--` ends options; help and version stop the
/// reading where they stand, so an earlier mistake still counts.
pub(super) fn read<I>(args: I) -> Result<Read, ArgError>
where
    I: IntoIterator<Item = OsString>,
{
    let mut words = Words(args.into_iter());
    let mut given = Given::default();
    let mut options_done = false;
    while let Some(word) = words.next()? {
        if options_done || !word.starts_with('-') || word == "-" {
            given.url(word)?;
        } else if word == "--" {
            options_done = true;
        } else if let Some(stop) = given.option(&word, &mut words)? {
            return Ok(stop);
        }
    }
    Ok(Read::Probe(given))
}

/// The words not read yet.
struct Words<I>(I);

impl<I: Iterator<Item = OsString>> Words<I> {
    /// The next word; each must be UTF-8.
    fn next(&mut self) -> Result<Option<String>, ArgError> {
        match self.0.next().map(OsString::into_string) {
            None => Ok(None),
            Some(Ok(word)) => Ok(Some(word)),
            Some(Err(_)) => err("an argument is not valid UTF-8"),
        }
    }

    /// The value of option `name`: the one written after `=`, or the next
    /// word.
    fn value(&mut self, name: &str, inline: Option<&str>) -> Result<String, ArgError> {
        if let Some(value) = inline {
            return Ok(value.to_owned());
        }
        match self.0.next().map(OsString::into_string) {
            Some(Ok(value)) => Ok(value),
            Some(Err(_)) => err(format!("the value of {name} is not valid UTF-8")),
            None => err(format!("{name} needs a value (see --help)")),
        }
    }

    /// The value of option `name`, a timeout: in the duration grammar of
    /// `health-names` (`500ms`, `1.5s`, `1m30s`), above zero and at most
    /// [`MAX_TIMEOUT`].
    fn duration(&mut self, name: &str, inline: Option<&str>) -> Result<Duration, ArgError> {
        let text = self.value(name, inline)?;
        let invalid =
            |why: &dyn std::fmt::Display| ArgError(format!("invalid {name} \"{text}\": {why}"));
        match duration::parse(&text) {
            Ok(timeout) if timeout.is_zero() => {
                Err(invalid(&"must be greater than zero, such as 500ms or 2s"))
            }
            Ok(timeout) if timeout <= MAX_TIMEOUT => Ok(timeout),
            Ok(_) | Err(DurationError::Overflow) => Err(invalid(&"must be at most 24h")),
            Err(why) => Err(invalid(&why)),
        }
    }
}

/// `--name=value` as its name and value; any other word as a name alone.
fn split(word: &str) -> (&str, Option<&str>) {
    match word.split_once('=') {
        Some((name, value)) if name.starts_with("--") => (name, Some(value)),
        _ => (word, None),
    }
}

/// A flag's check: it takes no value.
fn no_value(name: &str, inline: Option<&str>) -> Result<(), ArgError> {
    match inline {
        Some(_) => err(format!("{name} takes no value")),
        None => Ok(()),
    }
}

impl Given {
    /// The URL: one, at most.
    fn url(&mut self, word: String) -> Result<(), ArgError> {
        if let Some(first) = &self.url {
            return err(format!(
                "unexpected argument \"{word}\" after the URL \"{first}\": give one URL"
            ));
        }
        self.url = Some(word);
        Ok(())
    }

    /// Applies the option `word` (taking its value from `words` if it has
    /// one); `Some` when it stops the reading (help, version).
    fn option<I>(&mut self, word: &str, words: &mut Words<I>) -> Result<Option<Read>, ArgError>
    where
        I: Iterator<Item = OsString>,
    {
        let (name, inline) = split(word);
        match name {
            "-h" | "--help" => return no_value(name, inline).map(|()| Some(Read::Help)),
            "--version" | "-V" => return no_value(name, inline).map(|()| Some(Read::Version)),
            "-v" | "--verbose" => {
                no_value(name, inline)?;
                self.verbose = true;
            }
            "--tls-no-verify" => {
                no_value(name, inline)?;
                self.tls.no_verify = true;
            }
            "--service" => self.service = Some(words.value(name, inline)?),
            "--timeout" => self.timeout = Some(words.duration(name, inline)?),
            "--connect-timeout" => self.connect_timeout = Some(words.duration(name, inline)?),
            "--tls-ca-cert" => self.tls.ca_cert = Some(words.value(name, inline)?),
            "--tls-server-name" => self.tls.server_name = Some(words.value(name, inline)?),
            _ => {
                return err(format!(
                    "unknown option \"{name}\" (see --help for the options)"
                ));
            }
        }
        Ok(None)
    }
}
