//! Components shared by the pages, one module each.

mod add_stream_dialog;
mod collect_help;
mod copy_url;
mod delete_dialog;
mod destination_fields;
mod event_sources;
mod field_error;
mod form_post;
mod header;
mod live_status;
mod modal;
mod page_dialog;
mod stream_list;

pub use add_stream_dialog::AddStreamDialog;
pub use collect_help::CollectHelp;
pub use delete_dialog::DeleteDialog;
pub use event_sources::EventSources;
pub use form_post::FormPost;
#[cfg(feature = "hydrate")]
pub use form_post::call;
pub use header::Header;
pub use live_status::poll_live_status;
pub use page_dialog::{DialogLink, Dialogs, PageDialog};
pub use stream_list::StreamList;
