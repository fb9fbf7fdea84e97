//! The client of a WSDL service: one `Client` that holds the transport and the default
//! values of the SOAP headers, and one handle per port with one async method per
//! operation of its binding.
//!
//! - SOAP 1.1 and 1.2 ports: the method takes the body element as an argument (none when
//!   the element is empty), sends the binding's header parts from the handle (the client's
//!   defaults unless overridden on the handle), posts the envelope with the binding's
//!   SOAPAction, and decodes the output element. What never changes is serialized once: the
//!   client's header values (`soap_runtime::Header`) and empty body elements.
//! - One-way SOAP operations (no `wsdl:output`) return `()` once the service accepts the
//!   request (an empty 2xx answer, or an envelope with an empty body).
//! - HTTP GET and POST ports: the method calls the operation's location with the input
//!   parts as query (GET) or form (POST) parameters, and decodes the bare result element.
//!   As ASMX writes them, every part has a built-in simple type; as WSDL 1.1's example
//!   writes them, a part's element has children of such types: each is an argument, an
//!   `&str` for a string-like one, its Rust type for a number or boolean. An operation with
//!   another part is skipped.
//!
//! A binding or operation that cannot be generated (see [`super::model`]) is skipped with a
//! note that names it and says why; the rest of the service is generated.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::model::{Binding, BindingOperation, Definitions, Protocol, QName, XSD};
use super::types::Element;
use crate::problem::Problem;

/// The rendered client, its number of operation methods, and one note per skipped binding
/// or operation.
pub struct Client {
    pub tokens: TokenStream,
    pub operations: usize,
    pub notes: Vec<String>,
}

/// A SOAP header part sent by some operation, and where its default lives.
struct Header {
    element: QName,
    rust: Ident,
    field: Ident,
    setter: Ident,
}

