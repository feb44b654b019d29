//! Awaiting many check futures at once, cheaply when most are ready at once.

use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;

/// Awaits every future and returns their outputs in order.
///
/// Each future is polled once in place: most health results are at hand at
/// once (cached, background, or a check needing no I/O), and those cost
/// nothing more. Only the futures still pending go into a
/// `FuturesUnordered`, which polls just the ones woken, so a thousand checks
/// finishing one by one never cost a thousand polls each.
pub(crate) async fn join_all<F>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: Future + Unpin,
{
    let mut futures: Vec<F> = futures.into_iter().collect();
    let mut outputs: Vec<Option<F::Output>> = poll_fn(|cx| {
        Poll::Ready(
            futures
                .iter_mut()
                .map(|f| Pin::new(f).poll(cx))
                .map(|p| match p {
                    Poll::Ready(output) => Some(output),
                    Poll::Pending => None,
                })
                .collect(),
        )
    })
    .await;
    if outputs.iter().all(Option::is_some) {
        return outputs.into_iter().flatten().collect();
    }
    let mut pending: FuturesUnordered<_> = futures
        .into_iter()
        .enumerate()
        .filter(|(index, _)| outputs[*index].is_none())
        .map(|(index, future)| future.map(move |output| (index, output)))
        .collect();
    while let Some((index, output)) = pending.next().await {
        outputs[index] = Some(output);
    }
    outputs.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::join_all;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn keeps_order_across_ready_and_pending_futures() {
        let delays = [30_u64, 0, 10, 0, 20];
        let futures = delays.map(|ms| {
            Box::pin(async move {
                if ms > 0 {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                }
                ms
            })
        });
        assert_eq!(join_all(futures).await, delays);
    }
}
