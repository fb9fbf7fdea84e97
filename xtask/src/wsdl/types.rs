//! The embedded XML schema to Rust types: xsd-parser's parser, interpreter, optimizer and
//! generator build the type model; [`YaserdeTypes`], a render step of xsd-parser's
//! renderer, writes it as yaserde types. The types of every namespace the schemas define
//! are rendered, each under its own namespace and prefix.
//!
//! - a complex type with a sequence (or an element's anonymous one) becomes a struct with
//!   `YaSerialize`/`YaDeserialize` derives, its qualified elements prefixed with the
//!   prefix of its schema's namespace (a reference to a global element is qualified
//!   whatever `elementFormDefault` says); `minOccurs="0"` becomes `Option`, `maxOccurs>1`
//!   a `Vec`; attributes of built-in simple types are fields written as attributes; simple
//!   content (a value with attributes) is a `value` field written as the text. It derives
//!   serde's traits too, under the element names, so a response can be written out as
//!   JSON;
//! - a string enumeration becomes an open enum, as `render.rs` writes them for OpenAPI
//!   (`Unlisted(String)`, `KNOWN`, `as_str`, `is_known`, `Display`, `FromStr`, loose
//!   matching of listed values), with hand-rolled yaserde impls that read and write the
//!   element's text (and serde impls, as a string); an element of such a type is a
//!   `soap_runtime::Sent` of it, which keeps the text as sent;
//! - a string restricted otherwise (a pattern, lengths) becomes a newtype over `String`
//!   whose documentation states the restriction;
//! - a global element whose type is named is that type: the struct's root name is the
//!   element's name. A global element of a built-in simple type is a struct of its own
//!   holding the text as `value`; one of `xs:anyType` is an empty struct of its own, with a
//!   note;
//! - names: an element's anonymous type that would take a named type's Rust name is
//!   `<Name>Element`; a type whose name a type of a namespace read earlier has takes its
//!   namespace's prefix in front (`CItem`); a type named like a prelude type gets `Type`
//!   appended; a field named after a Rust keyword ends in `_value`; `xs:integer` and
//!   `xs:nonNegativeInteger` are `i64` and `u64`.
//!
//! Anything else (choices, `xs:any`, recursion, unions, attributes of other types) is
//! refused with the type's name, which the caller turns into its place in the spec.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::sync::Arc;

use proc_macro2::{Ident, TokenStream};
use quote::{ToTokens, format_ident, quote};
use xsd_parser::config::{GeneratorFlags, OptimizerFlags, Schema, TypedefMode};
use xsd_parser::models::data::{
    ComplexData, ComplexDataAttribute, ComplexDataElement, ComplexDataElementOrigin,
    DataTypeVariant, EnumerationData, Occurs, ReferenceData, SimpleData, StructMode,
};
use xsd_parser::models::meta::{ElementMetaVariant, MetaType, ModuleMeta};
use xsd_parser::models::schema::NamespaceId;
use xsd_parser::models::schema::xs::FormChoiceType;
use xsd_parser::models::{Name, Naming as DefaultNaming};
use xsd_parser::pipeline::renderer::{Context, RenderStep, RenderStepType};
use xsd_parser::traits::{NameBuilder, Naming};
use xsd_parser::{Config, IdentType, Renderer, TypeIdent};

use super::model::QName;

/// The rendered `types` module and what the client needs to know of it.
pub struct Types {
    /// The items of the `types` module.
    pub tokens: TokenStream,
    /// How many types it defines.
    pub count: usize,
    /// The global elements, by name.
    pub elements: BTreeMap<QName, Element>,
    /// What the types leave out, one line each.
    pub notes: Vec<String>,
}

/// A global element and the Rust type that reads and writes it.
#[derive(Debug, Clone)]
pub struct Element {
    pub rust: Ident,
    /// The element has no content, so a request of it needs no argument.
    pub empty: bool,
    /// The children of the element when each is one value of a built-in simple type (the
    /// fields of an HTTP form): element name and schema type's local name.
    pub simple_children: Option<Vec<(String, String)>>,
}

/// A schema type that cannot be rendered, or a schema xsd-parser cannot read.
#[derive(Debug)]
pub struct TypeError {
    /// The schema name of the type or element, if the problem is one's.
    pub name: Option<String>,
    pub message: String,
    pub fix: String,
}

impl TypeError {
    fn of(name: &str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            name: Some(name.to_owned()),
            message: message.into(),
            fix: fix.into(),
        }
    }
}