/// Renders the client of the one service of `definitions`; a port whose binding or port
/// type is not defined, or a spec without exactly one service, is a problem.
pub fn render(
    definitions: &Definitions,
    elements: &BTreeMap<QName, Element>,
) -> Result<Client, Vec<Problem>> {
    let [service] = definitions.services.as_slice() else {
        let places: Vec<&str> = definitions
            .services
            .iter()
            .map(|s| s.place.as_str())
            .collect();
        return Err(vec![Problem::new(
            places.first().copied().unwrap_or_default(),
            format!(
                "{} wsdl:service elements{}; a client is generated for exactly one",
                places.len(),
                if places.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", places.join(", "))
                }
            ),
            "keep one wsdl:service in the spec; give another service a spec folder of its own",
        )]);
    };
    let mut problems = Vec::new();
    let element = |name: &QName| {
        elements
            .get(name)
            .with_context(|| format!("element {name} is not a global element of the schema"))
    };

    let mut notes = Vec::new();
    // Every header part of every SOAP binding of the service, in order of appearance. A
    // header that cannot be read skips its operation below.
    let mut headers: Vec<Header> = Vec::new();
    let mut ports = Vec::new();
    for port in &service.ports {
        let binding = match definitions.binding(&port.binding) {
            Ok(binding) => binding,
            Err(error) => {
                problems.push(Problem::new(
                    port.place.clone(),
                    format!("{error:#}"),
                    "define the binding, or name a defined one in the port's binding",
                ));
                continue;
            }
        };
        if let Some(reason) = &binding.skipped {
            notes.push(format!("port {} skipped: {reason}", port.name));
            continue;
        }
        if let Err(error) = definitions.port_type(&binding.port_type) {
            problems.push(Problem::new(
                binding.place.clone(),
                format!("{error:#}"),
                "define the portType, or name a defined one in the binding's type",
            ));
            continue;
        }
        for operation in binding.operations.iter().filter(|op| op.skipped.is_none()) {
            for header in &operation.headers {
                let Some(name) = definitions
                    .part(&header.message, &header.part)
                    .ok()
                    .and_then(|part| part.element.clone())
                else {
                    continue;
                };
                let Ok(rust) = element(&name).map(|e| e.rust.clone()) else {
                    continue;
                };
                if headers.iter().all(|h| h.element != name) {
                    let snake = name.local.to_snake_case();
                    headers.push(Header {
                        rust,
                        field: format_ident!("{snake}"),
                        setter: format_ident!("with_{snake}"),
                        element: name,
                    });
                }
            }
        }
        ports.push((port, binding));
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut operations = 0;
    let mut handles = Vec::new();
    let mut accessors = Vec::new();
    for (port, binding) in &ports {
        let struct_name = format_ident!("{}", port.name.to_upper_camel_case());
        let accessor = port
            .name
            .strip_prefix(&service.name)
            .filter(|rest| !rest.is_empty())
            .unwrap_or(&port.name)
            .to_snake_case();
        let accessor = format_ident!("{accessor}");
        let port_type = definitions.port_type(&binding.port_type).map_err(|error| {
            vec![Problem::new(
                binding.place.clone(),
                format!("{error:#}"),
                "define the portType",
            )]
        })?;
        let used: Vec<&Header> = headers
            .iter()
            .filter(|h| {
                binding.operations.iter().any(|op| {
                    op.headers.iter().any(|r| {
                        definitions
                            .part(&r.message, &r.part)
                            .is_ok_and(|p| p.element.as_ref() == Some(&h.element))
                    })
                })
            })
            .collect();
        let protocol = describe(binding.protocol);
        let mut methods = Vec::new();
        for operation in &binding.operations {
            if let Some(reason) = &operation.skipped {
                notes.push(format!("skipped: {reason}"));
                continue;
            }
            let Some(abstract_operation) = port_type.operations.get(&operation.name) else {
                notes.push(format!(
                    "skipped: {}: not in its portType {}",
                    operation.place, binding.port_type
                ));
                continue;
            };
            let mut docs = vec![format!("`{}` over {protocol}.", operation.name)];
            if let Some(documentation) = &abstract_operation.documentation {
                docs.push(String::new());
                docs.extend(documentation.lines().map(str::to_owned));
            }
            let messages = (
                &abstract_operation.input,
                abstract_operation.output.as_ref(),
            );
            let method = match binding.protocol {
                Protocol::Soap11 | Protocol::Soap12 => soap_method(
                    definitions,
                    binding,
                    operation,
                    messages,
                    &headers,
                    &element,
                    docs,
                ),
                Protocol::HttpGet | Protocol::HttpPost => {
                    http_method(definitions, binding, operation, messages, &element, docs)
                }
            };
            match method {
                Ok(method) => {
                    methods.push(method);
                    operations += 1;
                    notes.extend(operation.notes.iter().cloned());
                }
                Err(error) => notes.push(format!("skipped: {}: {error:#}", operation.place)),
            }
        }

        if methods.is_empty() {
            notes.push(format!(
                "port {} has no handle: none of its operations is generated",
                port.name
            ));
            continue;
        }
        let fields = used.iter().map(|h| {
            let (field, rust) = (&h.field, &h.rust);
            quote!(#field: Option<::soap_runtime::HeaderRef<'a, types::#rust>>,)
        });
        let inits = used.iter().map(|h| {
            let field = &h.field;
            quote!(#field: self.#field.as_ref().map(::soap_runtime::HeaderRef::from),)
        });
        let setters = used.iter().map(|h| {
            let (field, rust, setter) = (&h.field, &h.rust, &h.setter);
            let doc = format!(
                "Sends `value` as the `{}` header of the calls made through this handle, \
                 instead of the client's default: a value, serialized for each call, or a \
                 [`Header`](::soap_runtime::Header), whose XML is written once.",
                h.element.local
            );
            let doc = super::doc(&[doc]);
            quote! {
                #doc
                #[must_use]
                pub fn #setter(
                    mut self,
                    value: impl Into<::soap_runtime::HeaderRef<'a, types::#rust>>,
                ) -> Self {
                    self.#field = Some(value.into());
                    self
                }
            }
        });
        let mut port_doc = format!(
            "The operations of port `{}` (binding `{}`), over {protocol}.",
            port.name, binding.name
        );
        if let Some(address) = &port.address {
            port_doc.push_str(&format!(" The spec's address of the port is `{address}`."));
        }
        let accessor_doc = format!("The operations of port `{}`, over {protocol}.", port.name);
        let header_note = (!used.is_empty()).then(|| {
            let names: Vec<String> = used
                .iter()
                .map(|h| format!("`{}`", h.element.local))
                .collect();
            let note = format!(
                "Header values come from the client ({}) unless set on the handle.",
                names.join(", ")
            );
            super::doc(&[String::new(), note])
        });
        let (port_doc, accessor_doc) = (super::doc(&[port_doc]), super::doc(&[accessor_doc]));
        handles.push(quote! {
            #port_doc
            #header_note
            #[derive(Clone, Copy, Debug)]
            pub struct #struct_name<'a> {
                client: &'a Client,
                #(#fields)*
            }

            impl<'a> #struct_name<'a> {
                #(#setters)*
                #(#methods)*
            }
        });
        accessors.push(quote! {
            #accessor_doc
            pub fn #accessor(&self) -> #struct_name<'_> {
                #struct_name {
                    client: self,
                    #(#inits)*
                }
            }
        });
    }

    let header_fields = headers.iter().map(|h| {
        let (field, rust) = (&h.field, &h.rust);
        quote!(#field: Option<::soap_runtime::Header<types::#rust>>,)
    });
    let header_nones = headers.iter().map(|h| {
        let field = &h.field;
        quote!(#field: None,)
    });
    let header_methods = headers.iter().map(|h| {
        let (field, rust, setter) = (&h.field, &h.rust, &h.setter);
        let set_doc = format!(
            "Sets the `{}` header that every operation taking it sends, unless a port \
             handle is given another value. It is serialized once, on the first call that \
             sends it.",
            h.element.local
        );
        let get_doc = format!(
            "The `{}` header the client sends by default.",
            h.element.local
        );
        let (set_doc, get_doc) = (super::doc(&[set_doc]), super::doc(&[get_doc]));
        quote! {
            #set_doc
            #[must_use]
            pub fn #setter(mut self, value: types::#rust) -> Self {
                self.#field = Some(::soap_runtime::Header::new(value));
                self
            }

            #get_doc
            pub fn #field(&self) -> Option<&types::#rust> {
                self.#field.as_ref().map(::soap_runtime::Header::value)
            }
        }
    });
    let missing_header = (!headers.is_empty()).then(|| {
        quote! {
            /// The error for a call whose binding sends a header that was not given.
            fn missing_header(operation: &str, header: &str, setter: &str) -> ::soap_runtime::SoapError {
                ::soap_runtime::SoapError::InvalidRequest {
                    reason: format!(
                        "{operation} sends the {header} header, which is not set: use Client::{setter} or the port handle's {setter}"
                    ),
                }
            }
        }
    });
    let namespace = &definitions.target_namespace;
    let mut client_docs = vec![format!("Client of the `{}` service.", service.name)];
    for documentation in [&definitions.documentation, &service.documentation]
        .into_iter()
        .flatten()
    {
        client_docs.push(String::new());
        client_docs.extend(documentation.lines().map(str::to_owned));
    }
    client_docs.push(String::new());
    client_docs.push(
        "Every port is reached at the client's endpoint; pick one with the methods below."
            .to_owned(),
    );
    let client_docs = super::doc(&client_docs);
    let tokens = quote! {
        /// The target namespace of the service.
        pub const NAMESPACE: &str = #namespace;

        #client_docs
        #[derive(Clone, Debug)]
        pub struct Client {
            transport: ::soap_runtime::Transport,
            #(#header_fields)*
        }

        impl Client {
            /// Starts building a client that sends every call to `endpoint`, such as
            /// `https://host/SequenceServices/service.asmx`.
            pub fn builder(endpoint: impl Into<String>) -> ClientBuilder {
                ClientBuilder {
                    endpoint: endpoint.into(),
                    http: ::soap_runtime::Transport::default_options(),
                }
            }

            /// The transport calls go through.
            pub fn transport(&self) -> &::soap_runtime::Transport {
                &self.transport
            }

            #(#header_methods)*

            #(#accessors)*
        }

        /// Builds a [`Client`] with the HTTP settings shared by every client of the
        /// workspace: timeouts, user agent, redirect policy, response cap, and `reqwest`
        /// settings (see [`HttpOptions`](::soap_runtime::HttpOptions)).
        #[derive(Debug)]
        #[must_use]
        pub struct ClientBuilder {
            endpoint: String,
            http: ::soap_runtime::HttpOptions,
        }

        impl ClientBuilder {
            ::soap_runtime::http_option_setters!();

            /// Builds the client.
            ///
            /// # Errors
            ///
            /// [`BuildError::InvalidBaseUrl`](::soap_runtime::BuildError::InvalidBaseUrl)
            /// when the endpoint is not an absolute `http` or `https` URL, and
            /// [`BuildError::Http`](::soap_runtime::BuildError::Http) when `reqwest` cannot
            /// build its client.
            pub fn build(self) -> Result<Client, ::soap_runtime::BuildError> {
                let transport = ::soap_runtime::Transport::new(
                    &self.endpoint,
                    self.http,
                    ::soap_runtime::Credentials::new(),
                )?;
                Ok(Client {
                    transport,
                    #(#header_nones)*
                })
            }
        }

        #missing_header

        #(#handles)*
    };
    Ok(Client {
        tokens,
        operations,
        notes,
    })
}

