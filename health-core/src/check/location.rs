//! Where a check was declared or built.

use std::fmt;

/// A source location: where a check was declared (`#[health_check]`) or
/// built (`Check::new`), as build errors and logs name it.
///
/// ```
/// use health_core::Location;
/// let here = Location::new("src/checks.rs", 12, 1);
/// assert_eq!(here.to_string(), "src/checks.rs:12:1");
/// assert_eq!((here.file(), here.line(), here.column()), ("src/checks.rs", 12, 1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    file: &'static str,
    line: u32,
    column: u32,
}

impl Location {
    /// A location: the file as `file!()` gives it, 1-based line and column.
    pub const fn new(file: &'static str, line: u32, column: u32) -> Self {
        Self { file, line, column }
    }

    /// The location of the caller of a `#[track_caller]` function.
    #[track_caller]
    pub(crate) fn caller() -> Self {
        let l = std::panic::Location::caller();
        Self::new(l.file(), l.line(), l.column())
    }

    /// The file, as `file!()` gives it.
    pub const fn file(&self) -> &'static str {
        self.file
    }

    /// The 1-based line.
    pub const fn line(&self) -> u32 {
        self.line
    }

    /// The 1-based column.
    pub const fn column(&self) -> u32 {
        self.column
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}
