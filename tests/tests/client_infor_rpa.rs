//! The generated Infor RPA client against the capture server: what it sends (method, path,
//! query, bearer token, body) and how it reads the answers, errors included.

use infor_rpa::types::{ExecuteJobRequest, JobInstanceStatus, JobStatus, ProcessVersionStatus};
use infor_rpa::{Client, Error};
use jobstatus_runtime::ResponseFailure;
use serde_json::{Value, json};
use workspace_tests::capture::{Canned, CaptureServer, Captured};

const TOKEN: &str = "ion-access-token-4f2a";

fn fixture(name: &str) -> String {
    let path = workspace_tests::workspace_root()
        .join("crates/infor-rpa/tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Answers like the RPA service would, by path and query; unknown jobs get a 404.
fn answer(request: &Captured) -> Canned {
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/TENANT/RPA/api/v1/rpa/jobs")
            if request.raw_query.as_deref() == Some("environment=legacy") =>
        {
            Canned::json_bytes(200, fixture("jobs-array.json"))
        }
        ("GET", "/TENANT/RPA/api/v1/rpa/jobs") => {
            Canned::json_bytes(200, fixture("jobs-object.json"))
        }
        ("GET", "/TENANT/RPA/api/v1/rpa/jobs/6f1c2d7e-5a4b-4c3d-9e8f-102938475601") => {
            Canned::json_bytes(200, fixture("job-detail.json"))
        }
        ("POST", "/TENANT/RPA/api/v1/rpa/jobs/6f1c2d7e-5a4b-4c3d-9e8f-102938475601/_execute") => {
            Canned::json_bytes(202, fixture("execute.json"))
        }
        ("GET", "/TENANT/RPA/api/v1/rpa/process") => {
            Canned::json_bytes(200, fixture("processes.json"))
        }
        ("GET", "/TENANT/RPA/api/v1/rpa/jobs/broken") => {
            Canned::json_bytes(502, "<html>upstream unavailable</html>")
        }
        ("GET", "/TENANT/RPA/api/v1/rpa/jobs/odd-error") => {
            Canned::json_bytes(401, r#"{"error":"invalid_token"}"#)
        }
        _ => Canned::json_bytes(404, fixture("error.json")),
    }
}

/// The client's base URL and the server behind it.
async fn serve() -> (String, CaptureServer) {
    let server = CaptureServer::start_with(answer).await;
    (format!("{}/TENANT/RPA", server.base_url), server)
}

fn bearer(seen: &Captured) -> &str {
    seen.header("authorization").unwrap_or_default()
}

#[tokio::test]
async fn list_jobs_sends_the_environment_and_the_token_and_reads_both_shapes() {
    let (baseurl, server) = serve().await;
    let client = Client::builder(&baseurl)
        .bearer_token(TOKEN)
        .build()
        .expect("valid token");

    let list = client
        .list_jobs()
        .environment("default")
        .type_("Unattended")
        .send()
        .await
        .expect("job list")
        .into_inner();
    assert_eq!(list.jobs().len(), 2);
    assert_eq!(
        list.jobs()[1].status.as_deref(),
        Some(&JobStatus::NotStarted)
    );

    let bare = client
        .list_jobs()
        .environment("legacy")
        .send()
        .await
        .expect("bare job list")
        .into_inner();
    assert_eq!(bare.jobs()[0].status.as_deref(), Some(&JobStatus::Running));

    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].path, "/TENANT/RPA/api/v1/rpa/jobs");
    assert_eq!(
        seen[0].raw_query.as_deref(),
        Some("environment=default&type=Unattended")
    );
    assert_eq!(seen[1].raw_query.as_deref(), Some("environment=legacy"));
    for request in &seen {
        assert_eq!(bearer(request), format!("Bearer {TOKEN}"));
    }
}

#[tokio::test]
async fn get_job_reads_the_detail() {
    let (baseurl, server) = serve().await;
    let client = Client::builder(&baseurl)
        .bearer_token(TOKEN)
        .build()
        .expect("valid token");
    let job = client
        .get_job()
        .id("6f1c2d7e-5a4b-4c3d-9e8f-102938475601")
        .send()
        .await
        .expect("job")
        .into_inner();
    assert_eq!(job.status.as_deref(), Some(&JobStatus::Completed));
    assert_eq!(job.job_instances.as_deref().map(<[_]>::len), Some(2));
    let seen = server.requests();
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].raw_query, None);
}

