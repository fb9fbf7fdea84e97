//! Every wait runs in a `wait` span that records the vendor, the job id, the number of
//! polls and the last phase.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use jobstatus::simulator::{Script, elma_rpa};
use jobstatus::vendors::elma_rpa::ElmaRpaJob;
use jobstatus::{Phase, WaitPolicy, wait};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// The fields of every closed `wait` span, as text.
#[derive(Clone, Default)]
struct WaitSpans(Arc<Mutex<Vec<BTreeMap<String, String>>>>);

/// A span's fields so far.
#[derive(Default)]
struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(
            field.name().to_owned(),
            format!("{value:?}").trim_matches('"').to_owned(),
        );
    }
}

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> Layer<S> for WaitSpans {
    fn on_new_span(&self, attributes: &Attributes<'_>, id: &Id, context: Context<'_, S>) {
        let mut fields = Fields::default();
        attributes.record(&mut fields);
        if let Some(span) = context.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, context: Context<'_, S>) {
        if let Some(span) = context.span(id)
            && let Some(fields) = span.extensions_mut().get_mut::<Fields>()
        {
            values.record(fields);
        }
    }

    fn on_close(&self, id: Id, context: Context<'_, S>) {
        if let Some(span) = context.span(&id)
            && span.name() == "wait"
            && let Some(fields) = span.extensions_mut().remove::<Fields>()
        {
            self.0.lock().expect("span log").push(fields.0);
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_wait_records_vendor_job_polls_and_phase() {
    let spans = WaitSpans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = elma_rpa::ElmaRpaSimulator::start().await;
    let id = server.add_job(Script::new(1, 2, Phase::Succeeded));
    let job = ElmaRpaJob::new(server.client(), id.parse().expect("numeric id"));
    wait(&job, &WaitPolicy::default()).await.expect("terminal");

    let spans = spans.0.lock().expect("span log").clone();
    assert_eq!(spans.len(), 1, "{spans:?}");
    let expected: BTreeMap<String, String> = [
        ("vendor", "elma-rpa"),
        ("job", id.as_str()),
        ("polls", "4"),
        ("phase", "succeeded"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(spans[0], expected);
}
