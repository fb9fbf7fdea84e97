//! The GA4GH WES client against the capture server: pages followed as a stream, both
//! authentication styles on the wire and out of `Debug` output, and submissions refused
//! before sending or by the server.

use std::collections::{BTreeMap, HashMap};

use futures::{StreamExt, TryStreamExt};
use ga4gh_wes::types::{ErrorResponse, RunSummary, State};
use ga4gh_wes::{Attachment, Auth, Client, deployments};
use progenitor_client::Error;
use serde_json::{Value, json};
use workspace_tests::capture::{Canned, CaptureServer, Captured};

const TOKEN: &str = "secret-token-7f3a";

/// The capture server answering by `page_token`: each answer is keyed by the token it
/// answers (`""` for none), whatever the path.
struct Loopback(CaptureServer);

impl Loopback {
    async fn start(answers: &[(&str, u16, Value)]) -> Self {
        let answers: HashMap<String, (u16, Value)> = answers
            .iter()
            .map(|(token, status, body)| ((*token).to_owned(), (*status, body.clone())))
            .collect();
        Self(
            CaptureServer::start_with(move |request| {
                let token = request.query_param("page_token").unwrap_or_default();
                let (status, body) = answers.get(token).cloned().unwrap_or((
                    404,
                    json!({"type": "about:blank", "title": "Not Found", "status": 404}),
                ));
                let mut canned = Canned::json(status, &body);
                if status >= 400 {
                    canned.content_type = "application/problem+json";
                }
                canned
            })
            .await,
        )
    }

    fn client(&self, auth: Auth) -> Client {
        Client::builder(format!("{}/ga4gh/wes/v1", self.0.base_url))
            .auth(auth)
            .build()
            .expect("valid token")
    }

    fn seen(&self) -> Vec<Captured> {
        self.0.requests()
    }

    /// The `page_token` of every request, `None` where there was none.
    fn tokens(&self) -> Vec<Option<String>> {
        self.seen()
            .iter()
            .map(|seen| seen.query_param("page_token").map(str::to_owned))
            .collect()
    }
}

fn runs(ids: &[&str]) -> Value {
    Value::Array(
        ids.iter()
            .map(|id| json!({"run_id": id, "state": "COMPLETE"}))
            .collect(),
    )
}

fn ids(runs: &[RunSummary]) -> Vec<&str> {
    runs.iter().map(|run| run.run_id.as_str()).collect()
}

// Pagination.

#[tokio::test]
async fn the_run_stream_follows_next_page_token_until_it_is_empty() {
    let server = Loopback::start(&[
        (
            "",
            200,
            json!({"runs": runs(&["r1", "r2"]), "next_page_token": "p2"}),
        ),
        (
            "p2",
            200,
            json!({"runs": runs(&["r3", "r4"]), "next_page_token": "p3"}),
        ),
        (
            "p3",
            200,
            json!({"runs": runs(&["r5"]), "next_page_token": ""}),
        ),
    ])
    .await;
    let client = server.client(Auth::None);
    let runs: Vec<_> = client
        .list_runs()
        .page_size(2)
        .stream()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(ids(&runs), ["r1", "r2", "r3", "r4", "r5"]);
    assert_eq!(
        server.tokens(),
        [None, Some("p2".to_owned()), Some("p3".to_owned())]
    );
    for seen in server.seen() {
        assert_eq!(seen.path, "/ga4gh/wes/v1/runs");
        assert_eq!(seen.query_param("page_size"), Some("2"));
    }
}

/// Tolerated deviation: pages under the reference server's `workflows` key, and a page
/// without a `next_page_token` at all, which ends the list as `""` does.
#[tokio::test]
async fn the_run_stream_reads_workflows_pages_and_a_missing_token() {
    let server = Loopback::start(&[
        (
            "",
            200,
            json!({"workflows": runs(&["w1"]), "next_page_token": "p2"}),
        ),
        ("p2", 200, json!({"workflows": runs(&["w2"])})),
    ])
    .await;
    let runs: Vec<_> = server
        .client(Auth::None)
        .list_runs()
        .stream()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(ids(&runs), ["w1", "w2"]);
    assert_eq!(server.tokens(), [None, Some("p2".to_owned())]);
}