#[tokio::test]
async fn execute_job_posts_json_and_accepts_any_2xx() {
    let (baseurl, server) = serve().await;
    let client = Client::builder(&baseurl)
        .bearer_token(TOKEN)
        .build()
        .expect("valid token");
    let job = "6f1c2d7e-5a4b-4c3d-9e8f-102938475601";

    let started = client
        .execute_job()
        .id(job)
        .send()
        .await
        .expect("started")
        .into_inner();
    assert_eq!(started.status.as_deref(), Some(&JobInstanceStatus::Running));

    let mut arguments = serde_json::Map::new();
    arguments.insert("InvoiceNumber".to_owned(), json!("INV-1"));
    client
        .execute_job()
        .id(job)
        .body(ExecuteJobRequest { arguments })
        .send()
        .await
        .expect("started with arguments");

    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    for request in &seen {
        assert_eq!(request.method, "POST");
        assert_eq!(
            request.path,
            format!("/TENANT/RPA/api/v1/rpa/jobs/{job}/_execute")
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(bearer(request), format!("Bearer {TOKEN}"));
    }
    let bodies: Vec<Value> = seen
        .iter()
        .map(|request| serde_json::from_slice(&request.raw_body).expect("JSON body"))
        .collect();
    assert_eq!(bodies[0], json!({}));
    assert_eq!(
        bodies[1],
        json!({ "arguments": { "InvoiceNumber": "INV-1" } })
    );
}

#[tokio::test]
async fn list_processes_reads_the_versions() {
    let (baseurl, server) = serve().await;
    let client = Client::builder(&baseurl)
        .bearer_token(TOKEN)
        .build()
        .expect("valid token");
    let processes = client
        .list_processes()
        .environment("default")
        .send()
        .await
        .expect("processes")
        .into_inner();
    let versions = processes.processes[0]
        .versions
        .as_deref()
        .expect("versions");
    assert_eq!(
        versions[0].status.as_deref(),
        Some(&ProcessVersionStatus::Finalized)
    );
    assert_eq!(
        server.requests()[0].raw_query.as_deref(),
        Some("environment=default")
    );
}

#[tokio::test]
async fn path_segments_are_encoded() {
    let (baseurl, server) = serve().await;
    let client = Client::builder(&baseurl)
        .bearer_token(TOKEN)
        .build()
        .expect("valid token");
    let _ = client.get_job().id("a/b c").send().await;
    assert_eq!(
        server.requests()[0].path,
        "/TENANT/RPA/api/v1/rpa/jobs/a%2Fb%20c"
    );
}

#[tokio::test]
async fn errors_carry_the_status_and_the_decoded_body() {
    let (baseurl, _server) = serve().await;
    let client = Client::builder(&baseurl)
        .bearer_token(TOKEN)
        .build()
        .expect("valid token");
    match client.get_job().id("no-such-job").send().await {
        Err(Error::ErrorResponse(answer)) => {
            assert_eq!(answer.status(), 404);
            let detail = answer.into_inner().error.expect("error detail");
            assert_eq!(detail.code.as_deref(), Some("404"));
            assert_eq!(detail.message.as_deref(), Some("Job not found"));
        }
        other => panic!("expected a typed error, got {other:?}"),
    }
    // A gateway page that is not JSON keeps its status and the start of its body.
    match client.get_job().id("broken").send().await {
        Err(Error::Custom(message)) => assert_eq!(
            ResponseFailure::from_message(&message),
            Some(ResponseFailure::NotJson {
                status: 502,
                retry_after: None,
                snippet: "<html>upstream unavailable</html>".to_owned(),
            })
        ),
        other => panic!("expected the runtime's failure, got {other:?}"),
    }
    // JSON of another shape is an error that keeps the bytes, not a panic.
    match client.get_job().id("odd-error").send().await {
        Err(Error::InvalidResponsePayload(bytes, _)) => {
            assert_eq!(&bytes[..], br#"{"error":"invalid_token"}"#);
        }
        other => panic!("expected an invalid payload error, got {other:?}"),
    }
}

#[test]
fn the_token_is_never_printed_and_bad_tokens_are_refused() {
    let client = Client::builder("http://127.0.0.1:9/TENANT/RPA")
        .bearer_token(TOKEN)
        .build()
        .expect("valid");
    let printed = format!("{client:?}");
    assert!(!printed.contains(TOKEN), "{printed}");
    assert!(printed.contains("authorization"), "{printed}");

    let error = Client::builder("http://127.0.0.1:9")
        .bearer_token("line\nbreak")
        .build()
        .expect_err("a line break is not a header value");
    assert!(!error.to_string().contains("line\nbreak"), "{error}");
    assert!(
        Client::builder("http://127.0.0.1:9")
            .bearer_token(TOKEN)
            .reqwest(reqwest::Client::builder())
            .build()
            .is_ok()
    );
}
