//! Every operation of the REST vendor crates, called through Stoplight Prism mocking our
//! own spec with request validation: a request our client builds wrongly is answered with
//! a 4xx (422 under `--errors`) or named in an `sl-violations` header, and fails here.
#![cfg(feature = "interop")]

use progenitor_client::{Error, ResponseValue};
use workspace_tests::peers::{Peer, prism};
use workspace_tests::workspace_root;

fn prism_for(vendor: &str) -> Peer {
    prism(
        &workspace_root()
            .join("specs")
            .join(vendor)
            .join("openapi.yaml"),
    )
}

/// Fails on an error or on a response that carries Prism's violation header.
fn accepted<T, E: std::fmt::Debug>(
    peer: &Peer,
    operation: &str,
    result: Result<ResponseValue<T>, Error<E>>,
) -> T {
    match result {
        Ok(response) => {
            let violations = response.headers().get("sl-violations");
            assert!(
                violations.is_none(),
                "{operation}: Prism reports violations: {violations:?}"
            );
            assert!(
                response.status().is_success(),
                "{operation}: {}",
                response.status()
            );
            response.into_inner()
        }
        Err(error) => panic!(
            "{operation} was refused by Prism: {error:?}\n{}",
            peer.output()
        ),
    }
}

mod elma {
    use super::*;
    use elma_rpa::Client;
    use elma_rpa::types::{
        NewTask, RepositoryActualRequest, RepositoryContextRequest, RepositoryFindRequest,
        TaskCreateRequest, TaskDownloadRequest, TaskIdRequest,
    };

    const PROCESS: &str = "c39f99de-cb8f-4661-a206-b282a4830cbf";

    fn uuid(text: &str) -> uuid::Uuid {
        text.parse().expect("uuid")
    }

    #[tokio::test]
    async fn every_operation_passes_request_validation() {
        let peer = prism_for("elma-rpa");
        let client = Client::builder(&peer.base_url)
            .auth_token("5d5ec66f-357d-4c2d-bbc1-2012278d2361")
            .build()
            .expect("valid client");

        let created = accepted(
            &peer,
            "task_create",
            client
                .task_create()
                .body(
                    TaskCreateRequest::builder().task(
                        NewTask::builder()
                            .process(uuid(PROCESS))
                            .version(0)
                            .ctx("{}".to_owned()),
                    ),
                )
                .send()
                .await,
        );
        assert!(created.task.is_some());
        accepted(
            &peer,
            "task_status",
            client
                .task_status()
                .body(TaskIdRequest::builder().id(955))
                .send()
                .await,
        );
        accepted(
            &peer,
            "task_cancel",
            client
                .task_cancel()
                .body(TaskIdRequest::builder().id(955))
                .send()
                .await,
        );
        accepted(
            &peer,
            "task_download",
            client
                .task_download()
                .body(
                    TaskDownloadRequest::builder()
                        .taskid(717)
                        .filename("12.txt"),
                )
                .send()
                .await,
        );
        accepted(
            &peer,
            "repository_actual",
            client
                .repository_actual()
                .body(RepositoryActualRequest::builder().page(1).limit(10))
                .send()
                .await,
        );
        accepted(
            &peer,
            "repository_find",
            client
                .repository_find()
                .body(
                    RepositoryFindRequest::builder()
                        .token(uuid(PROCESS))
                        .version(0),
                )
                .send()
                .await,
        );
        accepted(
            &peer,
            "repository_context",
            client
                .repository_context()
                .body(RepositoryContextRequest::builder().uuid(uuid(PROCESS)))
                .send()
                .await,
        );
    }

    /// The check has teeth: a body without `auth_tkn`, as a client without credentials
    /// sends it, is refused.
    #[tokio::test]
    async fn a_request_without_auth_tkn_is_refused() {
        let peer = prism_for("elma-rpa");
        // Every client sends its credentials, so the bare request is made by hand.
        let response = reqwest::Client::new()
            .post(format!("{}/v1/orchestra/task/status", peer.base_url))
            .json(&serde_json::json!({"id": 955}))
            .send()
            .await
            .expect("Prism answers");
        assert_eq!(response.status().as_u16(), 422);
    }
}