/// What xsd-parser's error means for the spec, and what to change.
fn xsd_parser_error(error: impl std::fmt::Display) -> Vec<TypeError> {
    let text = error.to_string();
    let fix = if text.contains("soap/encoding") || text.contains("soap-encoding") {
        "an imported schema file uses SOAP encoding types (soapenc:Array and the like), which only rpc/encoded operations use; the generator leaves such definitions out of embedded and included schemas only: include the file instead of importing it, or move those definitions out"
    } else if text.contains("Unexpected event: Text") {
        "a schema has text where only elements may be (xsd-parser reads no text content in a schema); remove the stray text"
    } else {
        "simplify the schema so that xsd-parser reads it, or report it with the spec"
    };
    vec![TypeError {
        name: None,
        message: format!("xsd-parser: {}", text.replace('\n', " ")),
        fix: fix.to_owned(),
    }]
}

/// Runs xsd-parser over `schemas` and renders the types of every namespace they define;
/// every type that cannot be rendered is an error.
pub fn render(schemas: &[String]) -> Result<Types, Vec<TypeError>> {
    if schemas.is_empty() {
        // An rpc-style WSDL may define no element at all.
        return Ok(Types {
            tokens: TokenStream::new(),
            count: 0,
            elements: BTreeMap::new(),
            notes: Vec::new(),
        });
    }
    let config = Config::default()
        .with_schemas(schemas.iter().cloned().map(Schema::Schema))
        .set_optimizer_flags(
            OptimizerFlags::REMOVE_EMPTY_ENUM_VARIANTS
                | OptimizerFlags::REMOVE_EMPTY_ENUMS
                | OptimizerFlags::REMOVE_DUPLICATE_UNION_VARIANTS
                | OptimizerFlags::REMOVE_EMPTY_UNIONS
                | OptimizerFlags::RESOLVE_TYPEDEFS,
        )
        .with_generator_flags(GeneratorFlags::FLATTEN_CONTENT)
        .with_typedef_mode(TypedefMode::NewType)
        .with_type_postfix("")
        .with_element_type_postfix("")
        .with_element_postfix("ElementRef");
    let parsed = xsd_parser::exec_parser(config.parser).map_err(xsd_parser_error)?;
    let (meta, idents) = xsd_parser::exec_interpreter_with_ident_cache(config.interpreter, &parsed)
        .map_err(xsd_parser_error)?;
    let mut meta = xsd_parser::exec_optimizer(config.optimizer, meta).map_err(xsd_parser_error)?;
    // A named type keeps its name; an element's anonymous type that would take it gets
    // `Element` appended (complexType `country` is `Country`, element `country` is
    // `CountryElement`).
    let taken = meta
        .items
        .keys()
        .filter(|ident| matches!(ident.type_, IdentType::Type | IdentType::Enumeration))
        .map(|ident| meta.naming.format_type_name(ident.name.as_str()))
        .collect();
    let inner = std::mem::replace(&mut meta.naming, Box::new(DefaultNaming::default()));
    let mut naming = ElementTypeNaming {
        inner,
        taken: Arc::new(taken),
        clashes: Arc::default(),
        prefixes: Arc::new(
            meta.modules
                .iter()
                .filter_map(|(ns, module)| Some((*ns, module.prefix()?.to_string())))
                .collect(),
        ),
    };
    // Types of different namespaces that would take one Rust name: the namespace read
    // first (the WSDL's own schema) keeps it, the others' get their prefix in front
    // (`c:Item` next to `tns:Item` is `CItem`).
    let mut by_name: BTreeMap<String, BTreeSet<NamespaceId>> = BTreeMap::new();
    for (ident, ty) in &meta.items {
        let named = matches!(
            ident.type_,
            IdentType::Type | IdentType::Enumeration | IdentType::ElementType
        );
        if named && rendered_namespace(meta.modules.get(&ident.ns)).is_some() {
            let name = naming.base_name(&[], ty, ident);
            by_name
                .entry(naming.inner.format_type_name(name.as_str()))
                .or_default()
                .insert(ident.ns);
        }
    }
    naming.clashes = Arc::new(
        by_name
            .into_iter()
            .filter(|(_, namespaces)| namespaces.len() > 1)
            .filter_map(|(name, namespaces)| Some((name, *namespaces.first()?)))
            .collect(),
    );
    meta.naming = Box::new(naming);
    let data = xsd_parser::exec_generator_with_ident_cache(
        config.generator,
        &parsed,
        Some(&idents),
        &meta,
    )
    .map_err(xsd_parser_error)?;

    // Every namespace of the schemas is rendered, but XML Schema's own ones.
    let namespace_of =
        |ident: &TypeIdent| rendered_namespace(data.meta.types.modules.get(&ident.ns));
    let in_target = |ident: &TypeIdent| namespace_of(ident).is_some();

    // A global element is the type it refers to (through a nillable wrapper, if any).
    let mut aliases: BTreeMap<String, String> = BTreeMap::new();
    for (ident, ty) in &data.items {
        if let DataTypeVariant::Reference(reference) = &ty.variant
            && in_target(ident)
            && matches!(ident.type_, IdentType::Element | IdentType::NillableContent)
        {
            aliases.insert(
                reference.type_ident.to_string(),
                reference.target_type.ident().to_string(),
            );
        }
    }
    let resolve = |name: &str| {
        let mut name = name.to_owned();
        // A chain of wrappers is short; a cycle stops after as many steps as there are.
        for _ in 0..=aliases.len() {
            match aliases.get(&name) {
                Some(next) if *next != name => name = next.clone(),
                _ => break,
            }
        }
        name
    };

    let mut elements = BTreeMap::new();
    let mut root_names = BTreeMap::new();
    let mut errors = Vec::new();
    // The Rust names of the types rendered, so that a text element's struct takes none.
    let mut taken: BTreeSet<String> = data
        .items
        .iter()
        .filter(|(ident, _)| in_target(ident))
        .map(|(_, ty)| match &ty.variant {
            DataTypeVariant::Complex(ComplexData::Struct { type_, .. }) => {
                type_.type_ident.to_string()
            }
            DataTypeVariant::Enumeration(enumeration) => enumeration.type_ident.to_string(),
            DataTypeVariant::Simple(simple) => simple.type_ident.to_string(),
            _ => String::new(),
        })
        .collect();
    let mut text_elements = TokenStream::new();
    let mut notes = Vec::new();
    let mut text_count = 0;
    for (ident, ty) in &data.items {
        if ident.type_ != IdentType::Element || !in_target(ident) {
            continue;
        }
        let DataTypeVariant::Reference(reference) = &ty.variant else {
            continue;
        };
        let mut rust = resolve(&reference.type_ident.to_string());
        let any_type = rust == "AnyType" && !taken.contains("AnyType");
        let mut empty = false;
        if BUILT_IN.contains(&rust.as_str()) || any_type {
            // A global element of a built-in simple type is a struct of its own, named
            // after it, that holds its text; one of xs:anyType is an empty struct of its
            // own, which says so.
            let name = ident.name.as_str();
            let mut struct_name = data.meta.types.naming.format_type_name(name);
            while taken.contains(&struct_name) {
                struct_name.push_str("Element");
            }
            taken.insert(struct_name.clone());
            let prefix = data
                .meta
                .types
                .modules
                .get(&ident.ns)
                .and_then(ModuleMeta::prefix)
                .map_or_else(|| "tns".to_owned(), |p| p.to_string());
            let (struct_ident, namespace) = (
                format_ident!("{struct_name}"),
                namespace_of(ident).unwrap_or_default(),
            );
            if any_type {
                notes.push(format!(
                    "element {name} is of xs:anyType: its type {struct_name} has no content, so a request sends it empty and an answer's content is not read"
                ));
                text_elements.extend(any_type_element(&struct_ident, name, &prefix, &namespace));
                empty = true;
            } else {
                text_elements.extend(text_element(
                    &struct_ident,
                    &rust,
                    name,
                    &prefix,
                    &namespace,
                ));
            }
            text_count += 1;
            rust = struct_name;
        }
        let empty = empty
            || data.items.values().any(|target| match &target.variant {
                DataTypeVariant::Complex(ComplexData::Struct { type_, .. }) => {
                    type_.type_ident == rust && type_.is_unit_struct()
                }
                _ => false,
            });
        let name = ident.name.as_str().to_owned();
        if let Some(other) = root_names.insert(rust.clone(), name.clone()) {
            errors.push(TypeError::of(
                &name,
                format!("elements {other} and {name} both have the type {rust}, and a Rust type reads one element"),
                format!("give element {name} a type of its own"),
            ));
        }
        elements.insert(
            QName {
                namespace: namespace_of(ident),
                local: name,
            },
            Element {
                rust: format_ident!("{rust}"),
                empty,
                simple_children: None,
            },
        );
    }

    let open_enums = data
        .items
        .values()
        .filter_map(|ty| match &ty.variant {
            DataTypeVariant::Enumeration(enumeration) => Some(enumeration.type_ident.to_string()),
            _ => None,
        })
        .collect();
    let state = Rc::new(RefCell::new(State::default()));
    let global_elements = data
        .items
        .keys()
        .filter(|ident| ident.type_ == IdentType::Element)
        .map(|ident| (ident.ns, ident.name.as_str().to_owned()))
        .collect();
    let step = YaserdeTypes {
        global_elements,
        aliases,
        open_enums,
        root_names,
        state: Rc::clone(&state),
    };
    let module = Renderer::new(&data).with_step(step).finish();
    let state = state.take();
    for element in elements.values_mut() {
        element.simple_children = state
            .simple_children
            .get(&element.rust.to_string())
            .cloned();
    }
    errors.extend(state.errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut tokens = module.to_token_stream();
    tokens.extend(text_elements);
    Ok(Types {
        tokens,
        count: state.rendered + text_count,
        elements,
        notes,
    })
}

/// The struct of a global element of `xs:anyType`: no content.
fn any_type_element(ident: &Ident, root: &str, prefix: &str, namespace: &str) -> TokenStream {
    let docs = super::doc(&[
        format!("The element `{root}` of the schema, of `xs:anyType`."),
        String::new(),
        "The schema allows any content; this type has none: it is sent empty, and the content of an answer is not read.".to_owned(),
    ]);
    quote! {
        #docs
        #[derive(
            Clone, Debug, Default, PartialEq,
            ::yaserde::YaSerialize, ::yaserde::YaDeserialize,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        #[yaserde(rename = #root, prefix = #prefix, namespaces = { #prefix = #namespace })]
        pub struct #ident {}
    }
}

/// The struct of a global element of a built-in simple type: its text as `value` of the
/// Rust type `rust` (`String`, `i32`, ...), in the element named `root`.
fn text_element(
    ident: &Ident,
    rust: &str,
    root: &str,
    prefix: &str,
    namespace: &str,
) -> TokenStream {
    let docs = super::doc(&[format!(
        "The element `{root}` of the schema, whose content is a `{rust}`."
    )]);
    let rust = format_ident!("{}", wire_type(rust.to_owned()));
    quote! {
        #docs
        #[derive(
            Clone, Debug, Default, PartialEq,
            ::yaserde::YaSerialize, ::yaserde::YaDeserialize,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        #[yaserde(rename = #root, prefix = #prefix, namespaces = { #prefix = #namespace })]
        #[serde(transparent)]
        pub struct #ident {
            /// The element's text.
            #[yaserde(text = true)]
            pub value: #rust,
        }
    }
}

