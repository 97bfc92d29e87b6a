//! NATS JetStream (Debian's nats-server 2.9, `-js`): one file-backed stream, publishes with
//! acknowledgements awaited 1000 at a time, and one durable pull consumer per drain fetching
//! 1000 messages and acknowledging the batch (ack-all on its last message).

use crate::process::{self, Server};
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

    /// Reads `events` events through a new durable consumer from the stream's start.
    pub async fn drain(&self, durable: &str, events: usize) -> usize {
        let stream = self.context.get_stream("EVENTS").await.unwrap();
        let consumer = stream
            .create_consumer(pull::Config {
                durable_name: Some(durable.into()),
                ack_policy: jetstream::consumer::AckPolicy::All,
                deliver_policy: jetstream::consumer::DeliverPolicy::All,
                ..Default::default()
            })
            .await
            .unwrap();
        let mut drained = 0;
        while drained < events {
            let mut batch = consumer.fetch().max_messages(1000).messages().await.unwrap();
            let mut last = None;
            let mut count = 0;
            while let Some(message) = batch.next().await {
                last = Some(message.unwrap());
                count += 1;
            }
            let last = last.unwrap_or_else(|| panic!("jetstream ran dry after {drained} events"));
            last.double_ack().await.unwrap();
            drained += count;
        }
        drained
    }
}
