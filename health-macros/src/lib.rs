//! The `#[health_check]` and `#[health_task]` attributes: their entry
//! points and their user docs.
//!
//! They belong to the [`health`](https://docs.rs/health) crate: use them
//! through `health::health_check` and `health::health_task`; this crate is
//! an implementation detail of `health`.
//!
//! # Files and layers
//!
//! The arguments are parsed into spanned values (`args/`, one parser for
//! both attributes, each taking its own keys), the function is checked
//! (`item.rs`), the arguments are checked together (`validate/`), and the
//! registration is generated from what passed (`expand/`). Every file
//! imports only from the files in the rows above its own, exactly the
//! modules its row names (tests included); the workspace's
//! `tests/tests/layers.rs` holds every crate's table to its code.
//!
//! | file | what | imports |
//! |---|---|---|
//! | `errors.rs` | the error accumulator: every mistake, reported together | |
//! | `suggest.rs` | "did you mean" hints; a valid check name for a function | |
//! | `key.rs` | the attributes' keys, as written and with an example; which attribute takes which, and why not | `suggest` |
//! | `args/literal.rs` | the literals a value must be: a string, a list of strings | `errors`, `key` |
//! | `args/names.rs` | `name` and `tags`, by the name rule of `health-names` | `args::literal`, `errors`, `key` |
//! | `args/durations.rs` | `timeout`, `cache`, `cache_failure`, `interval`, `stall_after`, `backoff`, `backoff_max`, by the duration grammar of `health-names` | `args::literal`, `errors`, `key` |
//! | `args/critical.rs` | `critical` | `args::literal`, `errors`, `key` |
//! | `args/probes.rs` | `probe` and `probes` | `args::literal`, `errors`, `key`, `suggest` |
//! | `args/restart.rs` | `restart` | `args::literal`, `errors`, `key`, `suggest` |
//! | `args/threshold.rs` | `failure_threshold` | `args::literal`, `errors`, `key` |
//! | `args/krate.rs` | `crate` | `args::literal`, `errors`, `key` |
//! | `args/given.rs` | the arguments as given: keys and valid values, with spans | `args::durations`, `args::probes`, `args::restart`, `key` |
//! | `args/dispatch.rs` | the arguments split at commas, each `key = value` to the parser of its key; unknown, refused, repeated and conflicting keys | `args::critical`, `args::durations`, `args::given`, `args::krate`, `args::names`, `args::probes`, `args::restart`, `args::threshold`, `errors`, `key` |
//! | `args/mod.rs` | index of `args/` | `args::dispatch`, `args::given`, `args::probes`, `args::restart` |
//! | `item.rs` | the function: async or blocking, `&T` parameters, a task's `Heartbeat`, return type | `errors`, `key`, `suggest` |
//! | `validate/common.rs` | what a check and a task share: crate path, name, tags, criticality, probes, the function | `args`, `errors`, `item`, `key` |
//! | `validate/check.rs` | `#[health_check]`'s checks between arguments; the validated `Check`, with defaults for what was invalid | `args`, `errors`, `key`, `validate::common` |
//! | `validate/task.rs` | `#[health_task]`'s: the heartbeat and `stall_after`, restart and backoff; the validated `Task` | `args`, `errors`, `key`, `validate::common` |
//! | `validate/mod.rs` | index of `validate/` | `validate::check`, `validate::common`, `validate::task` |
//! | `expand/common.rs` | what both expansions generate: location, state lookups, criticality and probes, the spanned result conversion | `args`, `item`, `validate` |
//! | `expand/check.rs` | a check's registration, infallible, from a `Check` | `expand::common`, `validate` |
//! | `expand/task.rs` | a task's registration, infallible, from a `Task` | `args`, `expand::common`, `validate` |
//! | `expand/mod.rs` | index of `expand/` | `expand::check`, `expand::task` |
//! | `lib.rs` | the entry points and the user docs | `args`, `errors`, `expand`, `key`, `validate` |