/// The namespace of a module of xsd-parser's types, if its types are rendered: every
/// namespace but XML Schema's, XML's and XML Schema instance's.
fn rendered_namespace(module: Option<&ModuleMeta>) -> Option<String> {
    let namespace = module?.namespace.as_ref()?.to_string();
    let builtin = [
        super::model::XSD,
        "http://www.w3.org/XML/1998/namespace",
        "http://www.w3.org/2001/XMLSchema-instance",
    ];
    (!builtin.contains(&namespace.as_str())).then_some(namespace)
}

/// Names of the Rust prelude that generated code uses unqualified; a schema type of one of
/// these names gets `Type` appended (`Result` is `ResultType`).
const PRELUDE: &[&str] = &[
    "Result",
    "Option",
    "Vec",
    "String",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "From",
    "Into",
];

/// xsd-parser's naming, except that the anonymous type of an element whose Rust name a
/// named type already has is called `<Name>Element`, that a type whose Rust name a
/// type of another namespace has gets its namespace's prefix in front, and that a type
/// named like a prelude type gets `Type` appended.
#[derive(Debug)]
struct ElementTypeNaming {
    inner: Box<dyn Naming>,
    /// The Rust names of the named types.
    taken: Arc<BTreeSet<String>>,
    /// The Rust names that types of several namespaces would take, with the namespace
    /// that keeps it.
    clashes: Arc<BTreeMap<String, NamespaceId>>,
    /// The prefix of each namespace.
    prefixes: Arc<BTreeMap<NamespaceId, String>>,
}

