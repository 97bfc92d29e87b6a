//! Push delivery: one worker per push stream reads the stream's next batch, enriches it when the
//! stream asks, sends it to the destination and advances the stream's position only after the
//! destination acknowledged it — at least once, in order. A supervisor keeps one worker running
//! per push stream and restarts the ones that panic.
//!
//! Each destination is one module with its encoder (pure, unit-tested), its service (the IO)
//! and its retry classification, behind [`Sink`].

mod backoff;
mod batch;
mod gcs;
mod http;
mod kafka;
mod object_layout;
mod s3;
mod sink;
mod splunk;
mod supervisor;
mod webhook;
mod worker;

pub use sink::DeliveryError;
pub use supervisor::{DeliverySupervisor, Launcher};
pub use worker::{DeliveryWorker, Outcome};

use batch::Batch;
use sink::{sink_for, Sink};

use std::time::Duration;

/// How push streams are delivered and retried.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// First wait after a retryable failure; doubles (with jitter) up to `retry_max`.
    pub retry_initial: Duration,
    pub retry_max: Duration,
    /// Consecutive retryable failures after which the stream shows `failing`.
    pub failing_after: u32,
    /// Wait before retrying a permanent failure (bad token, missing bucket) whose settings did not change.
    pub failing_retry: Duration,
    /// Longest an idle worker waits before looking for events another replica appended.
    pub idle_poll: Duration,
    /// How often the supervisor rereads the streams, besides being woken by every change.
    pub scan_interval: Duration,
    /// Timeout of one request to a destination.
    pub request_timeout: Duration,
    /// How long a Splunk batch may wait for indexer acknowledgement before it is re-sent.
    pub ack_timeout: Duration,
    /// How long a replica's lease on a push stream lasts unless renewed (every `scan_interval`).
    pub lease_ttl: Duration,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            retry_initial: Duration::from_millis(500),
            retry_max: Duration::from_secs(60),
            failing_after: 5,
            failing_retry: Duration::from_secs(60),
            idle_poll: Duration::from_secs(1),
            scan_interval: Duration::from_secs(1),
            request_timeout: Duration::from_secs(30),
            ack_timeout: Duration::from_secs(60),
            lease_ttl: Duration::from_secs(15),
        }
    }
}
