"""Schemathesis hooks for tests/tests/interop_schemathesis.rs, loaded through
`SCHEMATHESIS_HOOKS`.

Body credentials. Some vendors authenticate inside the JSON body rather than in a header
(ELMA RPA's `auth_tkn`); their specs list such properties in the body schema's
`x-credential`, as `cargo xtask codegen` reads it. Schemathesis generates bodies from the
schema, so it would send a random token that no server has registered, and every request
would be refused before the server looked at anything else. This hook treats such a
property as the credential it is, the way the generated clients do: before each call, a
credential property that holds a value its schema accepts (a stand-in for "some registered
system") is given the value from `JOBSTATUS_BODY_CREDENTIALS`, a JSON object of property
name to value. A value its schema refuses, or a missing property, is sent as generated, so
the server must still refuse malformed and absent credentials. Schemathesis re-validates a
case a `before_call` hook changed, so a case stays negative only while it really is.
"""

import json
import os

import jsonschema_rs
import schemathesis

CREDENTIALS = json.loads(os.environ.get("JOBSTATUS_BODY_CREDENTIALS") or "{}")


def _resolve(schema, root):
    """Follows local `$ref`s (`#/...`) of `schema`, looked up in `root`."""
    for _ in range(64):
        if not isinstance(schema, dict) or not isinstance(schema.get("$ref"), str):
            return schema
        reference = schema["$ref"]
        if not reference.startswith("#/"):
            return schema
        target = root
        for part in reference[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        schema = target
    raise ValueError(f"$ref chain too long at {schema!r}")


def _body_schema(case):
    """The request body schema of `case` with its `$ref`s resolved, and the document they
    are resolved in."""
    if case.media_type is None:
        return None, None
    body = case.operation.get_body_for_media_type(case.media_type)
    if body is None or not isinstance(body.raw_schema, dict):
        return None, None
    root = body.raw_schema
    return _resolve(root, root), root


@schemathesis.hook
def before_call(context, case, kwargs):
    if not CREDENTIALS or not isinstance(case.body, dict):
        return
    schema, root = _body_schema(case)
    if not isinstance(schema, dict):
        return
    properties = schema.get("properties") or {}
    for name in schema.get("x-credential") or []:
        if name not in case.body:
            continue
        if name not in CREDENTIALS:
            raise KeyError(f"the spec marks `{name}` as a credential; JOBSTATUS_BODY_CREDENTIALS has no value for it")
        property_schema = _resolve(properties.get(name, {}), root)
        # Draft 2020-12 rather than OpenAPI 3.0's draft 4, whose validators leave `format:
        # uuid` unchecked; a credential's schema is a plain string schema either way.
        validator = jsonschema_rs.Draft202012Validator(property_schema, validate_formats=True)
        if validator.is_valid(case.body[name]):
            case.body[name] = CREDENTIALS[name]