impl ElementTypeNaming {
    /// The name before namespaces are told apart.
    fn base_name(&self, postfixes: &[String], ty: &MetaType, ident: &TypeIdent) -> Name {
        let name = self.inner.make_type_name(postfixes, ty, ident);
        let formatted = self.inner.format_type_name(name.as_str());
        // The generated code names these prelude types unqualified.
        if matches!(
            ident.type_,
            IdentType::Type | IdentType::Enumeration | IdentType::ElementType
        ) && PRELUDE.contains(&formatted.as_str())
        {
            return Name::new_generated(format!("{formatted}Type"));
        }
        if ident.type_ == IdentType::ElementType
            && self
                .taken
                .contains(&self.inner.format_type_name(name.as_str()))
        {
            Name::new_generated(format!(
                "{}Element",
                self.inner.format_type_name(name.as_str())
            ))
        } else {
            name
        }
    }
}

impl Naming for ElementTypeNaming {
    fn clone_boxed(&self) -> Box<dyn Naming> {
        Box::new(Self {
            inner: self.inner.clone_boxed(),
            taken: Arc::clone(&self.taken),
            clashes: Arc::clone(&self.clashes),
            prefixes: Arc::clone(&self.prefixes),
        })
    }

    fn builder(&self) -> Box<dyn NameBuilder> {
        self.inner.builder()
    }

    fn unify(&self, s: &str) -> String {
        self.inner.unify(s)
    }

