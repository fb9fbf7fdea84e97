//! The status table a spec declares next to its wire format: which operation reads a job's
//! state, where the state is in its answer, and which state values are which phase. It is
//! the spec's own reading of its states, as Smithy waiters declare acceptors next to an
//! operation.
//!
//! - OpenAPI: an `x-jobstatus` object (or a list of them) on the operation, with `state`, a
//!   JSON pointer into the success answer (`*` steps into every item of an array), and
//!   `phases`, each phase with the values it takes ([`openapi`]).
//! - WSDL: a `js:status` element (namespace [`WSDL_NAMESPACE`]) in the `wsdl:operation` of
//!   the port type, with a `state` path of element names below the output element and one
//!   `js:phase name=".." values=".."` child per phase ([`wsdl`]).
//!
//! The generator checks each table against the state enum (every value in exactly one
//! phase, no value the enum does not list) and writes a `phase()` method on the enum with
//! an exhaustive `match`; a value the spec does not list is `Unknown`.

pub mod openapi;
pub mod wsdl;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::problem::Problem;
use crate::render::variant_name;

/// The namespace of the WSDL status table element.
pub const WSDL_NAMESPACE: &str = "urn:jobstatus:x-jobstatus";

/// The phases of `jobstatus_runtime::Phase`, in lifecycle order.
const PHASES: [&str; 7] = [
    "pending",
    "running",
    "cancelling",
    "succeeded",
    "failed",
    "cancelled",
    "unknown",
];

/// One checked status table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusTable {
    /// The operation whose answer holds the state.
    pub operation: String,
    /// Where the state is in that answer, as the spec writes it.
    pub state: String,
    /// The Rust name of the state enum.
    pub type_name: String,
    /// Every value the enum lists, in its order, with its phase (`pending`, `running`, ...).
    pub phases: Vec<(String, &'static str)>,
}

/// The phases a spec declares, as written: each phase name with its values.
pub type Declared = Vec<(String, Vec<String>)>;

