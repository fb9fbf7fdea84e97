//! WSDL 1.1 specs to Rust: a SOAP client over `soap-runtime` with yaserde types.
//!
//! The WSDL is read into a small model of its own ([`model`]); its embedded schema goes
//! through xsd-parser, whose type model is rendered with yaserde derives by a render step
//! of this crate ([`types`]); the service's ports become a client with one async method
//! per operation and binding ([`client`]).

mod client;
mod model;
mod types;

use std::path::Path;

use anyhow::{Context, Result, bail};
use quote::quote;

use crate::problem::Problem;
use crate::{Output, Stats};

/// Generates the Rust source of the WSDL spec in `spec_file`; `spec_path` names it in the
/// header.
pub fn generate(spec_path: &Path, _spec_file: &Path, text: &str) -> Result<Output, Vec<Problem>> {
    generate_text(spec_path, text)
        .map(|(source, stats)| Output {
            source,
            stats,
            notes: Vec::new(),
        })
        .map_err(|e| vec![Problem::new("", format!("{e:#}"), "see README's \"How code generation works\" for what WSDL the generator reads")])
}

fn generate_text(spec_path: &Path, text: &str) -> Result<(String, Stats)> {
    let definitions = model::Definitions::parse(text)?;
    if definitions.schemas.is_empty() {
        bail!("the WSDL embeds no xs:schema in wsdl:types");
    }
    let types = types::render(&definitions.schemas, &definitions.target_namespace)?;
    let client = client::render(&definitions, &types.elements)?;
    let (client_tokens, type_tokens) = (client.tokens, types.tokens);
    let tokens = quote! {
        #client_tokens

        /// The elements and types of the schema embedded in the WSDL.
        pub mod types {
            #type_tokens
        }
    };
    let file: syn::File =
        syn::parse2(tokens).context("the generated code does not parse as Rust")?;
    let source = crate::render::finish(spec_path, file)?;
    let stats = Stats {
        operations: client.operations,
        hand_written: 0,
        types: types.count,
        lines: source.lines().count(),
        millis: 0,
    };
    Ok((source, stats))
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

    fn generate_spec(text: &str) -> Result<(String, Stats)> {
        generate_text(Path::new("specs/test/test.wsdl"), text)
    }

    #[test]
    fn a_small_service_generates_methods_per_binding() {
        let (source, stats) = generate_spec(&spec(ELEMENTS, "")).expect("generates");
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
    fn a_choice_is_refused_with_the_type_name() {
        let schema = ELEMENTS.replace(
            r#"<s:element name="Answer"><s:complexType><s:sequence>"#,
            r#"<s:element name="Answer"><s:complexType><s:choice><s:element name="B" type="s:string"/></s:choice><s:sequence>"#,
        );
        let error = generate_spec(&spec(&schema, "")).expect_err("choice");
        assert!(format!("{error:#}").contains("type Answer"), "{error:#}");
    }

    #[test]
    fn http_parameters_are_refused() {
        let error = generate_spec(&spec(ELEMENTS, r#"<wsdl:part name="q" type="s:string"/>"#))
            .expect_err("parameters");
        assert!(
            format!("{error:#}").contains("part q has a type"),
            "{error:#}"
        );
    }
}
