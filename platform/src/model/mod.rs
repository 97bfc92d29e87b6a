//! Plain types of the HTTP contract (`shared/api.md`), with their validation.

mod batch_size;
mod destination;
mod destination_kind;
mod directory;
mod event_type;
mod secret;
mod stream;
mod stream_id;

pub use batch_size::{BatchSize, InvalidBatchSize};
pub use destination::{
    Destination, GcsSettings, InvalidDestination, KafkaSasl, KafkaSettings, S3Settings, SplunkSettings,
    WebhookSettings,
};
pub use destination_kind::DestinationKind;
pub use directory::{DirectoryAdmin, DirectoryApp, DirectoryImport, DirectoryUser};
pub use event_type::{EventType, UnknownEventType};
pub use secret::Secret;
pub use stream::{NewStream, Stream, StreamList, StreamPatch, StreamState, StreamStatus, MAX_NAME_CHARS};
pub use stream_id::{InvalidStreamId, StreamId};