    fn make_type_name(&self, postfixes: &[String], ty: &MetaType, ident: &TypeIdent) -> Name {
        let name = self.base_name(postfixes, ty, ident);
        let formatted = self.inner.format_type_name(name.as_str());
        let named = matches!(
            ident.type_,
            IdentType::Type | IdentType::Enumeration | IdentType::ElementType
        );
        match self.clashes.get(&formatted) {
            Some(keeper) if named && *keeper != ident.ns => {
                let prefix = self
                    .prefixes
                    .get(&ident.ns)
                    .map_or_else(|| "Other".to_owned(), |p| self.inner.format_type_name(p));
                Name::new_generated(format!("{prefix}{formatted}"))
            }
            _ => name,
        }
    }

    fn make_unknown_variant(&self, id: usize) -> Ident {
        self.inner.make_unknown_variant(id)
    }

    fn format_module_name(&self, s: &str) -> String {
        self.inner.format_module_name(s)
    }

    fn format_type_name(&self, s: &str) -> String {
        self.inner.format_type_name(s)
    }

    fn format_field_name(&self, s: &str) -> String {
        self.inner.format_field_name(s)
    }

    fn format_variant_name(&self, s: &str) -> String {
        self.inner.format_variant_name(s)
    }

    fn format_constant_name(&self, s: &str) -> String {
        self.inner.format_constant_name(s)
    }
}

/// A field's name: xsd-parser's, except that a Rust keyword (which it writes `return_`,
/// and which yaserde's derive cannot take) becomes `return_value`.
fn field_ident(ident: &Ident) -> Ident {
    let name = ident.to_string();
    match name.strip_suffix('_') {
        Some(keyword) if !keyword.is_empty() && !keyword.ends_with('_') => {
            format_ident!("{keyword}_value")
        }
        _ => ident.clone(),
    }
}

/// The Rust type a field of xsd-parser's type `rust` has: `isize` and `usize` (which
/// xsd-parser gives `xs:integer` and `xs:nonNegativeInteger`, and which yaserde's derive
/// does not read) are `i64` and `u64`.
fn wire_type(rust: String) -> String {
    match rust.as_str() {
        "isize" => "i64".to_owned(),
        "usize" => "u64".to_owned(),
        _ => rust,
    }
}

/// The Rust types xsd-parser gives the built-in simple types the generator writes as
/// attributes.
const BUILT_IN: &[&str] = &[
    "String", "bool", "i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64", "u128", "f32",
    "f64", "usize", "isize",
];

/// What the render step counted, and the types it could not render.
#[derive(Debug, Default)]
struct State {
    rendered: usize,
    errors: Vec<TypeError>,
    /// The structs whose fields are each one value of a built-in simple type, by Rust
    /// name: element name and Rust type of each field.
    simple_children: BTreeMap<String, Vec<(String, String)>>,
}

/// The render step that writes xsd-parser's data types as yaserde types.
#[derive(Debug)]
struct YaserdeTypes {
    /// Element wrappers and their targets, by Rust name.
    aliases: BTreeMap<String, String>,
    /// The Rust names of the open enums; elements of these types keep the text as sent.
    open_enums: BTreeSet<String>,
    /// The global elements, by namespace and name.
    global_elements: BTreeSet<(NamespaceId, String)>,
    /// Root element name of a type, by Rust name, for types that are a global element.
    root_names: BTreeMap<String, String>,
    state: Rc<RefCell<State>>,
}

impl RenderStep for YaserdeTypes {
    fn render_step_type(&self) -> RenderStepType {
        RenderStepType::Types
    }

    fn render_type(&mut self, ctx: &mut Context<'_, '_>) {
        let module = ctx.meta.types.meta.types.modules.get(&ctx.ident.ns);
        let Some(namespace) = rendered_namespace(module) else {
            return;
        };
        let name = ctx.ident.name.as_str().to_owned();
        let docs = doc_lines(&ctx.data.meta.documentation);
        let outcome = match &ctx.data.variant {
            DataTypeVariant::Complex(complex) => {
                self.complex(complex, module, (ctx.ident.ns, &namespace), docs)
            }
            DataTypeVariant::Enumeration(enumeration) => Ok(Some(open_enum(enumeration, docs))),
            DataTypeVariant::Simple(simple) => simple_type(simple, docs).map(Some),
            DataTypeVariant::Reference(reference) => self.reference(ctx.ident, reference, docs),
            DataTypeVariant::BuildIn(_) | DataTypeVariant::Custom(_) => Ok(None),
            DataTypeVariant::Union(_) => Err("unions are not supported".to_owned()),
            DataTypeVariant::Dynamic(_) => {
                Err("substitution groups and abstract types are not supported".to_owned())
            }
        };
        match outcome {
            Ok(Some(tokens)) => {
                ctx.current_module().append(tokens);
                self.state.borrow_mut().rendered += 1;
            }
            Ok(None) => {}
            Err(error) => self.state.borrow_mut().errors.push(TypeError::of(
                &name,
                format!("type {name}: {error}"),
                "change the type to what the generator renders (see README's \"How code generation works\")",
            )),
        }
    }
}

