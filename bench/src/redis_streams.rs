//! Redis Streams (Debian's redis-server 7): XADD pipelined 1000 at a time into one stream with
//! the append-only file fsynced on every write (as durable as Sluice's synchronous=FULL), and
//! one consumer group per drain reading XREADGROUP COUNT 1000 and XACKing each batch, one read ahead.

use crate::{
    one_ahead,
    process::{self, Server},
};
use redis::{aio::MultiplexedConnection, AsyncCommands, Value};

const KEY: &str = "events";

pub struct RedisStreams {
    _server: Server,
    connection: MultiplexedConnection,
}

impl RedisStreams {
    pub async fn start() -> Self {
        let server = process::start("redis-server", |port, dir| {
            ["--bind", "127.0.0.1", "--port", &port.to_string(), "--save", "", "--appendonly", "yes",
             "--appendfsync", "always", "--dir", dir]
                .map(String::from)
                .to_vec()
        });
        let client = redis::Client::open(format!("redis://127.0.0.1:{}/", server.addr.port())).unwrap();
        let connection = client.get_multiplexed_async_connection().await.unwrap();
        Self { _server: server, connection }
    }

    /// Appends the events, 1000 XADDs per pipelined round trip.
    pub async fn ingest(&self, events: &[String]) {
        let mut connection = self.connection.clone();
        for chunk in events.chunks(1000) {
            let mut pipe = redis::pipe();
            for event in chunk {
                pipe.cmd("XADD").arg(KEY).arg("*").arg("e").arg(event).ignore();
            }
            let () = pipe.query_async(&mut connection).await.unwrap();
        }
    }

    /// Reads `events` events through a new consumer group from the stream's start, reading the
    /// next batch while it acknowledges the current one.
    pub async fn drain(&self, group: &str, events: usize) -> usize {
        let mut connection = self.connection.clone();
        let () = connection.xgroup_create(KEY, group, "0").await.unwrap();
        let read = || {
            let mut connection = connection.clone();
            let mut command = redis::cmd("XREADGROUP");
            command.arg(&["GROUP", group, "bench", "COUNT", "1000", "STREAMS", KEY, ">"]);
            async move { command.query_async::<Value>(&mut connection).await.unwrap() }
        };
        let acknowledge = |reply| {
            let mut connection = connection.clone();
            async move {
                let ids = entry_ids(reply);
                if !ids.is_empty() {
                    let _: usize = connection.xack(KEY, group, &ids).await.unwrap();
                }
                ids.len()
            }
        };
        one_ahead::drain(events, read, acknowledge).await
    }
}

/// The entry ids of an XREADGROUP reply, read straight from the protocol values: the client
/// should not dominate the measurement (the other clients count without parsing events either).
fn entry_ids(reply: Value) -> Vec<Vec<u8>> {
    let Value::Array(streams) = reply else { return Vec::new() };
    let mut ids = Vec::new();
    for stream in streams {
        let Value::Array(mut key_and_entries) = stream else { continue };
        let Some(Value::Array(entries)) = key_and_entries.pop() else { continue };
        for entry in entries {
            if let Value::Array(mut id_and_fields) = entry {
                if let Value::BulkString(id) = id_and_fields.swap_remove(0) {
                    ids.push(id);
                }
            }
        }
    }
    ids
}
