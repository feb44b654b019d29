//! A task's descriptor (`DeclaredTask`) and its run function.

use super::common;
use crate::args::Restart;
use crate::validate::Task;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

/// The registration of the user's task.
pub(crate) fn task(task: &Task) -> TokenStream {
    let c = &task.common;
    let p = &c.krate;
    let func = &c.func;
    let ident = &func.ident;

    let fields = common::fields(c);
    let policy = common::policy(c);
    let stall_after = match task.stall_after {
        Some(nanos) => {
            let stall_after = common::duration(c, nanos);
            quote!(#p::__private::Option::Some(#stall_after))
        }
        None => quote!(#p::__private::Option::None),
    };
    let variant = format_ident!("{}", task.restart.variant());
    let restart = match task.restart {
        Restart::Never => quote!(#p::__private::Restart::#variant),
        Restart::OnFailure | Restart::Always => {
            let (backoff, backoff_max) = (
                common::duration(c, task.backoff),
                common::duration(c, task.backoff_max),
            );
            quote!(#p::__private::Restart::#variant(#p::__private::backoff(#backoff, #backoff_max)))
        }
    };

    let lookups = common::lookups(c, "missing_task_state");
    let (assert_output, into_result) = common::output(
        c,
        "assert_task_result",
        quote!(TaskResult::into_task_result),
    );
    // The parameters in order: the `Heartbeat` where the function takes it,
    // spanned on its type (a type that is no `Heartbeat` is rustc's
    // mismatch there), the state elsewhere.
    let mut state = common::state_args(c).into_iter();
    let count = func.params.len() + usize::from(func.heartbeat.is_some());
    let args = (0..count).map(|index| match &func.heartbeat {
        Some(heartbeat) if heartbeat.index == index => {
            quote_spanned!(heartbeat.span=> __health_heartbeat)
        }
        _ => {
            let arg = state.next();
            quote!(#arg)
        }
    });
    let call = quote_spanned!(ident.span()=> #p::__private::assert_send(#ident(#(#args),*)));
    let clone_state = common::clone_state(c);

    quote! {
        const _: () = {
            #p::__private::declare! {
                #p::__private::DeclaredTask {
                    #fields
                    policy: #policy,
                    stall_after: #stall_after,
                    restart: #restart,
                    run: __health_run,
                }
            }

            fn __health_run(
                __health_state: &#p::__private::State,
                __health_heartbeat: #p::__private::Heartbeat,
            ) -> #p::__private::TaskFuture {
                #assert_output
                #clone_state
                #p::__private::Box::pin(async move {
                    #lookups
                    let __health_output = #call.await;
                    #into_result
                })
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::task;
    use crate::args;
    use crate::errors::Errors;
    use crate::key::Attr;
    use crate::validate;
    use proc_macro2::TokenStream;
    use quote::quote;

    fn expand_str(attr: TokenStream, item: TokenStream) -> String {
        let mut errors = Errors::default();
        let parsed = args::parse(attr, Attr::Task, &mut errors);
        let validated = validate::task(&parsed, &item, &mut errors);
        assert!(errors.is_empty(), "{:?}", errors.messages());
        let Some(validated) = validated else {
            panic!("valid")
        };
        task(&validated).to_string()
    }

    #[test]
    fn task_with_heartbeat_and_state() {
        let out = expand_str(
            quote!(stall_after = "30s", tags = ["queue"], backoff = "50ms"),
            quote!(
                async fn consumer(queue: &Queue, heartbeat: Heartbeat) -> Result<(), E> {
                    todo!()
                }
            ),
        );
        let expected = quote! {
            const _: () = {
                ::health::__private::declare! {
                    ::health::__private::DeclaredTask {
                        name: "consumer",
                        tags: &["queue"],
                        location: ::health::__private::Location::new(::core::file!(), ::core::line!(), ::core::column!()),
                        requires: &[::health::__private::StateReq::of::<Queue>()],
                        policy: ::health::__private::Policy::DEFAULT,
                        stall_after: ::health::__private::Option::Some(::health::__private::Duration::from_nanos(30000000000)),
                        restart: ::health::__private::Restart::OnFailure(::health::__private::backoff(
                            ::health::__private::Duration::from_nanos(50000000),
                            ::health::__private::Duration::from_nanos(30000000000)
                        )),
                        run: __health_run,
                    }
                }
                fn __health_run(
                    __health_state: &::health::__private::State,
                    __health_heartbeat: ::health::__private::Heartbeat,
                ) -> ::health::__private::TaskFuture {
                    let () = ::health::__private::assert_task_result::<Result<(), E> >();
                    let __health_state = ::core::clone::Clone::clone(__health_state);
                    ::health::__private::Box::pin(async move {
                        let __health_arg0 = match ::health::__private::State::get::<Queue>(&__health_state) {
                            ::health::__private::Option::Some(__health_value) => __health_value,
                            ::health::__private::Option::None => return ::health::__private::missing_task_state::<Queue>(),
                        };
                        let __health_output = ::health::__private::assert_send(consumer(__health_arg0, __health_heartbeat)).await;
                        ::health::__private::TaskResult::into_task_result(::core::convert::identity(__health_output))
                    })
                }
            };
        };
        assert_eq!(out, expected.to_string());
    }

    #[test]
    fn task_without_heartbeat_never_restarted() {
        let out = expand_str(
            quote!(
                restart = "never",
                critical = false,
                probe = "liveness",
                crate = "crate::h"
            ),
            quote!(
                async fn sweeper() {}
            ),
        );
        for part in [
            quote!(stall_after: crate::h::__private::Option::None,),
            quote!(restart: crate::h::__private::Restart::Never,),
            quote!(requires: &[],),
            quote! {
                policy: crate::h::__private::Policy::DEFAULT
                    .with_critical(false)
                    .with_probes(crate::h::__private::Probes::NONE.with(crate::h::__private::Probe::Liveness)),
            },
            quote!(crate::h::__private::assert_send(sweeper()).await),
            quote!(let () = crate::h::__private::assert_task_result::<()>();),
        ] {
            assert!(out.contains(&part.to_string()), "{part}\n{out}");
        }
        assert!(!out.contains(":: health ::"), "{out}");
        assert!(
            !out.contains("Clone :: clone"),
            "no state, no handle: {out}"
        );
    }

    #[test]
    fn always_restarted_with_the_given_backoff() {
        let out = expand_str(
            quote!(restart = "always", backoff = "1s", backoff_max = "1m"),
            quote!(
                async fn refresher() {}
            ),
        );
        let restart = quote! {
            restart: ::health::__private::Restart::Always(::health::__private::backoff(
                ::health::__private::Duration::from_nanos(1000000000),
                ::health::__private::Duration::from_nanos(60000000000)
            )),
        };
        assert!(out.contains(&restart.to_string()), "{out}");
    }
}