mod args;
mod errors;
mod expand;
mod item;
mod key;
mod suggest;
mod validate;

use proc_macro::TokenStream;

/// Declares a health check: registers the function, before `main` runs,
/// in every `health::Registry` the program builds (on the platforms listed
/// under [Registration](#registration)).
///
/// ```
/// use health::health_check;
/// # struct PgPool;
/// # impl PgPool { async fn ping(&self) -> Result<(), std::io::Error> { Ok(()) } }
///
/// #[health_check(timeout = "200ms", tags = ["db"])]
/// async fn database(pool: &PgPool) -> Result<(), std::io::Error> {
///     pool.ping().await
/// }
/// ```
///
/// The function may be an `async fn`, run on the async runtime, or a plain
/// `fn`, run on the blocking thread pool so it can never stall the runtime.
/// Its future must be `Send`.
///
/// **Parameters** are shared references `&T` to state given with
/// `Registry::builder().state(value)`, looked up by type. `Registry::build`
/// fails when a check needs a state type nobody gave. `T` must be
/// `Send + Sync + 'static`.
///
/// **The return type** is anything implementing `health::IntoOutcome`:
/// `()` (UP), `bool` (`false` is DOWN), `health::Outcome` (UP, DEGRADED or
/// DOWN with a message and details), `health::Observed` (UP with an
/// observed value and its unit), or `Result<T, E>` where `T` is one of
/// these and `E: Display` (an `Err` is DOWN with the error's text).
///
/// ```
/// use health::{health_check, Observed, Outcome};
/// # struct Queue;
/// # impl Queue { fn depth(&self) -> u64 { 3 } }
///
/// #[health_check]
/// fn queue(queue: &Queue) -> Outcome {
///     match queue.depth() {
///         0..100 => Outcome::up(),
///         depth => Outcome::degraded(format!("{depth} messages waiting")),
///     }
/// }
///
/// #[health_check]
/// fn disk_space() -> Result<Observed, std::io::Error> {
///     let free_mib = 12_000; // ask the file system
///     Ok(Observed::new(free_mib, "MiB"))
/// }
/// ```
///
/// A panic in a check is DOWN, "check panicked", and the service goes on,
/// as long as panics unwind: under `panic = "abort"` a panicking check
/// aborts the whole process.
///
/// Everything is checked when your crate compiles. Each mistake is a
/// compile error pointing at the token to change, and every mistake of the
/// attribute and of the function is reported in the same build. After a
/// mistake in the arguments the check is still generated, with the default
/// in place of each invalid argument, so type errors in the function (a
/// return type that is no check result, a future that is not `Send`) come
/// in that build too.
///
/// ```compile_fail
/// use health::health_check;
///
/// // error: unknown argument `timout`; did you mean `timeout`? (expected one of ...)
/// // error: invalid duration "5": the duration has no unit: write e.g. "5ms" or "5s" ...
/// // error: a health check cannot be generic: ...
/// // error: a health check parameter must be a shared reference `&T` ...: write `&T`
/// #[health_check(timout = "200ms", interval = "5")]
/// async fn ping<T>(client: T) {}
/// ```
///
/// The function is a free function, in a module or a block, not an item of
/// an `impl` block. It cannot be generic (lifetimes are fine; `impl Trait`
/// parameters count as generics), take `self`, or be `const`, `unsafe`,
/// `extern` or variadic.
///
/// # Arguments
///
/// All are optional. Durations are strings: a number, decimals allowed, and
/// a unit out of `ns`, `us`, `ms`, `s`, `m`, `h` (`"200ms"`, `"1.5s"`, `"2m"`),
/// or several, largest first (`"1m30s"`), without spaces; at most a year
/// (`"8760h"`). It is the grammar of `health_names::duration`, which the
/// probe binary reads too and every message writes (`"timed out after
/// 1.5s"`).
///
/// ## `name`
///
/// The check's name in reports and in `/health/{name}`. It defaults to the
/// function's name (without `r#`). A name matches `[a-z0-9][a-z0-9_.-]*` and
/// has at most 63 characters; a function whose name does not must be given
/// one. Names are unique in a registry.
///
/// ```
/// # use health::health_check;
/// #[health_check(name = "postgres.primary")]
/// async fn primary_database() {}
/// ```
///
/// ## `timeout`
///
/// Bounds every run (default `"1s"`, longer than zero). A slower run is
/// DOWN, "timed out after 200ms".
///
/// ```
/// # use health::health_check;
/// #[health_check(timeout = "200ms")]
/// async fn cache() {}
/// ```
///
/// ## `critical`
///
/// `true` (the default): DOWN here makes the probe DOWN (503). `false`: DOWN
/// here only degrades the service, which keeps answering 200.
///
/// ```
/// # use health::health_check;
/// #[health_check(critical = false)]
/// async fn recommendations() {}
/// ```
///
/// ## `probe` and `probes`
///
/// The probes the check takes part in: `"liveness"`, `"readiness"` (the
/// default) or `"startup"`. One with `probe = ".."`, several with
/// `probes = [..]`; not both, each probe once.
///
/// ```
/// # use health::health_check;
/// #[health_check(probe = "startup")]
/// async fn migrations_applied() -> bool { true }
///
/// #[health_check(probes = ["liveness", "readiness"])]
/// fn event_loop_responsive() {}
/// ```
///
/// ## `tags`
///
/// Free labels, for `?tag=` filtering and for selecting checks when a
/// registry is built. Each follows the name pattern, each once.
///
/// ```
/// # use health::health_check;
/// #[health_check(tags = ["db", "external"])]
/// async fn billing_database() {}
/// ```
///
/// ## `cache` and `cache_failure`
///
/// `cache` reuses a finished result for this long (longer than zero), so a
/// probe storm cannot become load on the dependency. `cache_failure`, which
/// requires `cache` and may not exceed it, reuses a *failed* result only
/// this long, so a recovery is seen sooner; `"0s"` never reuses a failure.
///
/// ```
/// # use health::health_check;
/// #[health_check(cache = "10s", cache_failure = "1s")]
/// async fn search_cluster() {}
/// ```
///
/// ## `interval`
///
/// Runs the check in the background at this period; probes serve the
/// latest result and never wait (the check is UNKNOWN until its first run
/// ends). Must be longer than the timeout, and excludes `cache`.
///
/// ```
/// # use health::health_check;
/// #[health_check(interval = "30s", timeout = "5s")]
/// fn disk_space() -> bool { true }
/// ```
///
/// ## `failure_threshold`
///
/// The consecutive failure that reports DOWN. With `3`, the first two
/// failures in a row after a success report DEGRADED, the third DOWN;
/// before the first success nothing is tolerated. An integer, at least 1
/// (the default: the first failure is DOWN).
///
/// Above 1 it needs `cache` or `interval`: it counts runs, and without
/// either every poller runs the check, so three pollers during a short
/// outage would reach the threshold at once. With `cache`, failed runs
/// are at least `cache_failure` apart, so `cache_failure = "0s"` is
/// refused next to it; with `interval`, one period.
///
/// ```
/// # use health::health_check;
/// #[health_check(failure_threshold = 3, cache = "10s", cache_failure = "2s")]
/// async fn flaky_partner_api() {}
/// ```
///
/// ## `success_threshold`
///
/// The consecutive success that reports UP again after a failure was
/// reported (Kubernetes' `successThreshold`, Envoy's `healthy_threshold`):
/// with `3`, the first two successes in a row after a DOWN still report
/// DOWN, "connection refused (recovering: success 1 of 3)", the third UP,
/// so a flapping dependency does not flap the service. The first success
/// ever is UP at once. An integer, at least 1 (the default). Above 1 it
/// needs `cache` or `interval`, for the reason `failure_threshold` does.
///
/// ```
/// # use health::health_check;
/// #[health_check(success_threshold = 3, failure_threshold = 2, interval = "10s")]
/// async fn flapping_partner_api() {}
/// ```
///
/// ## `failing_interval`
///
/// While its latest result fails, an `interval` check runs at this period
/// instead (Envoy's `unhealthy_interval`): a recovery is seen sooner
/// without asking a healthy dependency more often. Needs `interval`,
/// shorter than it and longer than the timeout.
///
/// ```
/// # use health::health_check;
/// #[health_check(interval = "30s", failing_interval = "2s")]
/// async fn payment_gateway() {}
/// ```
///
/// ## `slow`
///
/// A run longer than this is slow (default: half the timeout, or the
/// registry's `RegistryBuilder::slow`); shorter than the timeout. The
/// first slow run after a fast one logs one WARN naming the check and
/// counts in `health_check_slow_total`; every slow run is marked in its
/// span (`slow=true`), its component (`"slow": true`) and on the status
/// page. A slow run is not a failure.
///
/// ```
/// # use health::health_check;
/// #[health_check(timeout = "2s", slow = "500ms")]
/// async fn search_cluster() {}
/// ```
///
/// ## `crate`
///
/// The path to the `health` crate, when it is not `::health`: a renamed
/// dependency (`crate = "my_health"`) or a re-export from another crate or
/// module (`crate = "crate::reexport::health"`). The expansion names nothing
/// else, so the user needs no other dependency.
///
/// ```
/// mod platform {
///     pub use health as checks;
/// }
///
/// #[health::health_check(crate = "crate::platform::checks")]
/// async fn database() {}
/// # fn main() {}
/// ```
///
/// # Registration
///
/// Each check is a `static` descriptor that the `inventory` crate (0.3)
/// adds to a list before `main` runs, through a constructor function that
/// the platform's startup code calls. `Registry::builder()` reads that
/// list. Where the platform has no such constructors, nothing registers.
///
/// | platform | before `main` through |
/// |---|---|
/// | Linux, Android, FreeBSD, NetBSD, OpenBSD, DragonFly BSD, illumos, Haiku, QNX Neutrino (`nto`), Redox, VxWorks | ELF `.init_array` |
/// | bare metal (`target_os = "none"`) | ELF `.init_array`, if the startup code runs it |
/// | macOS, iOS | `__DATA,__mod_init_func` |
/// | Windows (MSVC and GNU) | `.CRT$XCU` |
/// | WebAssembly (`wasm32-*`, `wasm64-*`) | `.init_array`, run by `__wasm_call_ctors` (see below) |
/// | anything else (Solaris, Fuchsia, AIX, tvOS, watchOS, visionOS, ...) | nothing registers |
///
/// On WebAssembly the linker calls the constructors for you only in a
/// "command" module (not relocatable, not position-independent, that
/// calls `__wasm_call_ctors` from none of its exports). A module the host
/// calls into several times per instance should export
/// `__wasm_call_ctors` (or call it first thing) and have the host call it
/// once after instantiation.
///
/// Where nothing registers, the attribute still compiles, but a registry
/// holds only the checks built at run time: build them with
/// `health::Check::new` (async) or `health::Check::blocking` and add them
/// with `Registry::builder().check(..)`. A test asserting that
/// `registry.checks()` holds a declared check tells you which case a
/// target is in.
///
/// One trap on every platform: rustc links a library crate only when the
/// code names it, so checks declared in a library the binary never names
/// vanish. Name it with `use that_library as _;`, and enable
/// `#![warn(unused_crate_dependencies)]` to be told where this is needed.
#[proc_macro_attribute]
pub fn health_check(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    let mut errors = errors::Errors::default();
    let args = args::parse(args.into(), key::Attr::Check, &mut errors);
    let check = validate::check(&args, &item, &mut errors);
    // The function is emitted unchanged, so the rest of the crate and the
    // IDE still see it; then its registration, even next to argument
    // errors (with defaults for what was wrong), so the type errors it
    // reveals in the function come in the same build.
    let mut out = item;
    if let Some(check) = check {
        out.extend(expand::check(&check));
    }
    out.extend(errors.into_compile_errors());
    out.into()
}

