//! WSDL 1.1 specs to Rust: a SOAP client over `soap-runtime` with yaserde types.
//!
//! The WSDL is read into a small model of its own ([`model`]); its embedded schema goes
//! through xsd-parser, whose type model is rendered with yaserde derives by a render step
//! of this crate ([`types`]); the service's ports become a client with one async method
//! per operation and binding ([`client`]).

mod client;
mod imports;
mod model;
mod types;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use quote::quote;

use crate::problem::Problem;
use crate::{Output, Stats};

/// Generates the Rust source of the WSDL spec in `spec_file`; `spec_path` names it in the
/// header. Every problem found is returned.
pub fn generate(spec_path: &Path, spec_file: &Path, text: &str) -> Result<Output, Vec<Problem>> {
    let status = crate::status_table::wsdl::tables(text);
    match (generate_text(spec_path, text, Some(spec_file)), status) {
        (Ok((source, stats, notes)), Ok(status)) => Ok(Output {
            source,
            stats,
            notes,
            status,
        }),
        (Ok(_), Err(problems)) => Err(problems),
        (Err(mut problems), status) => {
            problems.extend(status.err().into_iter().flatten());
            Err(problems)
        }
    }
}

/// The fix of a problem the generator's own rules meet.
const SEE_README: &str =
    "see README's \"How code generation works\" for what WSDL the generator reads";

/// Generates from the WSDL `text` of the file `file` (whose folder holds the files it
/// imports).
fn generate_text(
    spec_path: &Path,
    text: &str,
    file: Option<&Path>,
) -> Result<(String, Stats, Vec<String>), Vec<Problem>> {
    let mut definitions = model::Definitions::read(text, file)?;
    let resolved = imports::resolve(&definitions.schemas)?;
    definitions.sources.extend(resolved.files.iter().cloned());
    let types = types::render(&resolved.schemas).map_err(|errors| {
        errors
            .into_iter()
            .map(|error| match error.name {
                Some(name) => Problem::new(definitions.locate(&name), error.message, error.fix),
                None => Problem::new("wsdl:types", error.message, error.fix),
            })
            .collect::<Vec<_>>()
    })?;
    let client = client::render(&definitions, &types.elements)?;
    let mut notes = definitions.notes.clone();
    notes.extend(resolved.notes);
    notes.extend(types.notes);
    notes.extend(client.notes);
    let (client_tokens, type_tokens) = (client.tokens, types.tokens);
    let tokens = quote! {
        #client_tokens

        /// The elements and types of the schema embedded in the WSDL.
        pub mod types {
            #type_tokens
        }
    };
    let whole = |e: anyhow::Error| vec![Problem::new("", format!("{e:#}"), SEE_README)];
    let file: syn::File = syn::parse2(tokens)
        .context("the generated code does not parse as Rust")
        .map_err(whole)?;
    refuse_duplicate_types(&file).map_err(whole)?;
    let source = crate::render::finish(spec_path, file).map_err(whole)?;
    let stats = Stats {
        operations: client.operations,
        hand_written: 0,
        types: types.count,
        lines: source.lines().count(),
        millis: 0,
    };
    Ok((source, stats, notes))
}

/// Picks the spec among the `.wsdl` files of a folder: the one file that has a
/// `wsdl:service` (the others are the files it imports).
pub fn main_file(folder: &Path, files: Vec<PathBuf>) -> Result<PathBuf> {
    let with_service: Vec<PathBuf> = files
        .iter()
        .filter(|path| {
            std::fs::read_to_string(path).is_ok_and(|text| {
                roxmltree::Document::parse(&text).is_ok_and(|document| {
                    document.root_element().children().any(|n| {
                        n.tag_name().namespace() == Some(model::WSDL)
                            && n.tag_name().name() == "service"
                    })
                })
            })
        })
        .cloned()
        .collect();
    match <[PathBuf; 1]>::try_from(with_service) {
        Ok([spec]) => Ok(spec),
        Err(found) => bail!(
            "{}: {} .wsdl files, {} of them with a wsdl:service; the spec is the one file with the service, the others are files it imports",
            folder.display(),
            files.len(),
            found.len()
        ),
    }
}