/// Checks `declared` against the enum's `values`: each phase is known, each value the enum
/// lists has exactly one phase, and no phase names a value the enum does not list. Returns
/// every value with its phase, in the enum's order.
pub fn check(
    location: &str,
    type_name: &str,
    values: &[String],
    declared: &Declared,
) -> Result<Vec<(String, &'static str)>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut phase_of: BTreeMap<&str, &'static str> = BTreeMap::new();
    for (phase, listed) in declared {
        let Some(known) = PHASES.iter().find(|known| **known == phase.as_str()) else {
            problems.push(Problem::new(
                location,
                format!("`{phase}` is not a phase"),
                format!("use one of {}", PHASES.join(", ")),
            ));
            continue;
        };
        for value in listed {
            if !values.contains(value) {
                problems.push(Problem::new(
                    location,
                    format!("phase {phase} lists `{value}`, which {type_name} does not list"),
                    format!(
                        "list only values of {type_name} ({}), or add `{value}` to its enum",
                        values.join(", ")
                    ),
                ));
            } else if let Some(first) = phase_of.insert(value, known) {
                problems.push(Problem::new(
                    location,
                    format!("`{value}` is given two phases: {first} and {phase}"),
                    "give every value exactly one phase",
                ));
            }
        }
    }
    for value in values {
        if !phase_of.contains_key(value.as_str()) {
            problems.push(Problem::new(
                location,
                format!("`{value}` of {type_name} has no phase"),
                format!(
                    "list `{value}` under one of {} (unknown when it says nothing about progress)",
                    PHASES.join(", ")
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(values
        .iter()
        .map(|value| (value.clone(), phase_of[value.as_str()]))
        .collect())
}

/// Every table read, each with where it is declared, or every problem of those that could
/// not be; then one table per state enum: tables of several operations that read the same
/// enum must agree, and are then one.
pub fn merge(
    read: impl IntoIterator<Item = Result<(String, StatusTable), Vec<Problem>>>,
) -> Result<Vec<StatusTable>, Vec<Problem>> {
    let mut tables = Vec::new();
    let mut problems = Vec::new();
    for result in read {
        match result {
            Ok(table) => tables.push(table),
            Err(more) => problems.extend(more),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut merged: Vec<StatusTable> = Vec::new();
    for (location, table) in tables {
        match merged.iter().find(|t| t.type_name == table.type_name) {
            Some(first) if first.phases != table.phases => problems.push(Problem::new(
                location,
                format!(
                    "{} gets other phases here than in the table of {}",
                    table.type_name, first.operation
                ),
                "give the state enum one table: the same phases wherever it is read",
            )),
            Some(_) => {}
            None => merged.push(table),
        }
    }
    if problems.is_empty() {
        Ok(merged)
    } else {
        Err(problems)
    }
}

/// The `phase()` method of every table's enum, in the generated `types` module's terms.
/// `runtime` is the crate path that holds `Phase` (`::jobstatus_runtime`).
pub fn render(tables: &[StatusTable], runtime: &TokenStream) -> TokenStream {
    let impls = tables.iter().map(|table| {
        let name = format_ident!("{}", table.type_name);
        let arms = PHASES.iter().filter_map(|phase| {
            let variants: Vec<_> = table
                .phases
                .iter()
                .filter(|(_, p)| p == phase)
                .map(|(value, _)| format_ident!("{}", variant_name(value)))
                .collect();
            let unlisted = (*phase == "unknown").then(|| quote!(Self::Unlisted(_)));
            let phase = format_ident!("{}", variant_name(phase));
            let patterns = variants
                .iter()
                .map(|variant| quote!(Self::#variant))
                .chain(unlisted);
            let patterns: Vec<_> = patterns.collect();
            (!patterns.is_empty()).then(|| quote!(#(#patterns)|* => #runtime::Phase::#phase,))
        });
        let mut docs = vec![
            "The phase of this state, as the spec's status table (`x-jobstatus`) gives it."
                .to_owned(),
            String::new(),
            format!(
                "The state is read from the answer of `{}` at `{}`.",
                table.operation, table.state
            ),
            String::new(),
            "| state | phase |".to_owned(),
            "|---|---|".to_owned(),
        ];
        docs.extend(
            table
                .phases
                .iter()
                .map(|(value, phase)| format!("| `{value}` | {phase} |")),
        );
        docs.push("| a value the spec does not list | unknown |".to_owned());
        let docs = docs.iter().map(|line| quote!(#[doc = #line]));
        quote! {
            impl types::#name {
                #(#docs)*
                pub fn phase(&self) -> #runtime::Phase {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    });
    quote!(#(#impls)*)
}

/// The API digest lines of the tables: `phase <Enum>.<Variant> = <phase>`. Moving a value to
/// another phase changes a line, which the digest comparison names breaking.
pub fn digest_lines(tables: &[StatusTable]) -> Vec<(String, String)> {
    tables
        .iter()
        .flat_map(|table| {
            table.phases.iter().map(|(value, phase)| {
                (
                    format!("phase {}.{}", table.type_name, variant_name(value)),
                    (*phase).to_owned(),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(list: &[&str]) -> Vec<String> {
        list.iter().map(|v| (*v).to_owned()).collect()
    }

    fn declared(list: &[(&str, &[&str])]) -> Declared {
        list.iter()
            .map(|(phase, listed)| ((*phase).to_owned(), values(listed)))
            .collect()
    }

    #[test]
    fn a_complete_table_gives_every_value_its_phase_in_enum_order() {
        let table = check(
            "/x",
            "State",
            &values(&["QUEUED", "DONE", "ERR"]),
            &declared(&[
                ("succeeded", &["DONE"]),
                ("pending", &["QUEUED"]),
                ("failed", &["ERR"]),
            ]),
        );
        assert_eq!(
            table,
            Ok(vec![
                ("QUEUED".to_owned(), "pending"),
                ("DONE".to_owned(), "succeeded"),
                ("ERR".to_owned(), "failed"),
            ])
        );
    }

    #[test]
    fn every_gap_and_excess_is_a_problem_of_its_own() {
        let problems = check(
            "/paths/~1runs/get/x-jobstatus",
            "State",
            &values(&["QUEUED", "DONE", "PAUSED"]),
            &declared(&[
                ("pending", &["QUEUED", "WAITING"]),
                ("done", &["DONE"]),
                ("running", &["QUEUED"]),
            ]),
        )
        .expect_err("refused");
        let messages: Vec<_> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "phase pending lists `WAITING`, which State does not list",
                "`done` is not a phase",
                "`QUEUED` is given two phases: pending and running",
                "`DONE` of State has no phase",
                "`PAUSED` of State has no phase",
            ]
        );
        assert!(
            problems
                .iter()
                .all(|p| p.location == "/paths/~1runs/get/x-jobstatus")
        );
        assert!(problems[1].fix.contains("pending, running, cancelling"));
    }

    fn table(operation: &str, phase: &'static str) -> (String, StatusTable) {
        (
            format!("/{operation}"),
            StatusTable {
                operation: operation.to_owned(),
                state: "/state".to_owned(),
                type_name: "State".to_owned(),
                phases: vec![("DONE".to_owned(), phase)],
            },
        )
    }

    #[test]
    fn tables_of_one_enum_merge_when_they_agree_and_are_refused_when_not() {
        let merged = merge([Ok(table("a", "succeeded")), Ok(table("b", "succeeded"))]);
        assert_eq!(merged.map(|t| t.len()), Ok(1));
        let refused = merge([Ok(table("a", "succeeded")), Ok(table("b", "failed"))])
            .expect_err("disagreeing tables");
        assert_eq!(refused[0].location, "/b");
        assert!(refused[0].message.contains("than in the table of a"));
    }

    #[test]
    fn the_phase_method_matches_every_listed_value_and_unlisted_is_unknown() {
        let (_, mut state) = table("get_run", "succeeded");
        state.phases = vec![
            ("not-started".to_owned(), "pending"),
            ("EMPTY".to_owned(), "unknown"),
            ("done".to_owned(), "succeeded"),
        ];
        let text = render(&[state.clone()], &quote!(::rt)).to_string();
        assert!(text.contains("Self :: NotStarted => :: rt :: Phase :: Pending"));
        assert!(text.contains("Self :: Done => :: rt :: Phase :: Succeeded"));
        assert!(text.contains("Self :: Empty | Self :: Unlisted (_) => :: rt :: Phase :: Unknown"));
        assert_eq!(
            digest_lines(&[state])[0],
            ("phase State.NotStarted".to_owned(), "pending".to_owned())
        );
    }
}