/// Declares a supervised task: a queue consumer, a cache refresher, an
/// outbox sweeper that runs for the life of the service, registered before
/// `main` like a [`health_check`](macro@health_check), and started by
/// every `health::Registry` the program builds, under a supervisor that
/// restarts it and makes it a component of the registry.
///
/// ```
/// use health::{health_task, Heartbeat};
/// # struct Queue;
/// # struct QueueError;
/// # impl std::fmt::Display for QueueError {
/// #     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("gone") }
/// # }
/// # impl Queue { async fn next(&self) -> Result<u64, QueueError> { Ok(1) } }
/// # fn handle(_: u64) {}
///
/// /// A queue consumer: restarted on failure with a backoff, DOWN when it stops ticking.
/// #[health_task(stall_after = "30s", restart = "on_failure", backoff = "100ms", backoff_max = "30s", tags = ["queue"])]
/// async fn consumer(heartbeat: Heartbeat, queue: &Queue) -> Result<(), QueueError> {
///     loop {
///         let message = queue.next().await?;
///         handle(message);
///         heartbeat.tick();
///     }
/// }
/// ```
///
/// The task's component is named after the function (or `name`), and
/// reads:
///
/// | the task | the component |
/// |---|---|
/// | not started yet | UNKNOWN "not started" |
/// | running (its `Heartbeat` touched within `stall_after`) | UP |
/// | running, no touch within `stall_after` | DOWN "stalled for 45.2s (no progress within 30s)" |
/// | returned (`Ok` or `Err`) | DOWN "exited: ..." |
/// | panicked | DOWN "panicked" (the payload to the log only, redacted) |
/// | waiting to restart | DOWN "restarting (restart 3 in 1.6s) after: ..." |
/// | stopped at the end of the drain | UP "stopped: drained" |
///
/// with the restarts counted in its `restarts` detail. It is a check like
/// the others: `critical`, `probe` and `tags` apply, and
/// `RegistryBuilder::filter` and `without_declared` leave it out (then it
/// does not run).
///
/// **When it runs.** A registry built inside a tokio runtime starts its
/// declared tasks at once, on its runtime (the one
/// `RegistryBuilder::runtime` gives, or the one `build` is called on);
/// one built outside starts them on its first use. Each registry starts
/// each task once; the tasks stop at the end of the drain (the drain delay
/// after a stop signal), or when the registry is dropped.
///
/// **The function** is an `async fn`, run on the async runtime; its future
/// must be `Send`. Blocking work goes inside it through
/// `tokio::task::spawn_blocking`. Like a check, it is a free function that
/// is not generic, takes no `self`, and is not `const`, `unsafe` or
/// `extern`.
///
/// **Parameters** are shared references `&T` to state given with
/// `Registry::builder().state(value)`, as a check's (`Registry::build`
/// fails when a task needs a state type nobody gave), and at most one
/// parameter by value, which receives the task's `health::Heartbeat`.
/// Touch it (`tick()`, `progress(n)`) as the task works: with `stall_after`
/// it tells a task that works from one stuck on an await that never
/// returns.
///
/// **The return type** is `()` or `Result<(), E>` where `E: Display`. An
/// `Err` ends the run, "exited: " and the error's text; a return or a
/// panic is then restarted by `restart`.
///
/// ```
/// use health::health_task;
/// # struct Cache;
/// # impl Cache { async fn refresh(&self) {} }
///
/// // No `Heartbeat`: no stall detection; restarted whenever it ends.
/// #[health_task(restart = "always")]
/// async fn cache_refresher(cache: &Cache) {
///     loop {
///         cache.refresh().await;
///         tokio::time::sleep(std::time::Duration::from_secs(60)).await;
///     }
/// }
/// ```
///
/// Mistakes are compile errors at the token to change, every one in the
/// same build, as for `#[health_check]`; the keys of `#[health_check]`
/// that mean nothing for a task are refused, with the reason.
///
/// ```compile_fail
/// use health::{health_task, Heartbeat};
///
/// // error: `timeout` is not an argument of `#[health_task]`: a task runs for the life of the service, ...
/// // error: unknown restart policy "on-failure"; did you mean "on_failure"? ...
/// // error: a task that takes a `Heartbeat` says how long it may go without touching it: add `stall_after = "30s"` ...
/// #[health_task(timeout = "1s", restart = "on-failure")]
/// async fn consumer(heartbeat: Heartbeat) {}
/// ```
///
/// # Arguments
///
/// All are optional but `stall_after` with a `Heartbeat` parameter.
/// Durations are strings in the grammar of `#[health_check]`'s.
///
/// ## `name`, `critical`, `probe` and `probes`, `tags`, `crate`
///
/// As for `#[health_check]`: the component's name (default: the
/// function's), whether its DOWN makes the probe DOWN (default `true`),
/// the probes it takes part in (default readiness), its labels, and the
/// path of the `health` crate.
///
/// ```
/// # use health::health_task;
/// #[health_task(name = "outbox.sweeper", critical = false, probes = ["liveness", "readiness"], tags = ["outbox"])]
/// async fn sweep_outbox() {}
/// ```
///
/// ## `stall_after`
///
/// How long the task may go without touching its `Heartbeat` before it
/// reads as stalled (DOWN): required with a `Heartbeat` parameter,
/// refused without one (the task could not show progress). Longer than
/// zero. The supervisor looks every quarter of it (10 ms to 1 s).
///
/// ```
/// # use health::{health_task, Heartbeat};
/// #[health_task(stall_after = "45s")]
/// async fn exporter(heartbeat: Heartbeat) {
///     loop {
///         // export a batch
///         heartbeat.progress(100);
///         # break;
///     }
/// }
/// ```
///
/// ## `restart`
///
/// When the task is started again: `"on_failure"` (the default: after an
/// `Err` or a panic, not after `Ok(())` or `()`), `"always"` (after every
/// end), or `"never"` (an end leaves the component DOWN "exited: ..." or
/// "panicked").
///
/// ```
/// # use health::health_task;
/// #[health_task(restart = "never")]
/// async fn migrate_once() -> Result<(), std::io::Error> {
///     Ok(())
/// }
/// ```
///
/// ## `backoff` and `backoff_max`
///
/// The wait before the first restart (default `"100ms"`), doubling for
/// each failure in a row up to `backoff_max` (default `"30s"`, not shorter
/// than `backoff`), each with up to 20 % taken off at random so that
/// replicas do not restart in step. A run longer than `backoff_max`
/// starts the doubling afresh. Refused with `restart = "never"`.
///
/// ```
/// # use health::health_task;
/// #[health_task(backoff = "1s", backoff_max = "5m")]
/// async fn partner_feed() -> Result<(), std::io::Error> {
///     Ok(())
/// }
/// ```
///
/// # Registration
///
/// As for `#[health_check]` (see [its section](macro@health_check#registration)):
/// a `static` descriptor gathered by `inventory` before `main`, on the
/// same platforms, with the same trap for a library crate the binary never
/// names. Where nothing registers, build the task at run time:
/// `health::Check::task` and its `Supervisor::spawn`.
#[proc_macro_attribute]
pub fn health_task(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    let mut errors = errors::Errors::default();
    let args = args::parse(args.into(), key::Attr::Task, &mut errors);
    let task = validate::task(&args, &item, &mut errors);
    // As `#[health_check]`: the function unchanged, then its registration.
    let mut out = item;
    if let Some(task) = task {
        out.extend(expand::task(&task));
    }
    out.extend(errors.into_compile_errors());
    out.into()
}