/// An empty page is not the end; only an empty token is.
#[tokio::test]
async fn an_empty_page_with_a_token_does_not_end_the_stream() {
    let server = Loopback::start(&[
        ("", 200, json!({"runs": [], "next_page_token": "p2"})),
        (
            "p2",
            200,
            json!({"runs": runs(&["late"]), "next_page_token": null}),
        ),
    ])
    .await;
    let runs: Vec<_> = server
        .client(Auth::None)
        .list_runs()
        .stream()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(ids(&runs), ["late"]);
}

#[tokio::test]
async fn a_page_token_set_on_the_builder_is_where_the_stream_starts() {
    let server = Loopback::start(&[
        (
            "",
            200,
            json!({"runs": runs(&["first"]), "next_page_token": "p2"}),
        ),
        (
            "p2",
            200,
            json!({"runs": runs(&["second"]), "next_page_token": ""}),
        ),
    ])
    .await;
    let runs: Vec<_> = server
        .client(Auth::None)
        .list_runs()
        .page_token("p2")
        .stream()
        .try_collect()
        .await
        .expect("from p2");
    assert_eq!(ids(&runs), ["second"]);
}

#[tokio::test]
async fn an_error_page_ends_the_stream_after_the_runs_before_it() {
    let server = Loopback::start(&[
        (
            "",
            200,
            json!({"runs": runs(&["r1", "r2"]), "next_page_token": "p2"}),
        ),
        (
            "p2",
            503,
            json!({"type": "about:blank", "title": "Service Unavailable", "status": 503}),
        ),
    ])
    .await;
    let client = server.client(Auth::None);
    let items: Vec<_> = client.list_runs().stream().collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    let ok: Vec<_> = items[..2]
        .iter()
        .map(|item| item.as_ref().expect("a run").run_id.as_str())
        .collect();
    assert_eq!(ok, ["r1", "r2"]);
    let Err(Error::ErrorResponse(response)) = &items[2] else {
        panic!("expected the problem body: {:?}", items[2]);
    };
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.title.as_deref(), Some("Service Unavailable"));
}

#[tokio::test]
async fn a_repeated_page_token_fails_instead_of_looping() {
    let server = Loopback::start(&[
        (
            "",
            200,
            json!({"runs": runs(&["a"]), "next_page_token": "same"}),
        ),
        (
            "same",
            200,
            json!({"runs": runs(&["b"]), "next_page_token": "same"}),
        ),
    ])
    .await;
    let items: Vec<_> = server
        .client(Auth::None)
        .list_runs()
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(
        items[1].as_ref().map(|run| run.run_id.as_str()).ok(),
        Some("b")
    );
    let Err(Error::Custom(message)) = &items[2] else {
        panic!("expected the loop to be refused: {:?}", items[2]);
    };
    assert!(
        message.contains("list_runs") && message.contains("\"same\""),
        "{message}"
    );
    assert_eq!(server.tokens().len(), 2, "no third request");
}

#[tokio::test]
async fn the_task_stream_follows_pages_too() {
    let task = |id: &str| json!({"id": id, "name": format!("step {id}"), "exit_code": 0});
    let server = Loopback::start(&[
        (
            "",
            200,
            json!({"task_logs": [task("t1"), task("t2")], "next_page_token": "n"}),
        ),
        (
            "n",
            200,
            json!({"task_logs": [task("t3")], "next_page_token": ""}),
        ),
    ])
    .await;
    let tasks: Vec<_> = server
        .client(Auth::None)
        .list_tasks()
        .run_id("run-1")
        .page_size(2)
        .stream()
        .try_collect()
        .await
        .expect("every page");
    let ids: Vec<_> = tasks.iter().filter_map(|task| task.id.as_deref()).collect();
    assert_eq!(ids, ["t1", "t2", "t3"]);
    assert_eq!(server.tokens(), [None, Some("n".to_owned())]);
    assert!(
        server
            .seen()
            .iter()
            .all(|seen| seen.path == "/ga4gh/wes/v1/runs/run-1/tasks")
    );
}

// Authentication.

async fn status_request_headers(auth: Auth) -> BTreeMap<String, String> {
    let server = Loopback::start(&[("", 200, json!({"run_id": "r", "state": "RUNNING"}))]).await;
    let status = server
        .client(auth)
        .get_run_status()
        .run_id("r")
        .send()
        .await
        .expect("answered")
        .into_inner();
    assert_eq!(status.state, State::Running);
    server.seen().remove(0).headers
}

