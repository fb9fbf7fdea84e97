"""Validates SOAP request envelopes against the XML schema embedded in a WSDL, with lxml.

usage: validate.py <wsdl> <envelope.xml>...

Each envelope must be a SOAP 1.1 or 1.2 Envelope holding an optional Header and a Body,
and every header block and body element must be valid against the schema. Prints
"valid <file>" for each good file and "invalid <file>: <errors>" for each bad one; exits
with 1 when any file is invalid.
"""

import sys

from lxml import etree

XSD = "http://www.w3.org/2001/XMLSchema"
ENVELOPES = ("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope")


def embedded_schema(wsdl_path: str) -> etree.XMLSchema:
    schemas = etree.parse(wsdl_path).getroot().findall("{http://schemas.xmlsoap.org/wsdl/}types/{%s}schema" % XSD)
    if len(schemas) != 1:
        raise SystemExit(f"{wsdl_path}: expected one embedded schema, found {len(schemas)}")
    # Serializing the element keeps the namespace declarations it inherits from the WSDL.
    return etree.XMLSchema(etree.fromstring(etree.tostring(schemas[0])))


def problems(schema: etree.XMLSchema, path: str) -> list[str]:
    root = etree.parse(path).getroot()
    namespace = etree.QName(root).namespace
    if etree.QName(root).localname != "Envelope" or namespace not in ENVELOPES:
        return [f"root is {root.tag}, not a SOAP Envelope"]
    children = [child for child in root if isinstance(child.tag, str)]
    names = [etree.QName(child).localname for child in children]
    if names not in (["Body"], ["Header", "Body"]) or any(etree.QName(c).namespace != namespace for c in children):
        return [f"Envelope holds {names}, not an optional Header and a Body"]
    body = children[-1]
    blocks = [block for child in children for block in child if isinstance(block.tag, str)]
    if len([block for block in body if isinstance(block.tag, str)]) != 1:
        return ["Body does not hold exactly one element"]
    found = []
    for block in blocks:
        standalone = etree.fromstring(etree.tostring(block))
        if not schema.validate(standalone):
            found.extend(f"{etree.QName(block).localname}: {error.message}" for error in schema.error_log)
    return found


def main() -> None:
    wsdl, *envelopes = sys.argv[1:]
    schema = embedded_schema(wsdl)
    failed = False
    for path in envelopes:
        found = problems(schema, path)
        if found:
            failed = True
            print(f"invalid {path}: {'; '.join(found)}")
        else:
            print(f"valid {path}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
