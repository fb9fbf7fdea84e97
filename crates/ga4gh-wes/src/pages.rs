//! Runs and tasks as a `Stream` that follows `next_page_token` from page to page.

use std::collections::HashSet;
use std::future::Future;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use jobstatus_runtime::OrRaw;
use progenitor_client::{Error, ResponseValue};

use crate::builder::{ListRuns, ListTasks};
use crate::types::{ErrorResponse, RunListResponse, RunSummary, TaskListResponse, TaskLog};

impl RunListResponse {
    /// The runs of this page.
    ///
    /// Tolerated deviation: the reference server (`wes-service` 5.0) sends the list under
    /// `workflows` instead of the WES key `runs`. The runs under `runs` are taken when
    /// there are any, else those under `workflows`.
    pub fn into_runs(self) -> Vec<RunSummary> {
        let runs = self.runs.unwrap_or_default();
        if runs.is_empty() {
            self.workflows.unwrap_or_default()
        } else {
            runs
        }
    }
}

impl<'a> ListRuns<'a> {
    /// Every run, one item at a time, requesting page after page with the
    /// `next_page_token` of the page before until it is missing or empty.
    ///
    /// `page_size` applies to every page; a `page_token` set on this builder is where
    /// the first page starts. The stream ends after the first error, and fails when the
    /// server hands out a page token it has already given (which would loop forever).
    pub fn stream(self) -> BoxStream<'a, Result<RunSummary, Error<ErrorResponse>>> {
        follow(
            "list_runs",
            move |token| {
                let request = self.clone();
                match token {
                    Some(token) => request.page_token(token).send(),
                    None => request.send(),
                }
            },
            |page: RunListResponse| {
                let token = page.next_page_token.clone();
                Ok((page.into_runs(), token))
            },
        )
    }
}

impl<'a> ListTasks<'a> {
    /// Every task log of the run, one item at a time, requesting page after page with
    /// the `next_page_token` of the page before until it is missing or empty.
    ///
    /// Behaves as [`ListRuns::stream`] does.
    pub fn stream(self) -> BoxStream<'a, Result<TaskLog, Error<ErrorResponse>>> {
        follow(
            "list_tasks",
            move |token| {
                let request = self.clone();
                match token {
                    Some(token) => request.page_token(token).send(),
                    None => request.send(),
                }
            },
            |page: TaskListResponse| {
                let tasks = match page.task_logs {
                    None => Vec::new(),
                    Some(OrRaw::Typed(tasks)) => tasks,
                    // Items that cannot be read cannot be streamed; say so rather than
                    // end the list early.
                    Some(OrRaw::Raw(raw)) => {
                        return Err(format!(
                            "`task_logs` is not a list of task logs: {}",
                            jobstatus_runtime::snippet(raw.to_string().as_bytes())
                        ));
                    }
                };
                Ok((tasks, page.next_page_token))
            },
        )
    }
}

/// Where paging stands.
enum Next {
    /// The next request, with its page token (`None` for the first page).
    Page(Option<String>),
    /// The server sent a token it had sent before; the next item is that error.
    Repeated(String),
    /// The last page has been read.
    Done,
}

/// The items of one page, and the token of the next page.
type PageItems<Item> = (Vec<Item>, Option<String>);

/// Calls `fetch` with each page's token and flattens the items that `split` takes out of
/// the pages, ending at the first page without a next token.
fn follow<'a, Page, Item, Fut>(
    operation: &'static str,
    fetch: impl Fn(Option<String>) -> Fut + Send + 'a,
    split: fn(Page) -> Result<PageItems<Item>, String>,
) -> BoxStream<'a, Result<Item, Error<ErrorResponse>>>
where
    Page: Send + 'a,
    Item: Send + 'a,
    Fut: Future<Output = Result<ResponseValue<Page>, Error<ErrorResponse>>> + Send + 'a,
{
    let seen = HashSet::new();
    stream::try_unfold(
        (Next::Page(None), seen, fetch),
        move |(next, mut seen, fetch)| async move {
            let token = match next {
                Next::Page(token) => token,
                Next::Repeated(token) => {
                    return Err(Error::Custom(format!(
                        "{operation}: the server sent the page token {token:?} a second time; \
                         following it would repeat pages forever"
                    )));
                }
                Next::Done => return Ok(None),
            };
            let (items, next_token) = split(fetch(token).await?.into_inner())
                .map_err(|message| Error::Custom(format!("{operation}: {message}")))?;
            let next = match next_token.filter(|token| !token.is_empty()) {
                None => Next::Done,
                Some(token) if seen.insert(token.clone()) => Next::Page(Some(token)),
                Some(token) => Next::Repeated(token),
            };
            Ok(Some((items, (next, seen, fetch))))
        },
    )
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}
