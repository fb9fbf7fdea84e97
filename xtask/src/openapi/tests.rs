//! The OpenAPI generator's rules and refusals, one small spec each.

use std::path::Path;

use super::*;

fn generate_yaml(yaml: &str) -> Result<Output, Vec<Problem>> {
    let folder = std::env::temp_dir();
    generate(
        Path::new("specs/test/openapi.yaml"),
        &folder.join("jobstatus-xtask-test-openapi.yaml"),
        yaml,
    )
}

fn problems(yaml: &str) -> Vec<Problem> {
    match generate_yaml(yaml) {
        Ok(output) => panic!("generated:\n{}", output.source),
        Err(problems) => problems,
    }
}

fn source(yaml: &str) -> String {
    match generate_yaml(yaml) {
        Ok(output) => output.source,
        Err(problems) => panic!("refused: {problems:#?}"),
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn inline_enums_become_open_enums_named_from_parent_and_property() {
    let source = source(&format!(
        r##"{HEAD}paths:
  /x:
    get:
      operationId: get_x
      parameters:
        - {{name: kind, in: query, schema: {{type: string, enum: [a, b]}}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/tesTask"}}
components:
  schemas:
    tesTask:
      type: object
      properties:
        state: {{type: string, enum: [QUEUED, RUNNING]}}
        tags: {{type: array, items: {{type: string, enum: [x, y]}}}}
"##
    ));
    for expected in [
        "pub enum GetXKind {",
        "pub enum TesTaskState {",
        "pub enum TesTaskTagsItem {",
        "pub state: ::std::option::Option<jobstatus_runtime::Sent<crate::types::TesTaskState>>",
        "Unlisted(String)",
    ] {
        assert!(source.contains(expected), "{expected} not in:\n{source}");
    }
}

#[test]
fn a_lower_case_schema_name_gets_the_open_enum_typify_names() {
    let source = source(&format!(
        r##"{HEAD}paths:
  /x:
    get:
      operationId: get_x
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/tesState"}}
components:
  schemas:
    tesState: {{type: string, enum: [QUEUED, RUNNING]}}
"##
    ));
    assert!(source.contains("pub enum TesState {"), "{source}");
    assert!(source.contains("Unlisted(String)"), "{source}");
    assert_eq!(source.matches("pub enum TesState").count(), 1, "{source}");
}

#[test]
fn every_problem_is_reported_with_its_pointer_and_fix() {
    let problems = problems(&format!(
        r##"{HEAD}paths:
  /b/:
    get:
      responses: {{"200": {{description: ok}}}}
  /b:
    get:
      operationId: get_b
      parameters:
        - {{name: session, in: cookie, schema: {{type: string}}}}
      responses: {{"200": {{description: ok}}}}
    post:
      operationId: getB
      requestBody:
        content: {{application/xml: {{schema: {{type: string}}}}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "https://example.com/schemas.yaml#/Thing"}}
  /c:
    get:
      operationId: get_c
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Missing"}}
            application/x-other:
              schema: {{$ref: "other.yaml#/Thing"}}
components:
  schemas:
    Level: {{type: string, enum: [low, 2]}}
"##
    ));
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.location.as_str(), p.message.as_str()))
        .collect();
    let expect = [
        (
            "/paths/~1b~1/get",
            "GET /b/ has no operationId, and the name",
        ),
        ("/paths/~1b/get/parameters/0", "a cookie parameter"),
        (
            "/paths/~1b/post/operationId",
            "names the same client method `get_b`",
        ),
        (
            "/paths/~1b/post/requestBody/content",
            "the request body is only application/xml",
        ),
        (
            "/paths/~1b/post/responses/200/content/application~1json/schema/$ref",
            "remote $ref https://example.com/schemas.yaml#/Thing is not fetched",
        ),
        (
            "/paths/~1c/get/responses/200/content/application~1json/schema/$ref",
            "points at nothing in the spec",
        ),
        (
            "/paths/~1c/get/responses/200/content/application~1x-other/schema/$ref",
            "cannot read",
        ),
        (
            "/components/schemas/Level/enum",
            "lists the value 2, which is not a string",
        ),
    ];
    for (location, message) in expect {
        assert!(
            found
                .iter()
                .any(|(l, m)| *l == location && m.contains(message)),
            "no {location}: {message} in {found:#?}"
        );
    }
    assert!(problems.iter().all(|p| !p.fix.is_empty()), "{problems:#?}");
}

#[test]
fn openapi_3_1_and_swagger_2_are_refused_with_what_to_do() {
    let found = problems("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(found[0].location, "/openapi");
    assert!(found[0].fix.contains("3.0.3"), "{found:#?}");
    let found = problems("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(found[0].location, "/swagger");
    assert!(found[0].fix.contains("OpenAPI 3.0"), "{found:#?}");
}

#[test]
fn a_default_response_next_to_a_success_is_the_error_type() {
    let source = source(&format!(
        r##"{HEAD}paths:
  /x:
    get:
      operationId: get_x
      responses:
        "200":
          description: ok
          content: {{application/json: {{schema: {{type: object, properties: {{id: {{type: string}}}}}}}}}}
        default:
          description: error
          content: {{application/json: {{schema: {{type: object, properties: {{message: {{type: string}}}}}}}}}}
"##
    ));
    assert!(
        source.contains("Result<ResponseValue<types::GetXResponse>, Error<types::GetXFailure>>"),
        "{source}"
    );
    assert!(
        source.contains("pub message: ::std::option::Option"),
        "{source}"
    );
}

#[test]
fn several_success_bodies_become_one_of_and_bodiless_answers_raw() {
    let source = source(&format!(
        r##"{HEAD}paths:
  /x:
    get:
      operationId: get_x
      responses:
        "200":
          description: a
          content: {{application/json: {{schema: {{type: string}}}}}}
        "201":
          description: b
          content: {{application/json: {{schema: {{type: integer}}}}}}
  /y:
    delete:
      operationId: delete_y
      responses:
        "200":
          description: a
          content: {{application/json: {{schema: {{type: string}}}}}}
        "204": {{description: gone}}
  /z:
    get:
      operationId: get_z
      responses:
        "200":
          description: any JSON
          content: {{application/json: {{}}}}
"##
    ));
    assert!(source.contains("pub enum GetXSuccess"), "{source}");
    assert!(
        source.contains("ResponseValue<ByteStream>"),
        "delete_y answers bytes:\n{source}"
    );
    assert!(
        source.contains("ResponseValue<::serde_json::Value>"),
        "get_z answers any JSON:\n{source}"
    );
}

#[test]
fn no_request_carries_a_header_the_spec_does_not_declare() {
    let source = source(&format!(
        r##"{HEAD}paths:
  /x:
    get:
      operationId: get_x
      parameters:
        - {{name: X-Trace, in: header, schema: {{type: string}}}}
      responses: {{"204": {{description: ok}}}}
  /y:
    get:
      operationId: get_y
      responses: {{"204": {{description: ok}}}}
"##
    ));
    assert!(!source.contains("api-version"), "{source}");
    assert!(source.contains("\"X-Trace\""), "{source}");
}

#[test]
fn descriptions_never_become_doctests() {
    let source = source(&format!(
        r##"{HEAD}paths:
  /x:
    get:
      operationId: get_x
      description: |
        Call it like this:

        ```
        curl -X GET /x
        ```

            indented code
      responses: {{"204": {{description: ok}}}}
"##
    ));
    assert!(source.contains("/// ```text"), "{source}");
    assert!(!source.contains("///     indented"), "{source}");
    // progenitor's usage snippet of each method is not a switched-off doctest either.
    assert!(!source.contains("```ignore"), "{source}");
}

#[test]
fn an_operation_without_an_operation_id_is_named_from_its_method_and_path() {
    let output = generate_yaml(&format!(
        r##"{HEAD}paths:
  /pets/{{petId}}:
    get:
      parameters:
        - {{name: petId, in: path, required: true, schema: {{type: string}}}}
      responses: {{"200": {{description: ok}}}}
  /:
    post:
      responses: {{"204": {{description: ok}}}}
"##
    ))
    .unwrap_or_else(|problems| panic!("refused: {problems:#?}"));
    assert!(
        output.source.contains("pub fn get_pets_pet_id(&self)"),
        "{}",
        output.source
    );
    assert!(
        output.source.contains("pub fn post_root(&self)"),
        "{}",
        output.source
    );
    assert!(
        output.notes.contains(
            &"GET /pets/{petId} has no operationId: its client method is `get_pets_pet_id`"
                .to_owned()
        ),
        "{:?}",
        output.notes
    );
}