mod infor {
    use super::*;
    use infor_rpa::Client;
    use infor_rpa::types::ExecuteJobRequest;

    #[tokio::test]
    async fn every_operation_passes_request_validation() {
        let peer = prism_for("infor-rpa");
        let client = Client::builder(&peer.base_url)
            .bearer_token("token")
            .build()
            .expect("valid token");
        let list = accepted(
            &peer,
            "list_jobs",
            client.list_jobs().environment("default").send().await,
        );
        let id = list
            .jobs()
            .first()
            .map(|job| job.id.clone())
            .unwrap_or("job-1".into());
        accepted(&peer, "get_job", client.get_job().id(&id).send().await);
        let mut arguments = serde_json::Map::new();
        arguments.insert("InvoiceNumber".to_owned(), serde_json::json!("INV-1"));
        accepted(
            &peer,
            "execute_job",
            client
                .execute_job()
                .id(&id)
                .body(ExecuteJobRequest { arguments })
                .send()
                .await,
        );
        accepted(
            &peer,
            "list_processes",
            client.list_processes().environment("default").send().await,
        );
    }

    /// Without the bearer token the gateway's security scheme is not met.
    #[tokio::test]
    async fn a_request_without_a_token_is_refused() {
        let peer = prism_for("infor-rpa");
        // Every client sends its credentials, so the bare request is made by hand.
        let response = reqwest::Client::new()
            .get(format!("{}/api/v1/rpa/jobs/job-1", peer.base_url))
            .send()
            .await
            .expect("Prism answers");
        assert_eq!(response.status().as_u16(), 401);
    }
}

mod clear {
    use super::*;
    use clear_one_integration::Client;
    use clear_one_integration::types::{FileInfo, IngestRequest};

    #[tokio::test]
    async fn every_operation_passes_request_validation() {
        let peer = prism_for("clear-one-integration");
        let client = Client::builder(&peer.base_url)
            .auth_token("token")
            .integration_id("3fa85f64-5717-4562-b3fc-2c963f66afa6")
            .build()
            .expect("valid keys");
        accepted(
            &peer,
            "get_pre_sign_url",
            client
                .get_pre_sign_url()
                .filename("purchases.csv")
                .send()
                .await,
        );
        let file: FileInfo = FileInfo::builder()
            .upload_url("https://storage.clear.in/v1/ap-south-1/purchases.csv")
            .file_type("purchase")
            .filename("purchases.csv".to_owned())
            .try_into()
            .expect("valid file info");
        accepted(
            &peer,
            "create_ingestion",
            client
                .create_ingestion()
                .body(
                    IngestRequest::builder()
                        .file_info(vec![file])
                        .template_type("PURCHASE"),
                )
                .send()
                .await,
        );
        let status = accepted(
            &peer,
            "get_workflow_status",
            client
                .get_workflow_status()
                .task_id("6988a3bc2e0e5e3c6c9aa6da")
                .send()
                .await,
        );
        assert!(status.success);
    }

    /// Both keys are required together: one alone is refused.
    #[tokio::test]
    async fn a_request_with_one_key_is_refused() {
        let peer = prism_for("clear-one-integration");
        // A client always sends both keys, so the request with one is made by hand.
        let status = reqwest::Client::new()
            .get(format!("{}/one-integration/workflow/status", peer.base_url))
            .query(&[("taskId", "6988a3bc2e0e5e3c6c9aa6da")])
            .header("x-clear-auth-token", "token")
            .send()
            .await
            .expect("Prism answers")
            .status()
            .as_u16();
        assert!(status == 401 || status == 403, "{status}");
    }
}
