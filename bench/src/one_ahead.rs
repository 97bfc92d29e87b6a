//! The drain loop the three systems share. A forwarding collector asks for its next batch while it
//! frames and acknowledges the current one, so its own work overlaps the server's rather than
//! adding to it; every client here does the same, one request ahead, and no more.

use std::future::Future;

/// Drains `events` events: `fetch` requests a batch and `finish` frames and acknowledges it,
/// returning its number of events. While `finish` runs, the next `fetch` is in flight.
pub async fn drain<T, F, Fut, G, GFut>(events: usize, mut fetch: F, mut finish: G) -> usize
where
    T: Send + 'static,
    F: FnMut() -> Fut,
    Fut: Future<Output = T> + Send + 'static,
    G: FnMut(T) -> GFut,
    GFut: Future<Output = usize>,
{
    let mut drained = 0;
    let mut in_flight = tokio::spawn(fetch());
    while drained < events {
        let batch = in_flight.await.unwrap();
        in_flight = tokio::spawn(fetch());
        let count = finish(batch).await;
        assert!(count > 0, "ran dry after {drained} events");
        drained += count;
    }
    // The request sent beyond the end is waited for too: it is work the client caused.
    in_flight.await.unwrap();
    drained
}