#[tokio::test]
async fn a_bearer_token_goes_into_authorization() {
    let headers = status_request_headers(Auth::Bearer(TOKEN.into())).await;
    assert_eq!(
        headers.get("authorization").map(String::as_str),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(!headers.contains_key("x-sbg-auth-token"));
}

#[tokio::test]
async fn a_seven_bridges_token_goes_into_x_sbg_auth_token() {
    let headers = status_request_headers(Auth::SevenBridges(TOKEN.into())).await;
    assert_eq!(
        headers.get("x-sbg-auth-token").map(String::as_str),
        Some(TOKEN)
    );
    assert!(!headers.contains_key("authorization"));
}

#[tokio::test]
async fn no_auth_sends_no_credentials() {
    let headers = status_request_headers(Auth::None).await;
    assert!(!headers.contains_key("authorization"));
    assert!(!headers.contains_key("x-sbg-auth-token"));
}

#[tokio::test]
async fn submissions_carry_the_credentials_too() {
    let server = Loopback::start(&[("", 200, json!({"run_id": "new"}))]).await;
    let run = server
        .client(Auth::SevenBridges(TOKEN.into()))
        .run_workflow()
        .workflow_url("sbg://division/project/app")
        .workflow_type("CWL")
        .workflow_type_version("v1.0")
        .workflow_params(&json!({"project": "division/project", "inputs": {}}))
        .send()
        .await
        .expect("accepted")
        .into_inner();
    assert_eq!(run.run_id.as_deref(), Some("new"));
    let seen = server.seen().remove(0);
    assert_eq!(seen.path, "/ga4gh/wes/v1/runs");
    assert_eq!(seen.header("x-sbg-auth-token"), Some(TOKEN));
    let content_type = seen.header("content-type");
    assert!(
        content_type.is_some_and(|t| t.starts_with("multipart/form-data; boundary=")),
        "{content_type:?}"
    );
}

#[test]
fn tokens_never_show_in_debug_output() {
    for auth in [Auth::Bearer(TOKEN.into()), Auth::SevenBridges(TOKEN.into())] {
        let printed_auth = format!("{auth:?}");
        let client = Client::builder(deployments::CAVATICA)
            .auth(auth)
            .build()
            .expect("valid token");
        let printed = format!(
            "{printed_auth} {client:?} {:?} {:?}",
            client.run_workflow(),
            client.get_run_status().run_id("r")
        );
        assert!(!printed.contains(TOKEN), "{printed}");
        assert!(printed.contains("<hidden>"), "{printed}");
    }
    let client = Client::builder(deployments::CAVATICA)
        .auth(Auth::Bearer(TOKEN.into()))
        .build()
        .expect("valid token");
    assert!(format!("{client:?}").contains("authorization"));
    let client = Client::builder(deployments::CAVATICA)
        .auth(Auth::SevenBridges(TOKEN.into()))
        .build()
        .expect("valid token");
    assert!(format!("{client:?}").contains("x-sbg-auth-token"));
    assert_eq!(format!("{:?}", Auth::None), "None");
}

#[test]
fn a_token_that_is_no_header_value_is_refused_without_showing_it() {
    let error = Client::builder(deployments::BIODATA_CATALYST)
        .auth(Auth::SevenBridges(format!("{TOKEN}\nX-Injected: 1").into()))
        .build()
        .expect_err("a line break");
    let printed = format!("{error} {error:?}");
    assert!(!printed.contains(TOKEN), "{printed}");
    assert!(printed.contains("x-sbg-auth-token"), "{printed}");
}

#[test]
fn the_deployments_are_the_hosts_the_spec_names() {
    let spec = std::fs::read_to_string(
        workspace_tests::workspace_root().join("specs/ga4gh-wes/openapi.yaml"),
    )
    .expect("spec");
    for base_url in [
        deployments::CAVATICA,
        deployments::CANCER_GENOMICS_CLOUD,
        deployments::BIODATA_CATALYST,
    ] {
        let host = base_url
            .strip_prefix("https://")
            .and_then(|rest| rest.strip_suffix("/ga4gh/wes/v1"))
            .expect("https://<host>/ga4gh/wes/v1");
        assert!(
            spec.contains(&format!("`{host}`")),
            "{host} is not in the spec"
        );
    }
}

// Submissions.

/// The message of a submission refused before sending; the server must not have been
/// asked.
async fn refused(server: &Loopback, submission: ga4gh_wes::RunWorkflow<'_>) -> String {
    let before = server.seen().len();
    let result = submission.send().await;
    assert_eq!(server.seen().len(), before, "nothing was sent");
    match result {
        Err(Error::InvalidRequest(message)) => message,
        other => panic!("expected a refusal before sending, got {other:?}"),
    }
}

#[tokio::test]
async fn incomplete_or_malformed_submissions_are_refused_before_sending() {
    let server = Loopback::start(&[("", 200, json!({"run_id": "new"}))]).await;
    let client = server.client(Auth::None);
    let complete = || {
        client
            .run_workflow()
            .workflow_url("echo.cwl")
            .workflow_type("CWL")
            .workflow_type_version("v1.0")
            .workflow_params(&json!({}))
    };

    let missing = [
        (
            "workflow_url",
            client
                .run_workflow()
                .workflow_type("CWL")
                .workflow_type_version("v1.0")
                .workflow_params(&json!({})),
        ),
        (
            "workflow_type",
            client
                .run_workflow()
                .workflow_url("u")
                .workflow_type_version("v1.0")
                .workflow_params(&json!({})),
        ),
        (
            "workflow_type_version",
            client
                .run_workflow()
                .workflow_url("u")
                .workflow_type("CWL")
                .workflow_params(&json!({})),
        ),
        (
            "workflow_params",
            client
                .run_workflow()
                .workflow_url("u")
                .workflow_type("CWL")
                .workflow_type_version("v1.0"),
        ),
    ];
    for (field, submission) in missing {
        let message = refused(&server, submission).await;
        assert_eq!(message, format!("run_workflow: {field} is required"));
    }

    let message = refused(&server, complete().workflow_params(&[1, 2])).await;
    assert_eq!(
        message,
        "run_workflow: workflow_params must be a JSON object, not an array"
    );
    let message = refused(&server, complete().workflow_engine_parameters("fast")).await;
    assert_eq!(
        message,
        "run_workflow: workflow_engine_parameters must be a JSON object, not a string"
    );
    let message = refused(&server, complete().workflow_engine_version("3.3")).await;
    assert_eq!(
        message,
        "run_workflow: workflow_engine_version needs workflow_engine"
    );

    for name in [
        "../echo.cwl",
        "/etc/passwd",
        "tools//echo.cwl",
        "./echo.cwl",
        "tools\\echo.cwl",
        "",
    ] {
        let message = refused(
            &server,
            complete().attachment(Attachment::from_bytes(name, "x")),
        )
        .await;
        assert!(
            message.contains("must be a relative path"),
            "{name}: {message}"
        );
    }

    let missing_file = Attachment::from_path("echo.cwl", "/nonexistent/echo.cwl");
    assert_eq!(missing_file.name(), "echo.cwl");
    assert_eq!(
        format!("{missing_file:?}"),
        r#"Attachment { name: "echo.cwl", path: "/nonexistent/echo.cwl" }"#
    );
    let message = refused(&server, complete().attachment(missing_file)).await;
    assert!(
        message.starts_with(r#"attachment "echo.cwl": cannot read /nonexistent/echo.cwl: "#),
        "{message}"
    );

    // And the complete submission goes through.
    let run = complete().send().await.expect("accepted").into_inner();
    assert_eq!(run.run_id.as_deref(), Some("new"));
}

/// Tolerated deviation: the reference server refuses bad submissions with a problem body
/// and 500.
#[tokio::test]
async fn a_refused_submission_gives_the_problem_body() {
    let problem = json!({
        "type": "about:blank",
        "title": "Internal Server Error",
        "detail": "The server encountered an internal error and was unable to complete your request.",
        "status": 500
    });
    let server = Loopback::start(&[("", 500, problem)]).await;
    let error = server
        .client(Auth::None)
        .run_workflow()
        .workflow_url("echo.cwl")
        .workflow_type("CWL")
        .workflow_type_version("v1.0")
        .workflow_params(&json!({"message": "hi"}))
        .attachment(Attachment::from_bytes("echo.cwl", vec![0xff, 0x00, 0x0a]))
        .send()
        .await
        .expect_err("refused");
    let Error::ErrorResponse(response) = error else {
        panic!("expected the problem body, got {error:?}");
    };
    assert_eq!(response.status().as_u16(), 500);
    let body: &ErrorResponse = &response;
    assert_eq!(body.http_status(), Some(500));
    assert!(
        body.message()
            .is_some_and(|m| m.starts_with("The server encountered")),
        "{body}"
    );
}