/// Two schema names that become one Rust name (a complexType `country` and an element
/// `country` with an anonymous type are both `Country`) would not compile: name them.
fn refuse_duplicate_types(file: &syn::File) -> Result<()> {
    let mut names: Vec<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "types" => module.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items)
        .filter_map(|item| match item {
            syn::Item::Struct(item) => Some(item.ident.to_string()),
            syn::Item::Enum(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect();
    names.sort();
    let mut duplicates: Vec<String> = names
        .windows(2)
        .filter(|pair| pair[0] == pair[1])
        .map(|pair| pair[0].clone())
        .collect();
    duplicates.dedup();
    if !duplicates.is_empty() {
        bail!(
            "schema types and elements that differ only in case or by being an element become the same Rust type: {}; rename one of each pair in the schema",
            duplicates.join(", ")
        );
    }
    Ok(())
}

/// Doc attributes for `lines`, written as `/// line` once formatted.
fn doc<S: AsRef<str>>(lines: &[S]) -> proc_macro2::TokenStream {
    let lines = lines.iter().map(|line| match line.as_ref() {
        "" => String::new(),
        line => format!(" {line}"),
    });
    quote!(#(#[doc = #lines])*)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-operation service; `schema` holds the elements `Ask` and `Answer`.
    fn spec(schema: &str, http_input_part: &str) -> String {
        format!(
            r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:http="http://schemas.xmlsoap.org/wsdl/http/" xmlns:mime="http://schemas.xmlsoap.org/wsdl/mime/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t">
  <wsdl:types><s:schema elementFormDefault="qualified" targetNamespace="urn:t">{schema}</s:schema></wsdl:types>
  <wsdl:message name="AskIn"><wsdl:part name="parameters" element="tns:Ask"/></wsdl:message>
  <wsdl:message name="AskOut"><wsdl:part name="parameters" element="tns:Answer"/></wsdl:message>
  <wsdl:message name="AskHttpIn">{http_input_part}</wsdl:message>
  <wsdl:message name="AskHttpOut"><wsdl:part name="Body" element="tns:Answer"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Ask"><wsdl:input message="tns:AskIn"/><wsdl:output message="tns:AskOut"/></wsdl:operation></wsdl:portType>
  <wsdl:portType name="PGet"><wsdl:operation name="Ask"><wsdl:input message="tns:AskHttpIn"/><wsdl:output message="tns:AskHttpOut"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Ask"><soap:operation soapAction="urn:t/Ask" style="document"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
  </wsdl:binding>
  <wsdl:binding name="BGet" type="tns:PGet"><http:binding verb="GET"/>
    <wsdl:operation name="Ask"><http:operation location="/Ask"/><wsdl:input><http:urlEncoded/></wsdl:input><wsdl:output><mime:mimeXml part="Body"/></wsdl:output></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="SSoap" binding="tns:B"><soap:address location="http://h/s"/></wsdl:port><wsdl:port name="SHttpGet" binding="tns:BGet"><http:address location="http://h/s"/></wsdl:port></wsdl:service>
</wsdl:definitions>"#
        )
    }

    const ELEMENTS: &str = r#"<s:element name="Ask"><s:complexType><s:sequence><s:element name="Q" type="s:string"/><s:element name="N" type="s:int" minOccurs="0" maxOccurs="unbounded"/></s:sequence></s:complexType></s:element>
        <s:element name="Answer"><s:complexType><s:sequence><s:element name="A" type="s:boolean"/></s:sequence></s:complexType></s:element>"#;

    fn generate_spec(text: &str) -> Result<(String, Stats, Vec<String>), Vec<Problem>> {
        generate_text(Path::new("specs/test/test.wsdl"), text, None)
    }

    #[test]
    fn a_small_service_generates_methods_per_binding() {
        let (source, stats, notes) = generate_spec(&spec(ELEMENTS, "")).expect("generates");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!((stats.operations, stats.types), (2, 2), "{source}");
        assert!(
            source.starts_with("// Generated by `cargo xtask codegen` from specs/test/test.wsdl.")
        );
        for expected in [
            "pub fn soap(&self) -> SSoap<'_>",
            "pub fn http_get(&self) -> SHttpGet<'_>",
            "pub async fn ask(&self, body: &types::Ask) -> Result<types::Answer, ::soap_runtime::SoapError>",
            "pub n: Vec<i32>,",
            "pub a: bool,",
            ".call_http(::soap_runtime::HttpVerb::Get, \"/Ask\", &[])",
        ] {
            assert!(source.contains(expected), "{expected} not in:\n{source}");
        }
    }

    #[test]
    fn a_choice_is_refused_with_the_type_name_and_line() {
        let schema = ELEMENTS.replace(
            r#"<s:element name="Answer"><s:complexType><s:sequence>"#,
            r#"<s:element name="Answer"><s:complexType><s:choice><s:element name="B" type="s:string"/></s:choice><s:sequence>"#,
        );
        let problems = generate_spec(&spec(&schema, "")).expect_err("choice");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].location, "xs:element Answer (line 3)");
        assert!(problems[0].message.contains("type Answer"), "{problems:#?}");
        assert!(!problems[0].fix.is_empty());
    }

    #[test]
    fn an_element_and_a_complex_type_of_one_name_are_told_apart() {
        let schema = format!(
            r#"{ELEMENTS}<s:complexType name="country"><s:sequence><s:element name="code" type="s:string"/></s:sequence></s:complexType>
        <s:element name="country"><s:complexType><s:sequence><s:element name="name" type="s:string"/></s:sequence></s:complexType></s:element>"#
        );
        let (source, _, _) = generate_spec(&spec(&schema, "")).expect("generates");
        assert!(source.contains("pub struct Country {"), "{source}");
        assert!(source.contains("pub struct CountryElement {"), "{source}");
        assert_eq!(
            source.matches(r#"rename = "country""#).count(),
            2,
            "{source}"
        );
    }

    #[test]
    fn string_elements_and_attributes_are_rendered() {
        let schema = r#"<s:element name="Ask" type="s:string"/><s:element name="Other" type="s:string"/>
        <s:element name="Answer"><s:complexType><s:sequence><s:element name="return" type="s:int"/></s:sequence><s:attribute name="id" type="s:int"/></s:complexType></s:element>"#;
        let (source, stats, notes) = generate_spec(&spec(schema, "")).expect("generates");
        assert!(notes.iter().all(|n| !n.contains("SSoap")), "{notes:?}");
        assert_eq!(stats.operations, 2, "{source}");
        for expected in [
            "pub struct Ask {",
            "pub struct Other {",
            "#[yaserde(text = true)]",
            "#[yaserde(attribute = true, rename = \"id\")]",
            "pub id: Option<i32>,",
            "pub return_value: i32,",
            "pub async fn ask(&self, body: &types::Ask) -> Result<types::Answer, ::soap_runtime::SoapError>",
        ] {
            assert!(source.contains(expected), "{expected} not in:\n{source}");
        }
    }

    #[test]
    fn a_response_header_is_noted_and_the_operation_generated() {
        let text = spec(ELEMENTS, "").replace(
            r#"<wsdl:output><soap:body use="literal"/></wsdl:output>"#,
            r#"<wsdl:output><soap:body use="literal"/><soap:header message="tns:AskOut" part="parameters" use="literal"/></wsdl:output>"#,
        );
        let (_, stats, notes) = generate_spec(&text).expect("generates");
        assert_eq!(stats.operations, 2);
        assert_eq!(
            notes,
            [
                "binding B, operation Ask (line 11): the response header parameters of tns:AskOut is not read"
            ]
        );
    }

    #[test]
    fn an_http_operation_answering_other_than_xml_is_skipped_with_the_media_types() {
        let text = spec(ELEMENTS, "").replace(
            "<mime:mimeXml part=\"Body\"/>",
            "<mime:content type=\"image/gif\"/>",
        );
        let (_, stats, notes) = generate_spec(&text).expect("generates");
        assert_eq!(stats.operations, 1);
        assert_eq!(
            notes[0],
            "skipped: binding BGet, operation Ask (line 14): the output is image/gif, not XML (mime:mimeXml); only XML answers are generated"
        );
    }

    #[test]
    fn the_spec_among_several_wsdl_files_is_the_one_with_the_service() {
        let folder = std::env::temp_dir().join(format!("xtask-main-file-{}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("temp folder");
        let main = folder.join("main.wsdl");
        let other = folder.join("other.wsdl");
        std::fs::write(&main, spec(ELEMENTS, "")).expect("write");
        std::fs::write(
            &other,
            r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:o"/>"#,
        )
        .expect("write");
        let picked = main_file(&folder, vec![other.clone(), main.clone()]);
        let neither = main_file(&folder, vec![other.clone()]);
        std::fs::remove_dir_all(&folder).expect("clean up");
        assert_eq!(picked.expect("picks"), main);
        let error = format!("{:#}", neither.expect_err("no service"));
        assert!(error.contains("0 of them with a wsdl:service"), "{error}");
    }

    #[test]
    fn any_type_elements_and_stray_schema_text_are_noted() {
        let schema = r#"<s:element name="Ask"/>x
        <s:element name="Answer"><s:complexType><s:simpleContent><s:extension base="s:string"><s:attribute name="lang" type="s:string"/></s:extension></s:simpleContent></s:complexType></s:element>"#;
        let (source, stats, notes) = generate_spec(&spec(schema, "")).expect("generates");
        assert_eq!(stats.operations, 2, "{source}");
        assert_eq!(
            notes[..2],
            [
                "line 2: the text \"x\" in xs:schema (line 2), where a schema holds no text, is ignored",
                "element Ask is of xs:anyType: its type Ask has no content, so a request sends it empty and an answer's content is not read",
            ]
        );
        for expected in [
            "pub struct Ask {}",
            "pub async fn ask(&self) -> Result<types::Answer, ::soap_runtime::SoapError>",
            "#[yaserde(text = true)]",
            "pub value: String,",
            "pub lang: Option<String>,",
        ] {
            assert!(source.contains(expected), "{expected} not in:\n{source}");
        }
    }

    #[test]
    fn types_of_an_imported_schema_of_another_namespace_are_rendered_in_it() {
        let folder = std::env::temp_dir().join(format!("xtask-other-ns-{}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("temp folder");
        std::fs::write(
            folder.join("common.xsd"),
            r#"<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:c="urn:c" targetNamespace="urn:c" elementFormDefault="qualified">
  <xs:complexType name="Result"><xs:sequence><xs:element name="Code" type="xs:int"/></xs:sequence></xs:complexType>
  <xs:complexType name="Bad"><xs:choice><xs:element name="A" type="xs:int"/></xs:choice></xs:complexType>
</xs:schema>"#,
        )
        .expect("write");
        let schema = r#"<s:import namespace="urn:c" schemaLocation="common.xsd"/>
        <s:element name="Ask"><s:complexType><s:sequence><s:element name="Q" type="s:string"/></s:sequence></s:complexType></s:element>
        <s:element name="Answer"><s:complexType><s:sequence><s:element name="R" type="c:Result"/></s:sequence></s:complexType></s:element>"#;
        let text = spec(schema, "").replace(
            "xmlns:tns=\"urn:t\"",
            "xmlns:tns=\"urn:t\" xmlns:c=\"urn:c\"",
        );
        let file = folder.join("test.wsdl");
        let generated = generate_text(Path::new("specs/test/test.wsdl"), &text, Some(&file));
        let common = std::fs::read_to_string(folder.join("common.xsd")).expect("read");
        let bad = common.lines().nth(3).expect("line 4").to_owned();
        std::fs::write(folder.join("common.xsd"), common.replace(&bad, "")).expect("write");
        let fixed = generate_text(Path::new("specs/test/test.wsdl"), &text, Some(&file));
        std::fs::remove_dir_all(&folder).expect("clean up");
        let (source, _, _) = fixed.expect("generates without the choice");
        assert!(source.contains("pub struct ResultType {"), "{source}");
        assert!(source.contains("\"urn:c\""), "{source}");
        assert!(source.contains("pub r: ResultType,"), "{source}");
        let problems = generated.expect_err("the choice is refused");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(
            problems[0].location,
            "common.xsd: xs:complexType Bad (line 4)"
        );
        assert!(problems[0].message.contains("xs:choice"), "{problems:#?}");
    }

    #[test]
    fn types_of_one_name_in_two_namespaces_and_prelude_names_are_told_apart() {
        let folder = std::env::temp_dir().join(format!("xtask-two-ns-{}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("temp folder");
        std::fs::write(
            folder.join("common.xsd"),
            r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:c" elementFormDefault="qualified">
  <xs:complexType name="Item"><xs:sequence><xs:element name="Code" type="xs:int"/></xs:sequence></xs:complexType>
  <xs:complexType name="Result"><xs:sequence><xs:element name="Code" type="xs:int"/></xs:sequence></xs:complexType>
</xs:schema>"#,
        )
        .expect("write");
        let schema = r#"<s:import namespace="urn:c" schemaLocation="common.xsd"/>
        <s:complexType name="Item"><s:sequence><s:element name="Text" type="s:string"/><s:element name="Inner" type="c:Item"/><s:element name="R" type="c:Result"/></s:sequence></s:complexType>
        <s:element name="Ask"><s:complexType><s:sequence><s:element name="Q" type="s:string"/></s:sequence></s:complexType></s:element>
        <s:element name="Answer"><s:complexType><s:sequence><s:element name="I" type="tns:Item"/></s:sequence></s:complexType></s:element>"#;
        let text = spec(schema, "").replace(
            "xmlns:tns=\"urn:t\"",
            "xmlns:tns=\"urn:t\" xmlns:c=\"urn:c\"",
        );
        let generated = generate_text(
            Path::new("specs/test/test.wsdl"),
            &text,
            Some(&folder.join("test.wsdl")),
        );
        std::fs::remove_dir_all(&folder).expect("clean up");
        let (source, _, _) = generated.expect("generates");
        for expected in [
            "pub struct Item {",
            "pub inner: CItem,",
            "pub struct CItem {",
            "pub r: ResultType,",
            "pub struct ResultType {",
        ] {
            assert!(source.contains(expected), "{expected} not in:\n{source}");
        }
    }

    #[test]
    fn soap_encoded_types_are_left_out_with_a_note_and_the_rest_generated() {
        let schema = format!(
            r#"<s:import namespace="http://schemas.xmlsoap.org/soap/encoding/"/>
        <s:complexType name="List"><s:complexContent><s:restriction base="enc:Array"><s:attribute ref="enc:arrayType"/></s:restriction></s:complexContent></s:complexType>
        <s:complexType name="Holder"><s:sequence><s:element name="L" type="tns:List"/></s:sequence></s:complexType>
        {ELEMENTS}"#
        );
        let text = spec(&schema, "").replace(
            "xmlns:tns=\"urn:t\"",
            "xmlns:tns=\"urn:t\" xmlns:enc=\"http://schemas.xmlsoap.org/soap/encoding/\"",
        );
        let (source, stats, notes) = generate_spec(&text).expect("generates");
        assert_eq!(stats.operations, 2, "{source}");
        assert_eq!(
            notes,
            [
                "xs:complexType List (line 3), xs:complexType Holder (line 4) use SOAP encoding (soapenc:Array and the like), which only rpc/encoded operations use; not generated"
            ]
        );
        assert!(!source.contains("struct Holder"), "{source}");
    }

    #[test]
    fn a_reference_to_a_global_element_is_qualified_in_an_unqualified_schema() {
        let schema = r#"<s:element name="Ask"><s:complexType><s:sequence><s:element name="Q" type="s:string"/><s:element ref="tns:Answer" minOccurs="0"/></s:sequence></s:complexType></s:element>
        <s:element name="Answer"><s:complexType><s:sequence><s:element name="A" type="s:boolean"/></s:sequence></s:complexType></s:element>"#;
        let text = spec(schema, "").replace(
            "elementFormDefault=\"qualified\"",
            "elementFormDefault=\"unqualified\"",
        );
        let (source, _, _) = generate_spec(&text).expect("generates");
        for expected in [
            "#[yaserde(rename = \"Q\")]",
            "#[yaserde(rename = \"Answer\", prefix = \"tns\")]",
            "pub answer: Option<Answer>,",
        ] {
            assert!(source.contains(expected), "{expected} not in:\n{source}");
        }
    }

    #[test]
    fn http_parameters_of_simple_types_are_arguments_and_others_skip_with_a_note() {
        let (source, stats, notes) = generate_spec(&spec(
            ELEMENTS,
            r#"<wsdl:part name="q" type="s:string"/><wsdl:part name="type" type="s:int"/>"#,
        ))
        .expect("generates");
        assert_eq!(stats.operations, 2, "{source}");
        assert!(notes.is_empty(), "{notes:?}");
        for expected in [
            "        q: &str,\n        type_value: i32,\n    ) -> Result<Option<types::Answer>, ::soap_runtime::SoapError> {",
            "let type_value = type_value.to_string();",
            r#"&[("q", q), ("type", type_value.as_str())],"#,
        ] {
            assert!(source.contains(expected), "{expected} not in:\n{source}");
        }
        let (source, stats, notes) = generate_spec(&spec(
            ELEMENTS,
            r#"<wsdl:part name="q" element="tns:Ask"/>"#,
        ))
        .expect("generates the SOAP operation");
        assert_eq!(stats.operations, 1, "{source}");
        assert_eq!(
            notes,
            [
                "skipped: binding BGet, operation Ask (line 14): part q of its input is neither of a built-in simple type nor an element of such values (it names the element {urn:t}Ask); HTTP parameters are generated only from those",
                "port SHttpGet has no handle: none of its operations is generated",
            ]
        );
    }

    #[test]
    fn an_http_form_element_of_simple_children_is_the_parameters() {
        let text = spec(ELEMENTS, r#"<wsdl:part name="body" element="tns:Answer"/>"#)
            .replace(r#"location="/Ask""#, r#"location="Ask""#);
        let (source, stats, notes) = generate_spec(&text).expect("generates");
        assert_eq!(stats.operations, 2, "{source}");
        assert!(notes.is_empty(), "{notes:?}");
        for expected in [
            "pub async fn ask(&self, a: bool)",
            "/// `a` is the parameter `A` (a child of `body`).",
            r#".call_http(::soap_runtime::HttpVerb::Get, "/Ask", &[("A", a.as_str())])"#,
        ] {
            assert!(source.contains(expected), "{expected} not in:\n{source}");
        }
    }

    #[test]
    fn a_port_without_its_binding_and_a_spec_without_a_service_are_problems() {
        let text = spec(ELEMENTS, "").replace(
            r#"binding="tns:B"><soap:address"#,
            r#"binding="tns:Missing"><soap:address"#,
        );
        let problems = generate_spec(&text).expect_err("binding");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].location, "wsdl:port SSoap (line 16)");
        assert_eq!(problems[0].message, "binding {urn:t}Missing is not defined");
        let start = text.find("<wsdl:service").expect("service");
        let end = text.find("</wsdl:service>").expect("service end") + "</wsdl:service>".len();
        let mut without = text.clone();
        without.replace_range(start..end, "");
        let problems = generate_spec(&without).expect_err("no service");
        assert_eq!(
            problems[0].message,
            "0 wsdl:service elements; a client is generated for exactly one"
        );
        assert!(problems[0].fix.contains("keep one wsdl:service"));
    }

    #[test]
    fn one_way_operations_return_unit() {
        let text = spec(ELEMENTS, "")
            .replace(r#"<wsdl:output message="tns:AskOut"/>"#, "")
            .replace(
                r#"<wsdl:output><soap:body use="literal"/></wsdl:output>"#,
                "",
            );
        let (source, _, notes) = generate_spec(&text).expect("generates");
        assert!(
            source.contains("pub async fn ask(&self, body: &types::Ask) -> Result<(), ::soap_runtime::SoapError>"),
            "{source}"
        );
        assert!(source.contains("::soap_runtime::one_way("), "{source}");
        assert!(notes.iter().all(|n| !n.contains("SSoap")), "{notes:?}");
    }
}
