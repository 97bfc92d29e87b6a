//! Components shared by the pages, one module each.

mod add_stream_dialog;
mod destination_fields;
mod event_sources;
mod header;
mod stream_list;

pub use add_stream_dialog::AddStreamDialog;
pub use event_sources::EventSources;
pub use header::Header;
pub use stream_list::StreamList;
