//! The edits `new-vendor` makes to the facade's hand-written lists of vendors: the
//! `Vendor` enum (`vendor.rs`) and the crate re-exports with the feature lists that gate
//! shared code (`lib.rs`). Each edit finds its place by the code around it and fails with
//! what to add by hand when that code has changed.

use anyhow::{Context, Result, bail};

/// `vendor.rs` with the variant `type_name` (crate `name`) in `Vendor`, `Vendor::ALL` and
/// `Vendor::as_str`.
pub fn add_vendor_variant(
    source: &str,
    name: &str,
    type_name: &str,
    title: &str,
) -> Result<String> {
    let by_hand = || format!("add {type_name} to Vendor, Vendor::ALL and Vendor::as_str by hand");
    let enum_start = source.find("pub enum Vendor {").with_context(by_hand)?;
    let enum_end = enum_start + source[enum_start..].find("\n}\n").with_context(by_hand)?;
    let mut out = String::new();
    out.push_str(&source[..enum_end]);
    out.push_str(&format!("\n    /// {title}.\n    {type_name},"));
    let rest = &source[enum_end..];

    let all_start = rest
        .find("pub const ALL: [Vendor; ")
        .with_context(by_hand)?;
    let count_start = all_start + "pub const ALL: [Vendor; ".len();
    let count_end = count_start + rest[count_start..].find(']').with_context(by_hand)?;
    let count: usize = rest[count_start..count_end]
        .trim()
        .parse()
        .with_context(by_hand)?;
    let list_end = count_end + rest[count_end..].find("\n    ];").with_context(by_hand)?;
    // `ALL` is in the order of the crate names, which their Pascal-case names keep.
    let entry = format!("\n        Vendor::{type_name},");
    let at = rest[count_end..list_end]
        .match_indices("\n        Vendor::")
        .map(|(at, _)| count_end + at)
        .find(|at| rest[*at..list_end].trim_start() > entry.trim_start())
        .unwrap_or(list_end);
    out.push_str(&rest[..count_start]);
    out.push_str(&(count + 1).to_string());
    out.push_str(&rest[count_end..at]);
    out.push_str(&entry);
    out.push_str(&rest[at..list_end]);
    let rest = &rest[list_end..];

    let arms_start = rest.find("pub fn as_str(self)").with_context(by_hand)?;
    let last_arm = rest[arms_start..]
        .find("\n        }\n")
        .map(|end| arms_start + end)
        .with_context(by_hand)?;
    out.push_str(&rest[..last_arm]);
    out.push_str(&format!("\n            Vendor::{type_name} => \"{name}\","));
    out.push_str(&rest[last_arm..]);
    if out.matches(&format!("Vendor::{type_name}")).count() != 2 {
        bail!("{}", by_hand());
    }
    Ok(out)
}

/// `lib.rs` with the feature `name` in the list that gates code shared by every vendor
/// (and, for a REST vendor, the one that gates code shared by the REST vendors), and the
/// vendor crate `snake` re-exported behind its feature.
pub fn add_reexport(source: &str, name: &str, snake: &str, rest: bool) -> Result<String> {
    let by_hand = || {
        format!(
            "add `pub use {snake};` behind the feature {name}, and the feature to the cfg(any(...)) lists of lib.rs, by hand"
        )
    };
    let feature = format!("feature = \"{name}\"");
    // Both lists end with a feature and no comma: `...feature = "x"\n))]` for every vendor,
    // `...feature = "x"\n    )),` for the REST vendors.
    let all_end = source.find("\"\n))]").with_context(by_hand)? + 1;
    let mut out = format!(
        "{},\n    {feature}{}",
        &source[..all_end],
        &source[all_end..]
    );
    if rest {
        let rest_end = out.find("\"\n    )),").with_context(by_hand)? + 1;
        out = format!(
            "{},\n        {feature}{}",
            &out[..rest_end],
            &out[rest_end..]
        );
    }
    let last_use = out
        .match_indices("pub use ")
        .filter(|(at, _)| out[..*at].ends_with(")]\n"))
        .last()
        .map(|(at, _)| at)
        .with_context(by_hand)?;
    let line_end = last_use + out[last_use..].find('\n').with_context(by_hand)? + 1;
    out.insert_str(line_end, &format!("#[cfg({feature})]\npub use {snake};\n"));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VENDOR: &str = include_str!("../../../crates/jobstatus/src/vendor.rs");
    const LIB: &str = include_str!("../../../crates/jobstatus/src/lib.rs");

    #[test]
    fn the_facade_vendor_enum_gets_its_variant_everywhere_it_is_listed() {
        let edited = add_vendor_variant(
            VENDOR,
            "ga4gh-tes",
            "Ga4ghTes",
            "GA4GH Task Execution Service",
        )
        .expect("vendor.rs edited");
        syn::parse_file(&edited).expect("still Rust");
        assert!(edited.contains("    /// GA4GH Task Execution Service.\n    Ga4ghTes,\n}"));
        assert!(edited.contains("pub const ALL: [Vendor; 6] = ["));
        assert!(edited.contains(
            "        Vendor::ElmaRpa,\n        Vendor::Ga4ghTes,\n        Vendor::Ga4ghWes,\n"
        ));
        assert!(edited.contains("            Vendor::Ga4ghTes => \"ga4gh-tes\",\n        }"));
    }

    #[test]
    fn the_facade_reexports_the_crate_and_lists_its_feature() {
        let edited = add_reexport(LIB, "ga4gh-tes", "ga4gh_tes", true).expect("lib.rs edited");
        syn::parse_file(&edited).expect("still Rust");
        assert_eq!(
            edited.matches("feature = \"ga4gh-tes\"").count(),
            3,
            "{edited}"
        );
        assert!(
            edited.contains(
                "pub use infor_rpa;\n#[cfg(feature = \"ga4gh-tes\")]\npub use ga4gh_tes;\n"
            )
        );
        let soap = add_reexport(LIB, "acme-soap", "acme_soap", false).expect("lib.rs edited");
        assert_eq!(soap.matches("feature = \"acme-soap\"").count(), 2, "{soap}");
    }

    #[test]
    fn code_that_moved_is_named_as_an_edit_by_hand() {
        let error = add_vendor_variant("pub enum Other {}\n", "x", "X", "X").expect_err("no enum");
        assert!(error.to_string().contains("by hand"), "{error}");
    }
}