fn describe(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Soap11 => "SOAP 1.1",
        Protocol::Soap12 => "SOAP 1.2",
        Protocol::HttpGet => "HTTP GET",
        Protocol::HttpPost => "HTTP POST",
    }
}

/// The body part of a document/literal message: its only part that is not a header.
fn body_element(definitions: &Definitions, message: &QName, headers: &[QName]) -> Result<QName> {
    let parts: Vec<_> = definitions
        .message(message)?
        .parts
        .iter()
        .filter(|part| {
            part.element
                .as_ref()
                .is_none_or(|element| !headers.contains(element))
        })
        .collect();
    let [part] = parts.as_slice() else {
        bail!(
            "message {message} has {} body parts; document/literal needs exactly one",
            parts.len()
        );
    };
    part.element.clone().with_context(|| match &part.type_name {
        Some(type_name) => format!(
            "message {message}: part {} has type {type_name} (rpc style); document/literal parts name an element",
            part.name
        ),
        None => format!("message {message}: part {} names no element", part.name),
    })
}

fn soap_method<'e>(
    definitions: &Definitions,
    binding: &Binding,
    operation: &BindingOperation,
    (input, output): (&QName, Option<&QName>),
    headers: &[Header],
    element: &impl Fn(&QName) -> Result<&'e Element>,
    mut docs: Vec<String>,
) -> Result<TokenStream> {
    let version = match binding.protocol {
        Protocol::Soap12 => quote!(::soap_runtime::SoapVersion::V12),
        _ => quote!(::soap_runtime::SoapVersion::V11),
    };
    let header_elements: Vec<QName> = operation
        .headers
        .iter()
        .map(|r| {
            definitions.part(&r.message, &r.part).and_then(|p| {
                p.element
                    .clone()
                    .with_context(|| format!("header part {} names no element", r.part))
            })
        })
        .collect::<Result<_>>()?;
    let request = element(&body_element(definitions, input, &header_elements)?)?;
    let response = output
        .map(|output| {
            let name = body_element(definitions, output, &[])?;
            element(&name).map(|element| (element, name.namespace))
        })
        .transpose()?;
    let method = format_ident!("{}", operation.name.to_snake_case());
    let action = &operation.action;
    let request_rust = &request.rust;
    // An empty body element never changes: it is serialized once per process.
    let (argument, constant, body) = if request.empty {
        (
            None,
            Some(quote! {
                static BODY: ::std::sync::OnceLock<::soap_runtime::Fragment> =
                    ::std::sync::OnceLock::new();
            }),
            quote!(::soap_runtime::Fragment::once(&BODY, &types::#request_rust {})?),
        )
    } else {
        (
            Some(quote!(body: &types::#request_rust,)),
            None,
            quote!(::soap_runtime::Fragment::from_yaserde(body)?),
        )
    };
    let operation_name = &operation.name;
    let with_headers = header_elements
        .iter()
        .map(|name| {
            let header = headers
                .iter()
                .find(|h| &h.element == name)
                .context("header element not collected")?;
            let (field, local) = (&header.field, &header.element.local);
            let setter = header.setter.to_string();
            Ok(quote! {
                .with_header(
                    self.#field
                        .ok_or_else(|| missing_header(#operation_name, #local, #setter))?
                        .fragment()?,
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    docs.push(String::new());
    docs.push(format!("SOAPAction `{action}`."));
    if !header_elements.is_empty() {
        let names: Vec<String> = header_elements
            .iter()
            .map(|h| format!("`{}`", h.local))
            .collect();
        docs.push(format!("Sends the header {}.", names.join(", ")));
    }
    docs.extend([
        String::new(),
        "# Errors".to_owned(),
        String::new(),
        "[`SoapError::Fault`](::soap_runtime::SoapError::Fault) when the service answers \
         with a SOAP fault, [`SoapError::InvalidRequest`](::soap_runtime::SoapError::InvalidRequest) \
         when a header is not set, and the other [`SoapError`](::soap_runtime::SoapError)s of \
         the transport and decoding."
            .to_owned(),
    ]);
    let (returns, answer) = match response {
        Some((response, namespace)) => {
            let response_rust = &response.rust;
            // A message element in a namespace is read by quick-xml where that reads it as
            // yaserde would (`decode_message`); yaserde reads one in no namespace.
            let decode = match namespace {
                Some(namespace) => quote!(decode_message(#namespace)),
                None => quote!(decode()),
            };
            (
                quote!(types::#response_rust),
                quote!(self.client.transport.call(#action, &envelope).await?.#decode),
            )
        }
        None => {
            docs.insert(1, String::new());
            docs.insert(
                2,
                "One-way: returns once the service accepts the request.".to_owned(),
            );
            (
                quote!(()),
                quote!(::soap_runtime::one_way(self.client.transport.call(#action, &envelope).await)),
            )
        }
    };
    let docs = super::doc(&docs);
    Ok(quote! {
        #docs
        pub async fn #method(&self, #argument) -> Result<#returns, ::soap_runtime::SoapError> {
            #constant
            let envelope = ::soap_runtime::Envelope::new(#version, #body)
            #(#with_headers)*;
            #answer
        }
    })
}

fn http_method<'e>(
    definitions: &Definitions,
    binding: &Binding,
    operation: &BindingOperation,
    (input, output): (&QName, Option<&QName>),
    element: &impl Fn(&QName) -> Result<&'e Element>,
    mut docs: Vec<String>,
) -> Result<TokenStream> {
    // Each part of a built-in simple type is a parameter, and so is each child of a part's
    // element whose children are all one value of a built-in simple type (a form, as
    // WSDL 1.1's own example writes it): a string-like one is passed as `&str`, a number
    // or boolean as its Rust type and written with `Display`.
    let mut parameters: Vec<(String, Option<&'static str>, String)> = Vec::new();
    for part in &definitions.message(input)?.parts {
        if let Some(type_name) = part
            .type_name
            .as_ref()
            .filter(|t| t.namespace.as_deref() == Some(XSD))
        {
            parameters.push((
                part.name.clone(),
                simple_rust_type(&type_name.local),
                format!("`xs:{}`", type_name.local),
            ));
            continue;
        }
        let children = part
            .element
            .as_ref()
            .and_then(|name| element(name).ok())
            .and_then(|element| element.simple_children.clone());
        let Some(children) = children else {
            bail!(
                "part {} of its input is neither of a built-in simple type nor an element of such values (it names {}); HTTP parameters are generated only from those",
                part.name,
                part.element
                    .as_ref()
                    .map(|e| format!("the element {e}"))
                    .or_else(|| part.type_name.as_ref().map(|t| format!("the type {t}")))
                    .unwrap_or_else(|| "nothing".to_owned())
            );
        };
        for (name, rust) in children {
            let typed = BUILT_IN_RUST.iter().copied().find(|t| *t == rust);
            parameters.push((name, typed, format!("a child of `{}`", part.name)));
        }
    }
    let mut arguments = Vec::new();
    let mut conversions = Vec::new();
    let mut pairs = Vec::new();
    let mut parameter_docs = Vec::new();
    for (name, typed, origin) in &parameters {
        let mut snake = name.to_snake_case();
        if syn::parse_str::<Ident>(&snake).is_err() {
            snake.push_str("_value");
        }
        let argument = format_ident!("{snake}");
        match typed {
            Some(rust) => {
                let rust = format_ident!("{rust}");
                arguments.push(quote!(#argument: #rust,));
                conversions.push(quote!(let #argument = #argument.to_string();));
                pairs.push(quote!((#name, #argument.as_str())));
            }
            None => {
                arguments.push(quote!(#argument: &str,));
                pairs.push(quote!((#name, #argument)));
            }
        }
        parameter_docs.push(format!("`{snake}` is the parameter `{name}` ({origin})."));
    }
    let output = output.context("a one-way HTTP operation, which is not generated")?;
    let response = element(&body_element(definitions, output, &[])?)?;
    let response_rust = &response.rust;
    let verb = match binding.protocol {
        Protocol::HttpPost => quote!(::soap_runtime::HttpVerb::Post),
        _ => quote!(::soap_runtime::HttpVerb::Get),
    };
    let method = format_ident!("{}", operation.name.to_snake_case());
    let location = &operation.action;
    docs.extend([
        String::new(),
        format!(
            "Calls `{location}` below the endpoint and decodes the bare result element; \
             `None` when the service answers it as `xsi:nil`. This binding carries no SOAP \
             header."
        ),
    ]);
    if !parameter_docs.is_empty() {
        docs.push(String::new());
        docs.extend(parameter_docs);
    }
    docs.extend([
        String::new(),
        "# Errors".to_owned(),
        String::new(),
        "[`SoapError::HttpStatus`](::soap_runtime::SoapError::HttpStatus) for an error \
         answer, and the other [`SoapError`](::soap_runtime::SoapError)s of the transport \
         and decoding."
            .to_owned(),
    ]);
    let docs = super::doc(&docs);
    Ok(quote! {
        #docs
        pub async fn #method(&self, #(#arguments)*) -> Result<Option<types::#response_rust>, ::soap_runtime::SoapError> {
            #(#conversions)*
            self.client.transport.call_http(#verb, #location, &[#(#pairs),*]).await
        }
    })
}

/// The Rust types of HTTP parameters that are not passed as text.
const BUILT_IN_RUST: &[&str] = &[
    "bool", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64",
];

/// The Rust type of an HTTP parameter of the built-in simple type `local`, for the types
/// that are not passed as text.
fn simple_rust_type(local: &str) -> Option<&'static str> {
    Some(match local {
        "boolean" => "bool",
        "byte" => "i8",
        "short" => "i16",
        "int" => "i32",
        "long" => "i64",
        "unsignedByte" => "u8",
        "unsignedShort" => "u16",
        "unsignedInt" => "u32",
        "unsignedLong" => "u64",
        "float" => "f32",
        "double" => "f64",
        _ => return None,
    })
}
