//! A check's descriptor (`Declared`) and its run function.

use super::common;
use crate::validate::{Check, DEFAULT_TIMEOUT_NANOS};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

/// The registration of the user's check.
pub(crate) fn check(check: &Check) -> TokenStream {
    let c = &check.common;
    let p = &c.krate;
    let func = &c.func;
    let ident = &func.ident;

    let fields = common::fields(c);
    let policy = policy(check);
    let args = common::state_args(c);
    let lookups = common::lookups(c, "missing_state");
    let (assert_output, into_outcome) =
        common::output(c, "assert_into_outcome", quote!(IntoOutcome::into_outcome));
    let call = quote_spanned!(ident.span()=> #ident(#(#args),*));
    let blocking = !func.is_async;
    let clone_state = common::clone_state(c);
    let run = if func.is_async {
        let call = quote_spanned!(ident.span()=> #p::__private::assert_send(#call));
        quote! {
            #p::__private::Box::pin(async move {
                #lookups
                let __health_output = #call.await;
                #into_outcome
            })
        }
    } else {
        // Boxed, so `run_blocking` and the blocking-pool task it spawns
        // are generated once for every blocking check, not once each.
        quote! {
            let __health_blocking: #p::__private::Box<
                dyn ::core::ops::FnOnce() -> #p::__private::Outcome + ::core::marker::Send,
            > = #p::__private::Box::new(move || {
                #lookups
                let __health_output = #call;
                #into_outcome
            });
            #p::__private::run_blocking(__health_blocking)
        }
    };

    quote! {
        const _: () = {
            #p::__private::declare! {
                #p::__private::Declared {
                    #fields
                    policy: #policy,
                    run: __health_run,
                    blocking: #blocking,
                }
            }

            fn __health_run(__health_state: &#p::__private::State) -> #p::__private::CheckFuture {
                #assert_output
                #clone_state
                #run
            }
        };
    }
}

