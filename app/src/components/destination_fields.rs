use super::field_error::FieldError;
use crate::error::ConsoleError;
use leptos::prelude::*;
use platform::model::DestinationKind;

/// One setting of a push destination, as the add-stream form asks for it.
struct Field {
    name: &'static str,
    label: &'static str,
    input: &'static str,
    required: bool,
    placeholder: &'static str,
}

const fn field(
    name: &'static str,
    label: &'static str,
    input: &'static str,
    required: bool,
    placeholder: &'static str,
) -> Field {
    Field { name, label, input, required, placeholder }
}

// The settings each destination kind needs (contract §4); secrets are password inputs.
const SPLUNK: &[Field] = &[
    field("url", "HEC URL", "url", true, "https://splunk.example.com:8088"),
    field("token", "HEC token", "password", true, ""),
    field("index", "Index", "text", false, "main"),
    field("sourcetype", "Source type", "text", false, "sluice:event"),
    field("source", "Source", "text", false, ""),
];

const KAFKA: &[Field] = &[
    field("bootstrap_servers", "Bootstrap servers", "text", true, "broker1:9092, broker2:9092"),
    field("topic", "Topic", "text", true, "identity-events"),
];

const GCS: &[Field] = &[
    field("bucket", "Bucket", "text", true, ""),
    field("prefix", "Object prefix", "text", false, "sluice"),
    field("credentials_json", "Service account JSON", "password", false, ""),
];

const S3: &[Field] = &[
    field("bucket", "Bucket", "text", true, ""),
    field("region", "Region", "text", true, "eu-west-1"),
    field("prefix", "Object prefix", "text", false, "sluice"),
    field("access_key_id", "Access key ID", "text", false, ""),
    field("secret_access_key", "Secret access key", "password", false, ""),
];

const WEBHOOK: &[Field] = &[
    field("url", "Webhook URL", "url", true, "https://siem.example.com/ingest"),
    field("secret", "Signing secret", "password", false, ""),
];

fn fields(kind: DestinationKind) -> &'static [Field] {
    match kind {
        DestinationKind::Custom => &[],
        DestinationKind::Splunk => SPLUNK,
        DestinationKind::Kafka => KAFKA,
        DestinationKind::Gcs => GCS,
        DestinationKind::S3 => S3,
        DestinationKind::Webhook => WEBHOOK,
    }
}

/// The inputs of the chosen destination's own settings, each with the server's refusal if it
/// concerns that setting.
#[component]
pub fn DestinationFields(kind: DestinationKind, refusal: Signal<Option<ConsoleError>>) -> impl IntoView {
    fields(kind)
        .iter()
        .map(|f| {
            let id = format!("destination-{}", f.name);
            let field = format!("destination.{}", f.name);
            let message = Signal::derive(move || refusal.with(|e| e.as_ref().and_then(|e| e.for_field(&field))));
            view! {
                <div class="field">
                    <label for=id.clone()>{f.label}</label>
                    <input
                        id=id
                        name=format!("destination[{}]", f.name)
                        type=f.input
                        required=f.required
                        placeholder=f.placeholder
                        autocomplete="off"
                    />
                    <FieldError id=format!("destination-{}-error", f.name) message/>
                </div>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_push_destination_asks_for_where_to_send() {
        for kind in DestinationKind::ALL {
            let required = fields(kind).iter().filter(|f| f.required).count();
            assert_eq!(required == 0, kind == DestinationKind::Custom, "{kind:?}");
        }
    }
}
