//! Generated client against raw reqwest with serde_json (or quick-xml), per vendor: one
//! loopback server, both contenders alternated round by round in one run, latency per
//! call and the client thread's CPU time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use reqwest::header::CONTENT_TYPE;

use crate::bodies::{Bodies, Size};
use crate::measure::{median, quantile, thread_cpu};
use crate::{clients, server, soap_raw};
// One trait for every generated client: `client()` is its `reqwest::Client`.
use elma_rpa::ClientInfo as _;

/// One status call, made by one contender; an error means the call did not decode.
type Call = Arc<dyn Fn() -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// A row of the table: what is called, with what body, by whom.
struct Case {
    name: String,
    bytes: usize,
    generated: Call,
    raw: Call,
}

/// How much to measure.
#[derive(Clone, Copy, Debug)]
pub struct Effort {
    /// Rounds of the two contenders.
    pub rounds: usize,
    /// Calls per contender and round, for small bodies (large ones make a tenth of them).
    pub calls: usize,
}

/// Runs every case and returns the markdown table.
pub fn run(effort: Effort) -> String {
    let bodies = Bodies::new();
    let server = server::canned(bodies.clone(), 1);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a client runtime");
    let mut table = String::from(
        "| case | body | generated, median | raw, median | latency ratio (rounds p10-p90) | client CPU ratio |\n|---|---|---|---|---|---|\n",
    );
    for case in cases(&server, &bodies) {
        let calls = if case.bytes > 10_000 {
            (effort.calls / 10).max(1)
        } else {
            effort.calls
        };
        let row = runtime.block_on(measure(&case, effort.rounds, calls));
        table.push_str(&row);
        table.push('\n');
    }
    table
}