/// The common policy, and a setter for each setting of a check that is
/// not the default.
fn policy(check: &Check) -> TokenStream {
    let c = &check.common;
    let mut policy = common::policy(c);
    if check.timeout != DEFAULT_TIMEOUT_NANOS {
        let timeout = common::duration(c, check.timeout);
        policy.extend(quote!(.with_timeout(#timeout)));
    }
    if let Some(cache) = check.cache {
        let cache = common::duration(c, cache);
        policy.extend(quote!(.with_cache(#cache)));
    }
    if let Some(cache_failure) = check.cache_failure {
        let cache_failure = common::duration(c, cache_failure);
        policy.extend(quote!(.with_cache_failure(#cache_failure)));
    }
    if let Some(interval) = check.interval {
        let interval = common::duration(c, interval);
        policy.extend(quote!(.with_interval(#interval)));
    }
    if let Some(failure_threshold) = check.failure_threshold.filter(|n| *n != 1) {
        let failure_threshold = proc_macro2::Literal::u32_unsuffixed(failure_threshold);
        policy.extend(quote!(.with_failure_threshold(#failure_threshold)));
    }
    if let Some(failing_interval) = check.failing_interval.map(|d| common::duration(c, d)) {
        policy.extend(quote!(.with_failing_interval(#failing_interval)));
    }
    if let Some(success_threshold) = check.success_threshold.filter(|n| *n != 1) {
        let success_threshold = proc_macro2::Literal::u32_unsuffixed(success_threshold);
        policy.extend(quote!(.with_success_threshold(#success_threshold)));
    }
    if let Some(slow) = check.slow.map(|d| common::duration(c, d)) {
        policy.extend(quote!(.with_slow(#slow)));
    }
    policy
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::args;
    use crate::errors::Errors;
    use crate::key::Attr;
    use crate::validate;
    use proc_macro2::TokenStream;
    use quote::quote;

    fn expand_str(attr: TokenStream, item: TokenStream) -> String {
        let mut errors = Errors::default();
        let parsed = args::parse(attr, Attr::Check, &mut errors);
        let validated = validate::check(&parsed, &item, &mut errors);
        assert!(errors.is_empty(), "{:?}", errors.messages());
        let Some(validated) = validated else {
            panic!("valid")
        };
        check(&validated).to_string()
    }

    #[test]
    fn async_check() {
        let out = expand_str(
            quote!(name = "db", timeout = "200ms", tags = ["db"]),
            quote!(
                async fn database(pool: &PgPool) -> Result<(), E> {
                    todo!()
                }
            ),
        );
        let expected = quote! {
            const _: () = {
                ::health::__private::declare! {
                    ::health::__private::Declared {
                        name: "db",
                        tags: &["db"],
                        location: ::health::__private::Location::new(::core::file!(), ::core::line!(), ::core::column!()),
                        requires: &[::health::__private::StateReq::of::<PgPool>()],
                        policy: ::health::__private::Policy::DEFAULT
                            .with_timeout(::health::__private::Duration::from_nanos(200000000)),
                        run: __health_run,
                        blocking: false,
                    }
                }
                fn __health_run(__health_state: &::health::__private::State) -> ::health::__private::CheckFuture {
                    let () = ::health::__private::assert_into_outcome::<Result<(), E> >();
                    let __health_state = ::core::clone::Clone::clone(__health_state);
                    ::health::__private::Box::pin(async move {
                        let __health_arg0 = match ::health::__private::State::get::<PgPool>(&__health_state) {
                            ::health::__private::Option::Some(__health_value) => __health_value,
                            ::health::__private::Option::None => return ::health::__private::missing_state::<PgPool>(),
                        };
                        let __health_output = ::health::__private::assert_send(database(__health_arg0)).await;
                        ::health::__private::IntoOutcome::into_outcome(::core::convert::identity(__health_output))
                    })
                }
            };
        };
        assert_eq!(out, expected.to_string());
    }

    #[test]
    fn blocking_check_with_every_option() {
        let out = expand_str(
            quote!(
                critical = false,
                probes = ["liveness", "startup"],
                cache = "5s",
                cache_failure = "1s",
                failure_threshold = 3,
                crate = "crate::reexport"
            ),
            quote!(
                fn disk_space() -> bool {
                    true
                }
            ),
        );
        let declare = quote!(crate::reexport::__private::declare! {
            crate::reexport::__private::Declared
        });
        let declare = declare.to_string();
        assert!(out.contains(declare.trim_end_matches(" }")), "{out}");
        assert!(
            out.contains(&quote!(name: "disk_space", tags: &[],).to_string()),
            "{out}"
        );
        let policy = quote! {
            policy: crate::reexport::__private::Policy::DEFAULT
                .with_critical(false)
                .with_probes(crate::reexport::__private::Probes::NONE
                    .with(crate::reexport::__private::Probe::Liveness)
                    .with(crate::reexport::__private::Probe::Startup))
                .with_cache(crate::reexport::__private::Duration::from_nanos(5000000000))
                .with_cache_failure(crate::reexport::__private::Duration::from_nanos(1000000000))
                .with_failure_threshold(3),
        };
        assert!(out.contains(&policy.to_string()), "{out}");
        assert!(out.contains("blocking : true"), "{out}");
        let run = quote! {
            let __health_blocking: crate::reexport::__private::Box<
                dyn ::core::ops::FnOnce() -> crate::reexport::__private::Outcome + ::core::marker::Send,
            > = crate::reexport::__private::Box::new(move || {
                let __health_output = disk_space();
                crate::reexport::__private::IntoOutcome::into_outcome(::core::convert::identity(__health_output))
            });
            crate::reexport::__private::run_blocking(__health_blocking)
        };
        assert!(out.contains(&run.to_string()), "{out}");
        assert!(!out.contains(":: health ::"), "{out}");
        assert!(
            !out.contains("Clone :: clone"),
            "no state, no handle: {out}"
        );
    }

    #[test]
    fn interval() {
        let out = expand_str(
            quote!(interval = "30s"),
            quote!(
                fn f() {}
            ),
        );
        let interval =
            quote!(.with_interval(::health::__private::Duration::from_nanos(30000000000)));
        assert!(out.contains(&interval.to_string()), "{out}");
    }

    #[test]
    fn signals() {
        let out = expand_str(
            quote!(
                interval = "30s",
                failing_interval = "2s",
                success_threshold = 3,
                slow = "300ms"
            ),
            quote!(
                fn f() {}
            ),
        );
        let signals = quote! {
            .with_interval(::health::__private::Duration::from_nanos(30000000000))
            .with_failing_interval(::health::__private::Duration::from_nanos(2000000000))
            .with_success_threshold(3)
            .with_slow(::health::__private::Duration::from_nanos(300000000))
        };
        assert!(out.contains(&signals.to_string()), "{out}");
    }

    #[test]
    fn default_settings_are_left_to_core() {
        let out = expand_str(
            quote!(failure_threshold = 1),
            quote!(
                fn f() {}
            ),
        );
        assert!(
            out.contains(&quote!(policy: ::health::__private::Policy::DEFAULT,).to_string()),
            "{out}"
        );
        // The defaults the macro leaves out are core's.
        let default = health::Policy::DEFAULT;
        let timeout = std::time::Duration::from_nanos(crate::validate::DEFAULT_TIMEOUT_NANOS);
        assert_eq!(default.timeout(), timeout);
        assert!(default.is_critical());
        assert_eq!(default.probes(), health::Probes::READINESS);
        assert_eq!(default.failure_threshold(), 1);
    }

    #[test]
    fn opaque_return_type_is_converted_without_assertion() {
        let out = expand_str(
            quote!(),
            quote!(
                fn opaque() -> impl IntoOutcome {
                    true
                }
            ),
        );
        assert!(!out.contains("assert_into_outcome"), "{out}");
        let convert = quote!(::health::__private::IntoOutcome::into_outcome(
            __health_output
        ));
        assert!(out.contains(&convert.to_string()), "{out}");
    }
}
