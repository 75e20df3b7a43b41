//! ROUTE.toml: a route with candidate sites for `fibra design`; the same `[signal]`,
//! `[transceiver]`, `[defaults]` and `[fiber_types.*]` tables as LINK.toml.

use std::path::Path;

use super::error::InputError;
use super::link_file::{
    limits, read_fiber, read_shared_tables, read_span_template, ModulationKey, SharedTables,
    STRETCH_KEYS,
};
use super::toml_access::{parse_document, read_toml_file, Range, Section};
use crate::design::MAX_CANDIDATE_SITES;
use crate::design::{Constraints, Route, RouteStretch, Site, SiteKind};
use crate::display::format_number;
use crate::display::{format_value, quote_user_text};

/// Reads and validates a ROUTE.toml file.
pub fn read_route(path: &Path) -> Result<Route, InputError> {
    read_toml_file(path, route_from_table)
}

const KM: Range = Range::closed(0.0, 1e6, "km");

/// Parses and validates ROUTE.toml text.
pub fn parse_route(text: &str) -> Result<Route, InputError> {
    route_from_table(&parse_document(text)?)
}

/// Validates a parsed ROUTE.toml document.
pub fn route_from_table(document: &toml::Table) -> Result<Route, InputError> {
    let root = Section::new(document, "");
    root.deny_unknown(&[
        "name",
        "length_km",
        "signal",
        "transceiver",
        "defaults",
        "fiber_types",
        "constraints",
        "site",
        "section",
    ])?;
    let SharedTables {
        name,
        grid,
        launch_power_dbm,
        nli_model,
        transceiver,
        fibers,
        defaults,
    } = read_shared_tables(&root, &[], ModulationKey::Required)?;
    let template = read_span_template(defaults, &fibers, &grid)?;
    let constraints = read_constraints(&root)?;

    let site_tables = root.array_of_tables("site")?.unwrap_or_default();
    if site_tables.len() < 2 {
        return Err(InputError::at(
            "site",
            "at least two [[site]] tables (the two terminals) are required",
        ));
    }
    let mut sites = Vec::with_capacity(site_tables.len());
    for (i, table) in site_tables.iter().enumerate() {
        let path = format!("site[{i}]");
        let s = Section::new(table, &path);
        s.deny_unknown(&["name", "km", "kind"])?;
        let name = s
            .string("name")?
            .ok_or_else(|| InputError::at(s.key_path("name"), "missing (a string)"))?;
        let km = s.required_number("km", KM)?;
        let kind = match s.string("kind")?.unwrap_or("hut") {
            "terminal" => SiteKind::Terminal,
            "node" => SiteKind::Node,
            "hut" => SiteKind::Hut,
            other => {
                return Err(InputError::at(
                    s.key_path("kind"),
                    format!(
                        "unknown kind `{}` (allowed: terminal, node, hut)",
                        quote_user_text(other)
                    ),
                ))
            }
        };
        if let Some(previous) = sites.last().map(|p: &Site| p.km) {
            if km <= previous {
                return Err(InputError::at(
                    s.key_path("km"),
                    format!("sites must be in route order with distinct positions: {km} km does not come after {previous} km"),
                ));
            }
        }
        let first_or_last = i == 0 || i + 1 == site_tables.len();
        if first_or_last != (kind == SiteKind::Terminal) {
            return Err(InputError::at(
                s.key_path("kind"),
                "the first and last sites must be `terminal`, and only they",
            ));
        }
        sites.push(Site {
            name: name.to_string(),
            km,
            kind,
        });
    }
    let route_end = sites[sites.len() - 1].km;
    if let Some(length_km) = root.number("length_km", Range::above(0.0, 1e6, "km"))? {
        if let Some((i, site)) = sites.iter().enumerate().find(|(_, s)| s.km > length_km) {
            return Err(InputError::at(
                format!("site[{i}].km"),
                format!(
                    "{} km is beyond the route end (length_km = {length_km})",
                    site.km
                ),
            ));
        }
        if route_end < length_km {
            return Err(InputError::at(
                format!("site[{}].km", sites.len() - 1),
                format!("the last terminal must be at the route end (length_km = {length_km})"),
            ));
        }
    }
    if sites.len() == 2 {
        let count = (sites[1].km - sites[0].km) / constraints.1;
        if count > MAX_CANDIDATE_SITES {
            return Err(InputError::at(
                "constraints.site_spacing_km",
                format!(
                    "{} km of route at a site every {} km makes {} candidate sites; at most {} (use a larger spacing)",
                    format_number(sites[1].km - sites[0].km, 3),
                    format_number(constraints.1, 3),
                    format_number(count.ceil(), 0),
                    format_number(MAX_CANDIDATE_SITES, 0)
                ),
            ));
        }
        sites = regular_sites(&sites[0], &sites[1], constraints.1);
    }

    let mut sections: Vec<RouteStretch> = Vec::new();
    for (i, table) in root
        .array_of_tables("section")?
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let path = format!("section[{i}]");
        let s = Section::new(table, &path);
        let mut allowed = vec!["from_km", "to_km"];
        allowed.extend_from_slice(&STRETCH_KEYS);
        s.deny_unknown(&allowed)?;
        let from_km = s.required_number("from_km", KM)?;
        let to_km = s.required_number("to_km", KM)?;
        if from_km >= to_km {
            return Err(InputError::at(
                s.key_path("to_km"),
                format!(
                    "must be greater than from_km ({from_km}) (got {})",
                    format_value(to_km)
                ),
            ));
        }
        if from_km < sites[0].km || to_km > route_end {
            return Err(InputError::at(
                s.key_path("to_km"),
                format!(
                    "the section {from_km}–{to_km} km lies outside the route ({}–{route_end} km)",
                    sites[0].km
                ),
            ));
        }
        if let Some(previous) = sections.last() {
            if from_km < previous.to_km {
                return Err(InputError::at(
                    s.key_path("from_km"),
                    format!(
                        "sections must be in order without overlap ({from_km} km < {} km)",
                        previous.to_km
                    ),
                ));
            }
        }
        let fiber = read_fiber(&s, defaults, &fibers, &grid)?;
        let extra_loss_db = s.number("extra_loss_db", limits::LOSS)?.unwrap_or(0.0);
        sections.push(RouteStretch {
            from_km,
            to_km,
            fiber,
            extra_loss_db,
        });
    }
    Ok(Route {
        name,
        grid,
        launch_power_dbm,
        nli_model,
        transceiver,
        template,
        sites,
        stretches: sections,
        constraints: constraints.0,
    })
}