/// The contenders of every vendor against `server`. Each REST raw call goes through the
/// generated client's own `reqwest::Client` (the same timeouts, user agent and redirect
/// policy), so that the ratio is the generated layer's alone; each call shares the
/// generated client, as an application does, rather than copying it.
fn cases(server: &server::Loopback, bodies: &Bodies) -> Vec<Case> {
    let http = reqwest::Client::new();
    let mut cases = Vec::new();
    for size in Size::ALL {
        let base = server.url(&format!("/{}", size.as_str()));
        let index = size as usize;

        let elma = Arc::new(clients::elma(&base));
        let (raw_http, url) = (
            elma.client().clone(),
            format!("{base}/v1/orchestra/task/status"),
        );
        cases.push(Case {
            name: format!("ELMA task_status, {}", size.as_str()),
            bytes: bodies.elma[index].len(),
            generated: Arc::new(move || {
                let elma = Arc::clone(&elma);
                Box::pin(async move {
                    let answer = elma
                        .task_status()
                        .body(elma_rpa::types::TaskIdRequest::builder().id(955))
                        .send()
                        .await
                        .map_err(|e| e.to_string())?;
                    answer
                        .into_inner()
                        .task
                        .map(drop)
                        .ok_or("no task".to_owned())
                })
            }),
            raw: Arc::new(move || {
                let (http, url) = (raw_http.clone(), url.clone());
                Box::pin(async move {
                    let body = format!(r#"{{"id":955,"auth_tkn":"{}"}}"#, clients::ELMA_TOKEN);
                    let answer: elma_rpa::types::TaskResponse = json(
                        http.post(url)
                            .header(CONTENT_TYPE, "application/json")
                            .body(body),
                    )
                    .await?;
                    answer.task.map(drop).ok_or("no task".to_owned())
                })
            }),
        });

        let infor = Arc::new(clients::infor(&base));
        let id = "6f1c2d7e-5a4b-4c3d-9e8f-102938475601";
        let (raw_http, url) = (
            infor.client().clone(),
            format!("{base}/api/v1/rpa/jobs/{id}"),
        );
        cases.push(Case {
            name: format!("Infor get_job, {}", size.as_str()),
            bytes: bodies.infor[index].len(),
            generated: Arc::new(move || {
                let infor = Arc::clone(&infor);
                Box::pin(async move {
                    infor
                        .get_job()
                        .id(id)
                        .send()
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                })
            }),
            raw: Arc::new(move || {
                let (http, url) = (raw_http.clone(), url.clone());
                Box::pin(async move {
                    json::<infor_rpa::types::Job>(http.get(url).bearer_auth(clients::BEARER))
                        .await
                        .map(drop)
                })
            }),
        });

        let clear = Arc::new(clients::clear(&base));
        let id = "6988c9f8b359874b346bbe9c";
        let (raw_http, url) = (
            clear.client().clone(),
            format!("{base}/one-integration/workflow/status"),
        );
        cases.push(Case {
            name: format!("Clear get_workflow_status, {}", size.as_str()),
            bytes: bodies.clear[index].len(),
            generated: Arc::new(move || {
                let clear = Arc::clone(&clear);
                Box::pin(async move {
                    let answer = clear
                        .get_workflow_status()
                        .task_id(id)
                        .send()
                        .await
                        .map_err(|e| e.to_string())?;
                    answer
                        .into_inner()
                        .result
                        .map(drop)
                        .ok_or("no result".to_owned())
                })
            }),
            raw: Arc::new(move || {
                let (http, url) = (raw_http.clone(), url.clone());
                Box::pin(async move {
                    let answer: clear_one_integration::types::WorkflowStatusResponse = json(
                        http.get(url)
                            .query(&[("taskId", id)])
                            .header("x-clear-auth-token", clients::CLEAR_KEYS.0)
                            .header("x-integration-id", clients::CLEAR_KEYS.1),
                    )
                    .await?;
                    answer.result.map(drop).ok_or("no result".to_owned())
                })
            }),
        });

        let wes = Arc::new(clients::wes(&base));
        let run = "322b49ffae04439f9b35474a1166ef65";
        if size == Size::Small {
            let wes = Arc::clone(&wes);
            let (raw_http, url) = (wes.client().clone(), format!("{base}/runs/{run}/status"));
            cases.push(Case {
                name: "WES GetRunStatus, small".to_owned(),
                bytes: bodies.wes_status.len(),
                generated: Arc::new(move || {
                    let wes = Arc::clone(&wes);
                    Box::pin(async move {
                        wes.get_run_status()
                            .run_id(run)
                            .send()
                            .await
                            .map(drop)
                            .map_err(|e| e.to_string())
                    })
                }),
                raw: Arc::new(move || {
                    let (http, url) = (raw_http.clone(), url.clone());
                    Box::pin(async move {
                        json::<ga4gh_wes::types::RunStatus>(
                            http.get(url).bearer_auth(clients::BEARER),
                        )
                        .await
                        .map(drop)
                    })
                }),
            });
        }
        let (raw_http, url) = (wes.client().clone(), format!("{base}/runs/{run}"));
        cases.push(Case {
            name: format!("WES GetRunLog, {}", size.as_str()),
            bytes: bodies.wes_log[index].len(),
            generated: Arc::new(move || {
                let wes = Arc::clone(&wes);
                Box::pin(async move {
                    wes.get_run_log()
                        .run_id(run)
                        .send()
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                })
            }),
            raw: Arc::new(move || {
                let (http, url) = (raw_http.clone(), url.clone());
                Box::pin(async move {
                    json::<ga4gh_wes::types::RunLog>(http.get(url).bearer_auth(clients::BEARER))
                        .await
                        .map(drop)
                })
            }),
        });
    }
    for soap12 in [false, true] {
        let endpoint = server.url("/cora");
        let cora = clients::cora(&endpoint, 4242);
        let envelope = bytes::Bytes::from(soap_raw::request(4242, soap12));
        let content_type = if soap12 {
            format!(
                r#"application/soap+xml; charset=utf-8; action="{}""#,
                soap_raw::ACTION
            )
        } else {
            "text/xml; charset=utf-8".to_owned()
        };
        let raw_http = http.clone();
        cases.push(Case {
            name: format!(
                "Cora GetStatus, SOAP {}",
                if soap12 { "1.2" } else { "1.1" }
            ),
            bytes: if soap12 {
                bodies.cora12.len()
            } else {
                bodies.cora11.len()
            },
            generated: Arc::new(move || {
                let cora = cora.clone();
                Box::pin(async move {
                    let answer = if soap12 {
                        cora.soap12().get_status().await
                    } else {
                        cora.soap().get_status().await
                    };
                    let answer = answer.map_err(|e| e.to_string())?;
                    answer
                        .get_status_result
                        .map(drop)
                        .ok_or("no GetStatusResult".to_owned())
                })
            }),
            raw: Arc::new(move || {
                let (http, endpoint, envelope, content_type) = (
                    raw_http.clone(),
                    endpoint.clone(),
                    envelope.clone(),
                    content_type.clone(),
                );
                Box::pin(async move {
                    let mut request = http
                        .post(endpoint)
                        .header(CONTENT_TYPE, content_type)
                        .body(envelope);
                    if !soap12 {
                        request = request.header("SOAPAction", format!("\"{}\"", soap_raw::ACTION));
                    }
                    let answer = request.send().await.map_err(|e| e.to_string())?;
                    let text = answer.text().await.map_err(|e| e.to_string())?;
                    soap_raw::decode(&text).map(drop)
                })
            }),
        });
    }
    cases
}

/// Sends `request` and decodes a 2xx JSON answer into `T`.
async fn json<T: serde::de::DeserializeOwned>(
    request: reqwest::RequestBuilder,
) -> Result<T, String> {
    let answer = request.send().await.map_err(|e| e.to_string())?;
    if !answer.status().is_success() {
        return Err(format!("HTTP {}", answer.status()));
    }
    let body = answer.bytes().await.map_err(|e| e.to_string())?;
    serde_json::from_slice(&body).map_err(|e| e.to_string())
}

/// Alternates the two contenders of `case` for `rounds` rounds of `calls` calls each
/// (generated first in even rounds, raw first in odd ones) and formats the row.
async fn measure(case: &Case, rounds: usize, calls: usize) -> String {
    for call in [&case.generated, &case.raw] {
        for _ in 0..calls.min(20) {
            if let Err(error) = call().await {
                return format!(
                    "| {} | {} B | failed: {error} | | | |",
                    case.name, case.bytes
                );
            }
        }
    }
    let (mut all, mut cpu) = ([Vec::new(), Vec::new()], [Duration::ZERO; 2]);
    let mut round_ratios = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        let mut medians = [0.0; 2];
        for contender in order {
            let call = if contender == 0 {
                &case.generated
            } else {
                &case.raw
            };
            let mut latencies = Vec::with_capacity(calls);
            let started_cpu = thread_cpu();
            for _ in 0..calls {
                let started = Instant::now();
                if let Err(error) = call().await {
                    return format!(
                        "| {} | {} B | failed: {error} | | | |",
                        case.name, case.bytes
                    );
                }
                latencies.push(started.elapsed().as_secs_f64() * 1e6);
            }
            cpu[contender] += thread_cpu() - started_cpu;
            medians[contender] = median(&mut latencies);
            all[contender].extend(latencies);
        }
        round_ratios.push(medians[0] / medians[1]);
    }
    let generated = median(&mut all[0]);
    let raw = median(&mut all[1]);
    round_ratios.sort_by(f64::total_cmp);
    format!(
        "| {} | {} B | {generated:.1} us | {raw:.1} us | {:.2}x ({:.2}-{:.2}) | {:.2}x |",
        case.name,
        case.bytes,
        generated / raw,
        quantile(&round_ratios, 0.1),
        quantile(&round_ratios, 0.9),
        cpu[0].as_secs_f64() / cpu[1].as_secs_f64().max(f64::MIN_POSITIVE),
    )
}
