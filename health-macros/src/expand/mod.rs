//! Code generation: the registration that follows the user's function.
//!
//! Infallible: it works from a validated [`Check`](crate::validate::Check)
//! or [`Task`](crate::validate::Task); every mistake was reported by
//! `args/`, `item.rs` or `validate/`. The output is `const _: () = { ... };`
//! holding a descriptor (`Declared` for a check, `DeclaredTask` for a
//! task), registered before `main` through core's `declare!`
//! (`inventory`), and the plain `fn` it points to. Runtime items are named
//! only through `<crate>::__private` and std items only by absolute paths,
//! so user items named `Result`, `Option` or `Box` change nothing. Where
//! rustc may reject the user's code (a state type that is not
//! `Send + Sync`, a future that is not `Send`, a return type of the wrong
//! kind, a task's parameter that is no `Heartbeat`), the tokens carry the
//! user's span so the error is underlined there.
//!
//! | file | what |
//! |---|---|
//! | `common.rs` | what both generate: location, state requirements and lookups, criticality and probes, the spanned conversion of the result |
//! | `check.rs` | a check's descriptor and run function |
//! | `task.rs` | a task's descriptor and run function |

mod check;
mod common;
mod task;

pub(crate) use check::check;
pub(crate) use task::task;