/// Reads `[constraints]`: the span constraints and the candidate-site spacing.
pub(crate) fn read_constraints(root: &Section) -> Result<(Constraints, f64), InputError> {
    let table = root.table("constraints")?.ok_or_else(|| {
        InputError::at(
            "constraints",
            "missing table [constraints] (max_span_loss_db, …)",
        )
    })?;
    let c = Section::new(table, "constraints");
    c.deny_unknown(&[
        "max_span_loss_db",
        "min_span_loss_db",
        "max_span_km",
        "site_spacing_km",
    ])?;
    let max_span_loss_db = c.required_number("max_span_loss_db", Range::above(0.0, 100.0, "dB"))?;
    let min_span_loss_db = c.number("min_span_loss_db", Range::closed(0.0, 100.0, "dB"))?;
    if min_span_loss_db.is_some_and(|m| m >= max_span_loss_db) {
        return Err(InputError::at(
            "constraints.min_span_loss_db",
            format!("must be below max_span_loss_db ({max_span_loss_db})"),
        ));
    }
    let max_span_km = c.number("max_span_km", Range::above(0.0, 1e4, "km"))?;
    let spacing = c
        .number("site_spacing_km", Range::closed(0.01, 1e4, "km"))?
        .unwrap_or(1.0);
    Ok((
        Constraints {
            max_span_loss_db,
            min_span_loss_db,
            max_span_km,
        },
        spacing,
    ))
}

/// Candidate sites every `spacing_km` between two terminals (huts named by their position).
fn regular_sites(start: &Site, end: &Site, spacing_km: f64) -> Vec<Site> {
    let count = ((end.km - start.km) / spacing_km - 1e-9).ceil() as usize;
    let mut sites = vec![start.clone()];
    for k in 1..count {
        let km = start.km + k as f64 * spacing_km;
        sites.push(Site {
            name: format!("km {}", (km * 1e6).round() / 1e6),
            km,
            kind: SiteKind::Hut,
        });
    }
    sites.push(end.clone());
    sites
}