type Rendered = Option<TokenStream>;

impl YaserdeTypes {
    fn complex(
        &self,
        complex: &ComplexData<'_>,
        module: Option<&ModuleMeta>,
        (ns, namespace): (NamespaceId, &str),
        docs: Vec<String>,
    ) -> Result<Rendered, String> {
        let type_ = match complex {
            ComplexData::Struct {
                type_,
                content_type: None,
            } => type_,
            ComplexData::Struct {
                content_type: Some(_),
                ..
            } => {
                return Err(
                    "simple or mixed content (text next to attributes or elements) is not supported"
                        .to_owned(),
                );
            }
            ComplexData::Enum { .. } => {
                return Err("xs:choice is not supported; only sequences of elements are".to_owned());
            }
        };
        if type_.has_any() {
            return Err("xs:any and xs:anyAttribute are not supported".to_owned());
        }
        // Simple content (a value with attributes): the text of a built-in type.
        let mut text_field = None;
        let elements = match &type_.mode {
            StructMode::Empty { allow_any: false } => &[][..],
            StructMode::Content { content } if content.simple_type.is_some() => {
                let target = wire_type(content.target_type.ident().to_string());
                if !BUILT_IN.contains(&target.as_str()) || !matches!(content.occurs, Occurs::Single)
                {
                    return Err(format!(
                        "simple content of type {target}: only a built-in simple type (string, a number or a boolean) is supported"
                    ));
                }
                let target = format_ident!("{target}");
                text_field = Some(quote! {
                    /// The element's text.
                    #[yaserde(text = true)]
                    pub value: #target,
                });
                &[][..]
            }
            StructMode::Sequence {
                elements,
                allow_any: false,
            }
            | StructMode::All {
                elements,
                allow_any: false,
            } => elements.as_slice(),
            StructMode::Content { .. } => {
                return Err(
                    "complex content of a group or choice is not supported; only sequences of elements are"
                        .to_owned(),
                );
            }
            _ => {
                return Err(
                    "xs:any in a sequence is not supported; only sequences of elements are"
                        .to_owned(),
                );
            }
        };
        let rust = type_.type_ident.to_string();
        let prefix = module
            .and_then(ModuleMeta::prefix)
            .map_or_else(|| "tns".to_owned(), |p| p.to_string());
        let root = self.root_names.get(&rust).cloned().unwrap_or_else(|| {
            type_
                .tag_name
                .as_ref()
                .map_or_else(|| rust.clone(), |tag| tag.name.clone())
        });
        let mut fields = type_
            .attributes
            .iter()
            .map(|attribute| self.attribute(attribute, &prefix))
            .collect::<Result<Vec<_>, _>>()?;
        fields.extend(
            elements
                .iter()
                .map(|element| self.field(element, &prefix, ns))
                .collect::<Result<Vec<_>, _>>()?,
        );
        let simple_children: Option<Vec<(String, String)>> = (type_.attributes.is_empty()
            && text_field.is_none()
            && !elements.is_empty())
        .then(|| {
            elements
                .iter()
                .map(|element| {
                    let target = element.target_type.ident().to_string();
                    let target = wire_type(self.aliases.get(&target).cloned().unwrap_or(target));
                    (matches!(element.occurs, Occurs::Single)
                        && BUILT_IN.contains(&target.as_str()))
                    .then(|| (element.tag_name.name.clone(), target))
                })
                .collect()
        })
        .flatten();
        if let Some(children) = simple_children {
            self.state
                .borrow_mut()
                .simple_children
                .insert(rust.clone(), children);
        }
        fields.extend(text_field);
        let docs = if docs.is_empty() {
            super::doc(&[format!("`{root}` of the schema.")])
        } else {
            super::doc(&docs)
        };
        let ident = &type_.type_ident;
        Ok(Some(quote! {
            #docs
            #[derive(
                Clone, Debug, PartialEq,
                ::yaserde::YaSerialize, ::yaserde::YaDeserialize,
                ::serde::Serialize, ::serde::Deserialize,
            )]
            #[yaserde(rename = #root, prefix = #prefix, namespaces = { #prefix = #namespace })]
            pub struct #ident {
                #(#fields)*
            }
        }))
    }

    /// An `xs:attribute` of a simple built-in type: a field written as an XML attribute.
    fn attribute(
        &self,
        attribute: &ComplexDataAttribute<'_>,
        prefix: &str,
    ) -> Result<TokenStream, String> {
        let name = &attribute.tag_name.name;
        let target = attribute.target_type.ident().to_string();
        let target = wire_type(self.aliases.get(&target).cloned().unwrap_or(target));
        if !BUILT_IN.contains(&target.as_str()) {
            return Err(format!(
                "attribute {name}: its type {target} is not a built-in simple type (string, a number or a boolean), the only attribute types supported"
            ));
        }
        let target: TokenStream = target
            .parse()
            .map_err(|_| format!("attribute {name}: type {target} is not a Rust path"))?;
        let ty = if attribute.is_option {
            quote!(Option<#target>)
        } else {
            target
        };
        let documentation = doc_lines(&attribute.meta.documentation);
        let documentation = if documentation.is_empty() {
            super::doc(&[format!("The attribute `{name}`.")])
        } else {
            super::doc(&documentation)
        };
        let yaserde = match attribute.tag_name.form {
            FormChoiceType::Qualified => {
                quote!(#[yaserde(attribute = true, rename = #name, prefix = #prefix)])
            }
            FormChoiceType::Unqualified => quote!(#[yaserde(attribute = true, rename = #name)]),
        };
        let field = field_ident(&attribute.ident);
        Ok(quote! {
            #documentation
            #yaserde
            #[serde(rename = #name)]
            pub #field: #ty,
        })
    }

    fn field(
        &self,
        element: &ComplexDataElement<'_>,
        prefix: &str,
        ns: NamespaceId,
    ) -> Result<TokenStream, String> {
        let name = &element.tag_name.name;
        if element.need_indirection || element.target_is_dynamic {
            return Err(format!(
                "element {name}: recursive or dynamic types are not supported"
            ));
        }
        let target = element.target_type.ident().to_string();
        let target = wire_type(self.aliases.get(&target).cloned().unwrap_or(target));
        let sent = self.open_enums.contains(&target);
        let target: TokenStream = target
            .parse()
            .map_err(|_| format!("element {name}: type {target} is not a Rust path"))?;
        // An open enum matches known values loosely; the field keeps the text as sent.
        let target = if sent {
            quote!(::soap_runtime::Sent<#target>)
        } else {
            target
        };
        let ty = match element.occurs {
            Occurs::Single => target,
            Occurs::Optional => quote!(Option<#target>),
            Occurs::DynamicList => quote!(Vec<#target>),
            Occurs::None | Occurs::StaticList(_) => {
                return Err(format!(
                    "element {name}: occurrence {:?} is not supported",
                    element.occurs
                ));
            }
        };
        let documentation = match &element.origin {
            ComplexDataElementOrigin::Meta(meta) => doc_lines(&meta.documentation),
            ComplexDataElementOrigin::Generated(meta) => doc_lines(&meta.documentation),
        };
        let documentation = if documentation.is_empty() {
            super::doc(&[format!("`{name}`.")])
        } else {
            super::doc(&documentation)
        };
        // A reference to a global element is qualified whatever the schema's
        // elementFormDefault.
        let reference = match &element.origin {
            ComplexDataElementOrigin::Meta(meta) => match &meta.variant {
                // xsd-parser resolves a reference to the element's type: the anonymous
                // type of a global element, named after it.
                ElementMetaVariant::Type { type_, .. }
                    if type_.type_ == IdentType::Element
                        || (type_.type_ == IdentType::ElementType
                            && type_.name.is_named()
                            && self
                                .global_elements
                                .contains(&(type_.ns, type_.name.as_str().to_owned()))) =>
                {
                    Some(type_.ns)
                }
                _ => None,
            },
            ComplexDataElementOrigin::Generated(_) => None,
        };
        let qualified = match reference {
            Some(referenced) if referenced != ns => {
                return Err(format!(
                    "element {name} refers to a global element of another namespace, which is not supported"
                ));
            }
            Some(_) => true,
            None => element.tag_name.form == FormChoiceType::Qualified,
        };
        let attribute = if qualified {
            quote!(#[yaserde(rename = #name, prefix = #prefix)])
        } else {
            quote!(#[yaserde(rename = #name)])
        };
        // serde (JSON, for reports written out) uses the element names too; a list may be
        // absent.
        let serde = match element.occurs {
            Occurs::DynamicList => quote!(#[serde(rename = #name, default)]),
            _ => quote!(#[serde(rename = #name)]),
        };
        let field = field_ident(&element.field_ident);
        Ok(quote! {
            #documentation
            #attribute
            #serde
            pub #field: #ty,
        })
    }

    /// A named type that is another type under a new name: a type alias. Element wrappers
    /// are not rendered; the element is its type.
    fn reference(
        &self,
        ident: &TypeIdent,
        reference: &ReferenceData<'_>,
        docs: Vec<String>,
    ) -> Result<Rendered, String> {
        if matches!(ident.type_, IdentType::Element | IdentType::NillableContent) {
            return Ok(None);
        }
        if !matches!(reference.occurs, Occurs::Single) {
            return Err("list types are not supported".to_owned());
        }
        let name = &reference.type_ident;
        let target = reference.target_type.ident().to_string();
        let target = wire_type(self.aliases.get(&target).cloned().unwrap_or(target));
        let target: TokenStream = target
            .parse()
            .map_err(|_| format!("type {target} is not a Rust path"))?;
        let docs = if docs.is_empty() {
            super::doc(&[format!("`{}` of the schema.", ident.name.as_str())])
        } else {
            super::doc(&docs)
        };
        Ok(Some(quote! {
            #docs
            pub type #name = #target;
        }))
    }
}

/// A string with facets: a newtype that keeps the text and names the restriction.
fn simple_type(simple: &SimpleData<'_>, docs: Vec<String>) -> Result<TokenStream, String> {
    let name = &simple.type_ident;
    if simple.target_type.ident() != "String" || !matches!(simple.occurs, Occurs::Single) {
        return Err("only restrictions of xs:string are supported".to_owned());
    }
    let constrains = &simple.meta.constrains;
    let mut rules: Vec<String> = constrains
        .patterns
        .iter()
        .map(|pattern| format!("matches the pattern `{pattern}`"))
        .collect();
    if let Some(min) = constrains.min_length {
        rules.push(format!("has at least {min} characters"));
    }
    if let Some(max) = constrains.max_length {
        rules.push(format!("has at most {max} characters"));
    }
    let mut docs = if docs.is_empty() {
        vec![format!("`{name}` of the schema.")]
    } else {
        docs
    };
    if !rules.is_empty() {
        docs.push(String::new());
        docs.push(format!(
            "The schema allows a value that {}; this type keeps the text as given and \
             does not check it.",
            rules.join(" and ")
        ));
    }
    let root = name.to_string();
    let docs = super::doc(&docs);
    let tokens = quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct #name(String);

        impl #name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

    };
    let text_impls = text_impls(name, &root, quote!(Self), quote!(&self.0));
    Ok(quote!(#tokens #text_impls))
}

/// The open enum of `render.rs`, with yaserde impls instead of serde ones.
fn open_enum(enumeration: &EnumerationData<'_>, docs: Vec<String>) -> TokenStream {
    let name = &enumeration.type_ident;
    let values: Vec<String> = enumeration
        .variants
        .iter()
        .map(|variant| variant.meta.ident.name.as_str().to_owned())
        .collect();
    let variant_docs = enumeration
        .variants
        .iter()
        .zip(&values)
        .map(|(variant, value)| {
            let mut lines = vec![format!("`{value}`")];
            let extra = doc_lines(&variant.meta.documentation);
            if !extra.is_empty() {
                lines.push(String::new());
                lines.extend(extra);
            }
            super::doc(&lines)
        })
        .collect();
    let docs = if docs.is_empty() {
        super::doc(&[format!("`{name}` of the schema.")])
    } else {
        super::doc(&docs)
    };
    let core =
        crate::render::open_enum_core(&quote!(::soap_runtime), name, docs, &values, variant_docs);
    let root = name.to_string();
    let text_impls = text_impls(name, &root, quote!(Self::from), quote!(self.as_str()));
    quote!(#core #text_impls)
}

/// yaserde impls for a type written as the text of its element, and serde impls that
/// write it as a string. `from_text` is a function from `String` to `Self`; `as_text` is the
/// `&str` to write.
fn text_impls(
    name: &Ident,
    root: &str,
    from_text: TokenStream,
    as_text: TokenStream,
) -> TokenStream {
    quote! {
        impl ::yaserde::YaSerialize for #name {
            fn serialize<W: ::std::io::Write>(
                &self,
                writer: &mut ::yaserde::ser::Serializer<W>,
            ) -> ::yaserde::Result<()> {
                ::soap_runtime::text::write_text(writer, #root, #as_text)
            }

            fn serialize_attributes(
                &self,
                attributes: Vec<::yaserde::__xml::attribute::OwnedAttribute>,
                namespace: ::yaserde::__xml::namespace::Namespace,
            ) -> ::yaserde::Result<(
                Vec<::yaserde::__xml::attribute::OwnedAttribute>,
                ::yaserde::__xml::namespace::Namespace,
            )> {
                Ok((attributes, namespace))
            }
        }

        impl ::yaserde::YaDeserialize for #name {
            fn deserialize<R: ::std::io::Read>(
                reader: &mut ::yaserde::de::Deserializer<R>,
            ) -> ::yaserde::Result<Self> {
                ::soap_runtime::text::read_text(reader).map(#from_text)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(#as_text)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(#from_text)
            }
        }
    }
}

/// `xs:documentation` texts as doc lines: each line trimmed, paragraphs kept.
fn doc_lines(documentation: &[String]) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, text) in documentation.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        let mut paragraph: Vec<String> = text.lines().map(|l| l.trim().to_owned()).collect();
        while paragraph.first().is_some_and(String::is_empty) {
            paragraph.remove(0);
        }
        while paragraph.last().is_some_and(String::is_empty) {
            paragraph.pop();
        }
        lines.extend(paragraph);
    }
    lines
}
