//! The OpenAPI document served at `/openapi.json`, generated from the handlers and model types.

use super::{collect, directory, ingest, streams, tokens};
use crate::model::{
    Destination, DirectoryAdmin, DirectoryApp, DirectoryImport, DirectoryUser, EventType, GcsSettings, KafkaSasl,
    KafkaSettings, NewStream, S3Settings, SplunkSettings, Stream, StreamList, StreamPatch, StreamState, StreamStatus,
    WebhookSettings,
};
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Sluice", description = "Identity and security event streaming. Wire-compatible with the Mosaic collect API."),
    paths(
        tokens::token,
        ingest::ingest,
        streams::list, streams::create, streams::read, streams::update, streams::remove,
        collect::collect, collect::start_collect, collect::put_stream, collect::delete_stream,
        directory::write, directory::read, directory::remove, directory::import,
    ),
    components(schemas(
        EventType, NewStream, Stream, StreamList, StreamPatch, StreamStatus, StreamState, Destination,
        SplunkSettings, KafkaSettings, KafkaSasl, GcsSettings, S3Settings, WebhookSettings,
        DirectoryUser, DirectoryApp, DirectoryAdmin, DirectoryImport,
    )),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}
