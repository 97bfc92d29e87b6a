//! NATS JetStream (Debian's nats-server 2.9, `-js`): one file-backed stream, publishes with
//! acknowledgements awaited 1000 at a time, and one durable pull consumer per drain fetching
//! 1000 messages and acknowledging the batch (ack-all on its last message), one fetch ahead.

use crate::{
    one_ahead,
    process::{self, Server},
};
use async_nats::jetstream::{self, consumer::pull, stream};
use futures::StreamExt;

const SUBJECT: &str = "events";

pub struct JetStream {
    _server: Server,
    context: jetstream::Context,
}

impl JetStream {
    pub async fn start() -> Self {
        let server = process::start("nats-server", |port, dir| {
            ["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd", dir].map(String::from).to_vec()
        });
        let client = async_nats::connect(format!("nats://127.0.0.1:{}", server.addr.port())).await.unwrap();
        let context = jetstream::new(client);
        context
            .create_stream(stream::Config {
                name: "EVENTS".into(),
                subjects: vec![SUBJECT.into()],
                storage: stream::StorageType::File,
                ..Default::default()
            })
            .await
            .unwrap();
        Self { _server: server, context }
    }

    /// Publishes the events, awaiting the server's acknowledgements for each 1000.
    pub async fn ingest(&self, events: &[String]) {
        for chunk in events.chunks(1000) {
            let mut acks = Vec::with_capacity(chunk.len());
            for event in chunk {
                acks.push(self.context.publish(SUBJECT, event.clone().into()).await.unwrap());
            }
            for ack in acks {
                ack.await.unwrap();
            }
        }
    }

    /// Reads `events` events through a new durable consumer from the stream's start, fetching the
    /// next batch while it acknowledges the current one.
    pub async fn drain(&self, durable: &str, events: usize) -> usize {
        let stream = self.context.get_stream("EVENTS").await.unwrap();
        let consumer = stream
            .create_consumer(pull::Config {
                durable_name: Some(durable.into()),
                ack_policy: jetstream::consumer::AckPolicy::All,
                deliver_policy: jetstream::consumer::DeliverPolicy::All,
                // Room for the batch being acknowledged and the one fetched ahead.
                max_ack_pending: 2000,
                ..Default::default()
            })
            .await
            .unwrap();
        let fetch = || {
            let consumer = consumer.clone();
            async move {
                let batch = consumer.fetch().max_messages(1000).messages().await.unwrap();
                batch.map(Result::unwrap).collect::<Vec<_>>().await
            }
        };
        let acknowledge = |batch: Vec<jetstream::Message>| async move {
            if let Some(last) = batch.last() {
                last.double_ack().await.unwrap();
            }
            batch.len()
        };
        one_ahead::drain(events, fetch, acknowledge).await
    }
}
