//! NETWORK.toml: a backbone from a nodes CSV, a links CSV and (optionally) a CSV of the waypoints
//! along each link, plus the `[signal]`, `[transceiver]`, `[defaults]`, `[constraints]` and
//! `[fiber_types.*]` tables of ROUTE.toml, `[terrain.CLASS]` fibre defaults and `[transceivers.NAME]`.

use std::collections::BTreeMap;
use std::path::Path;

use super::csv_table::CsvTable;
use super::error::InputError;
use super::input_file::read_input_text;
use super::link_file::{
    limits, read_fiber, read_shared_tables, read_span_template, ModulationKey, SharedTables,
    STRETCH_KEYS,
};
use super::route_file::read_constraints;
use super::toml_access::{parse_document, Range, Section};
use crate::budget::SignalFormat;
use crate::design::{Waypoint, MAX_CANDIDATE_SITES};
use crate::display::{format_number, quote_user_text};
use crate::network::{
    haversine_km, LinkPlan, NetworkPlan, Node, NodeKind, TerrainClass, TransceiverType,
};
use crate::transceiver::TransceiverRequirements;

/// The built-in transceiver catalogue (values: `examples/peru/README.md` and the Peru parameters
/// file, section 7: OpenROADM / GNPy equipment files; CD and PMD at their 0.5 dB penalty points).
pub fn builtin_transceivers() -> Vec<(String, TransceiverType)> {
    let trx = |osnr: f64,
               rate: f64,
               spacing: f64,
               cd: f64,
               pmd: f64,
               tx: f64,
               modulation: Option<SignalFormat>| TransceiverType {
        requirements: TransceiverRequirements {
            required_osnr_db: Some(osnr),
            system_margin_db: 2.0,
            tx_osnr_db: Some(tx),
            rx_sensitivity_dbm: None,
            cd_tolerance_ps_nm: Some(cd),
            pmd_tolerance_ps: Some(pmd),
        },
        symbol_rate_gbaud: rate,
        spacing_ghz: spacing,
        modulation,
    };
    vec![
        // 10G NRZ-OOK with GFEC: 16 dB; uncompensated CD tolerance 800 ps/nm (Huawei OSN 7500).
        (
            "10G-NRZ".to_string(),
            trx(16.0, 10.7, 50.0, 800.0, 10.0, 40.0, None),
        ),
        // 100G DP-QPSK oFEC, 31.57 GBd: 12 dB, CD 48,000 ps/nm, PMD 30 ps (OpenROADM).
        (
            "100G-DP-QPSK".to_string(),
            trx(
                12.0,
                31.57,
                50.0,
                48_000.0,
                30.0,
                36.0,
                Some(SignalFormat::DpQpsk),
            ),
        ),
        // 200G DP-16QAM, 31.57 GBd: 20.5 dB (OpenROADM); CD as the 100G oFEC mode (APPROXIMATED).
        (
            "200G-DP-16QAM".to_string(),
            trx(
                20.5,
                31.57,
                50.0,
                48_000.0,
                30.0,
                36.0,
                Some(SignalFormat::Dp16Qam),
            ),
        ),
        // 400G DP-16QAM, 63.1 GBd on 75 GHz: 24 dB, CD 12,000 ps/nm (OpenROADM), PMD 30 ps.
        (
            "400G-DP-16QAM".to_string(),
            trx(
                24.0,
                63.1,
                75.0,
                12_000.0,
                30.0,
                36.0,
                Some(SignalFormat::Dp16Qam),
            ),
        ),
    ]
}

/// A network file read and validated (its links not designed yet:
/// [`NetworkPlan::design_links`]).
pub struct NetworkInput {
    /// The network as read.
    pub plan: NetworkPlan,
    /// Links left out (hypothetical), as `A-B`.
    pub excluded: Vec<String>,
    /// The files read: NETWORK.toml and its CSVs (outputs must not overwrite them).
    pub files: Vec<std::path::PathBuf>,
}

/// Reads NETWORK.toml and the CSV files it names (relative to it).
pub fn read_network(path: &Path) -> Result<NetworkInput, InputError> {
    read_network_with(path, false)
}

/// [`read_network`], with the hypothetical links kept whatever the file's
/// `include_hypothetical` says when `include_hypothetical` is true (`--include-hypothetical`).
pub fn read_network_with(
    path: &Path,
    include_hypothetical: bool,
) -> Result<NetworkInput, InputError> {
    let file = path.display().to_string();
    let text = read_input_text(path)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let document = parse_document(&text).map_err(|e| e.in_file(&file))?;
    let mut input =
        network_from_table_with(&document, &base, include_hypothetical).map_err(|e| {
            if e.file.is_empty() {
                e.in_file(&file)
            } else {
                e
            }
        })?;
    input.files.insert(0, path.to_path_buf());
    Ok(input)
}

/// Validates a parsed NETWORK.toml document; CSV paths are relative to `base`.
pub fn network_from_table(document: &toml::Table, base: &Path) -> Result<NetworkInput, InputError> {
    network_from_table_with(document, base, false)
}

/// [`network_from_table`], keeping the hypothetical links when `include_hypothetical` is true.
fn network_from_table_with(
    document: &toml::Table,
    base: &Path,
    include_hypothetical: bool,
) -> Result<NetworkInput, InputError> {
    let file = String::new();
    let root = Section::new(document, "");
    let in_file = |e: InputError| {
        if e.file.is_empty() {
            e.in_file(&file)
        } else {
            e
        }
    };
    (|| {
        root.deny_unknown(&[
            "name",
            "nodes",
            "links",
            "segments",
            "waypoints",
            "include_hypothetical",
            "default_route_factor",
            "default_transceiver",
            "signal",
            "transceiver",
            "defaults",
            "constraints",
            "fiber_types",
            "terrain",
            "transceivers",
        ])?;
        let SharedTables {
            name,
            grid,
            launch_power_dbm,
            nli_model,
            transceiver: default_trx,
            fibers,
            defaults,
        } = read_shared_tables(&root, &[], ModulationKey::Defaults(SignalFormat::Gaussian))?;
        let template = read_span_template(defaults, &fibers, &grid)?;
        let (constraints, hut_spacing_km) = read_constraints(&root)?;
        let include_hypothetical =
            include_hypothetical || root.boolean("include_hypothetical")?.unwrap_or(false);
        let route_factor = root
            .number("default_route_factor", Range::closed(1.0, 5.0, ""))?
            .unwrap_or(1.3);

        // Terrain classes: fibre overrides and a lumped loss per stretch.
        let mut terrains: BTreeMap<String, TerrainClass> = BTreeMap::new();
        if let Some(table) = root.table("terrain")? {
            for (class, value) in table {
                let path = format!("terrain.{class}");
                let toml::Value::Table(t) = value else {
                    return Err(InputError::at(path, "must be a table"));
                };
                let s = Section::new(t, &path);
                s.deny_unknown(&STRETCH_KEYS)?;
                let fiber = read_fiber(&s, defaults, &fibers, &grid)?;
                let extra = s.number("extra_loss_db", limits::LOSS)?.unwrap_or(0.0);
                terrains.insert(
                    class.clone(),
                    TerrainClass {
                        fiber,
                        extra_loss_db: extra,
                    },
                );
            }
        }

        // Transceivers: built-in, then overrides and additions.
        let mut transceivers = builtin_transceivers();
        if let Some(table) = root.table("transceivers")? {
            for (trx_name, value) in table {
                let path = format!("transceivers.{trx_name}");
                let toml::Value::Table(t) = value else {
                    return Err(InputError::at(path, "must be a table"));
                };
                let s = Section::new(t, &path);
                s.deny_unknown(&[
                    "required_osnr_db",
                    "system_margin_db",
                    "tx_osnr_db",
                    "rx_sensitivity_dbm",
                    "cd_tolerance_ps_nm",
                    "pmd_tolerance_ps",
                    "symbol_rate_gbaud",
                    "spacing_ghz",
                    "modulation",
                ])?;
                let base = transceivers
                    .iter()
                    .find(|(n, _)| n == trx_name)
                    .map(|(_, t)| t.clone());
                let r = base
                    .as_ref()
                    .map(|b| b.requirements.clone())
                    .unwrap_or_default();
                let rate = s
                    .number("symbol_rate_gbaud", limits::SYMBOL_RATE)?
                    .or(base.as_ref().map(|b| b.symbol_rate_gbaud));
                let spacing = s
                    .number("spacing_ghz", limits::SPACING)?
                    .or(base.as_ref().map(|b| b.spacing_ghz));
                let (Some(symbol_rate_gbaud), Some(spacing_ghz)) = (rate, spacing) else {
                    return Err(InputError::at(
                        s.key_path("symbol_rate_gbaud"),
                        "a new transceiver needs symbol_rate_gbaud and spacing_ghz",
                    ));
                };
                if spacing_ghz < symbol_rate_gbaud {
                    return Err(InputError::at(
                        s.key_path("spacing_ghz"),
                        format!("must be ≥ symbol_rate_gbaud ({symbol_rate_gbaud})"),
                    ));
                }
                let t = TransceiverType {
                    requirements: TransceiverRequirements {
                        required_osnr_db: s
                            .number("required_osnr_db", limits::OSNR)?
                            .or(r.required_osnr_db),
                        system_margin_db: s
                            .number("system_margin_db", limits::MARGIN)?
                            .unwrap_or(r.system_margin_db),
                        tx_osnr_db: s.number("tx_osnr_db", limits::OSNR)?.or(r.tx_osnr_db),
                        rx_sensitivity_dbm: s
                            .number("rx_sensitivity_dbm", limits::SENSITIVITY)?
                            .or(r.rx_sensitivity_dbm),
                        cd_tolerance_ps_nm: s
                            .number("cd_tolerance_ps_nm", limits::CD_TOLERANCE)?
                            .or(r.cd_tolerance_ps_nm),
                        pmd_tolerance_ps: s
                            .number("pmd_tolerance_ps", limits::PMD_TOLERANCE)?
                            .or(r.pmd_tolerance_ps),
                    },
                    symbol_rate_gbaud,
                    spacing_ghz,
                    modulation: match s.string("modulation")? {
                        None => base.as_ref().and_then(|b| b.modulation),
                        Some(name) => Some(SignalFormat::from_name(name).ok_or_else(|| {
                            InputError::at(
                                s.key_path("modulation"),
                                format!(
                                    "unknown modulation `{}` (allowed: {})",
                                    quote_user_text(name),
                                    SignalFormat::NAMES.join(", ")
                                ),
                            )
                        })?),
                    },
                };
                match transceivers.iter_mut().find(|(n, _)| n == trx_name) {
                    Some(slot) => slot.1 = t,
                    None => transceivers.push((trx_name.clone(), t)),
                }
            }
        }
        let default_transceiver = match root.string("default_transceiver")? {
            Some(n) if transceivers.iter().any(|(t, _)| t == n) => n.to_string(),
            Some(n) => {
                let known: Vec<&str> = transceivers.iter().map(|(t, _)| t.as_str()).collect();
                return Err(InputError::at(
                    "default_transceiver",
                    format!("unknown transceiver `{}` (known: {})", quote_user_text(n), known.join(", ")),
                ));
            }
            None => "100G-DP-QPSK".to_string(),
        };
        // A [transceiver] table replaces the default transceiver's requirements.
        if root.table("transceiver")?.is_some() {
            if let Some(slot) = transceivers
                .iter_mut()
                .find(|(n, _)| *n == default_transceiver)
            {
                slot.1.requirements = default_trx;
            }
        }

        let nodes_file = root
            .string("nodes")?
            .ok_or_else(|| InputError::at("nodes", "missing (the nodes CSV file)"))?;
        let links_file = root
            .string("links")?
            .ok_or_else(|| InputError::at("links", "missing (the links CSV file)"))?;
        let nodes = read_nodes(&base.join(nodes_file))?;
        let mut files = vec![
            base.join(nodes_file),
            base.join(links_file),
        ];
        let segments = match root.string("segments")? {
            Some(f) => {
                files.push(base.join(f));
                Some(CsvTable::read(&base.join(f))?)
            }
            None => None,
        };
        let design_transceiver = transceivers
            .iter()
            .find(|(n, _)| *n == default_transceiver)
            .map(|(_, t)| t.clone())
            .ok_or_else(|| InputError::at("default_transceiver", "not in the catalogue"))?;
        let link_rows = read_links(&base.join(links_file), &nodes, route_factor, &fibers)?;
        // Where the places along the links are (for maps and GeoJSON): the nodes, and the
        // optional waypoints CSV (`name`, `lat`, `lon`).
        let mut places: BTreeMap<String, (f64, f64)> = nodes
            .iter()
            .map(|n| (n.name.clone(), (n.lat_deg, n.lon_deg)))
            .collect();
        if let Some(f) = root.string("waypoints")? {
            files.push(base.join(f));
            for (name, position) in read_places(&base.join(f))? {
                places.entry(name).or_insert(position);
            }
        }
        let candidate_sites: f64 = link_rows
            .iter()
            .filter(|row| include_hypothetical || !row.hypothetical)
            .map(|row| row.route_km / hut_spacing_km)
            .sum();
        if candidate_sites > MAX_CANDIDATE_SITES {
            return Err(InputError::at(
                "constraints.site_spacing_km",
                format!(
                    "the links' route km at a hut every {} km make {} candidate sites; at most {} (use a larger spacing)",
                    format_number(hut_spacing_km, 3),
                    format_number(candidate_sites.ceil(), 0),
                    format_number(MAX_CANDIDATE_SITES, 0)
                ),
            )
            .in_file(&file));
        }
        let mut links = Vec::new();
        let mut excluded = Vec::new();
        for row in link_rows {
            if row.hypothetical && !include_hypothetical {
                excluded.push(format!("{}-{}", nodes[row.a].name, nodes[row.b].name));
                continue;
            }
            let waypoints = match &segments {
                Some(table) => {
                    waypoints_of(table, &nodes[row.a].name, &nodes[row.b].name, row.route_km)?
                }
                None => Vec::new(),
            };
            let (a, b) = (&nodes[row.a], &nodes[row.b]);
            let mut trace_deg = vec![(a.lat_deg, a.lon_deg)];
            trace_deg.extend(waypoints.iter().filter_map(|w| places.get(&w.name).copied()));
            if trace_deg.last() != Some(&(b.lat_deg, b.lon_deg)) {
                trace_deg.push((b.lat_deg, b.lon_deg));
            }
            links.push(LinkPlan {
                a: row.a,
                b: row.b,
                route_km: row.route_km,
                terrain: row.terrain,
                corridors: row.corridors,
                hypothetical: row.hypothetical,
                fiber: row.fiber,
                waypoints,
                trace_deg,
            });
        }
        let plan = NetworkPlan {
            name,
            nodes,
            links,
            grid,
            launch_power_dbm,
            nli_model,
            transceivers,
            default_transceiver,
            design_transceiver,
            template,
            terrains,
            hut_spacing_km,
            constraints,
        };
        Ok(NetworkInput {
            plan,
            excluded,
            files,
        })
    })()
    .map_err(in_file)
}

/// The `name`, `lat` and `lon` columns of a places or nodes CSV.
fn place_columns(t: &CsvTable) -> Result<[Option<usize>; 3], InputError> {
    Ok([
        t.column("name", true)?,
        t.column("lat", true)?,
        t.column("lon", true)?,
    ])
}

/// The name and position `(lat, lon)` on one row (`what`: node, place).
fn named_position<'a>(
    t: &CsvTable,
    (line, fields): (u64, &'a [String]),
    [name, lat, lon]: [Option<usize>; 3],
    what: &str,
) -> Result<(&'a str, (f64, f64)), InputError> {
    let n = t
        .text(fields, name)
        .ok_or_else(|| t.error(line, name, format!("empty {what} name")))?;
    let lat_deg = t
        .number(line, fields, lat, -90.0, 90.0)?
        .ok_or_else(|| t.error(line, lat, "missing latitude (−90 to 90)"))?;
    let lon_deg = t
        .number(line, fields, lon, -180.0, 180.0)?
        .ok_or_else(|| t.error(line, lon, "missing longitude (−180 to 180)"))?;
    Ok((n, (lat_deg, lon_deg)))
}

fn read_nodes(path: &Path) -> Result<Vec<Node>, InputError> {
    let t = CsvTable::read(path)?;
    let columns = place_columns(&t)?;
    let alt = t.column("alt_m", false)?;
    let kind = t.column("kind", false)?;
    let population = t.column("population", false)?;
    let code = t.column("inei", false)?;
    let international = t.column("international", false)?;
    let mut nodes: Vec<Node> = Vec::new();
    for (line, fields) in &t.rows {
        let (n, (lat_deg, lon_deg)) = named_position(&t, (*line, fields), columns, "node")?;
        if nodes.iter().any(|x| x.name == n) {
            return Err(t.error(
                *line,
                columns[0],
                format!("duplicate node `{}`", quote_user_text(n)),
            ));
        }
        let alt_m = t.number(*line, fields, alt, -500.0, 9000.0)?.unwrap_or(0.0);
        let kind_text = t.text(fields, kind).unwrap_or("node");
        let kind = NodeKind::from_name(kind_text).ok_or_else(|| {
            let names: Vec<&str> = NodeKind::ALL.iter().map(|k| k.name()).collect();
            t.error(
                *line,
                kind,
                format!(
                    "unknown kind `{}` (allowed: {})",
                    quote_user_text(kind_text),
                    names.join(", ")
                ),
            )
        })?;
        let international = match t.text(fields, international).unwrap_or("") {
            "" | "no" | "false" => false,
            "yes" | "true" => true,
            other => {
                return Err(t.error(
                    *line,
                    international,
                    format!(
                        "`{}`: expected yes or no (or empty)",
                        quote_user_text(other)
                    ),
                ))
            }
        };
        nodes.push(Node {
            population: t.number(*line, fields, population, 0.0, 1e9)?,
            code: t.text(fields, code).map(str::to_string),
            international,
            kind,
            ..Node::at(n, lat_deg, lon_deg, alt_m)
        });
    }
    if nodes.len() < 2 {
        return Err(t.error(1, None, "at least two nodes are needed"));
    }
    Ok(nodes)
}

/// A named place and its position `(lat, lon)`, degrees.
type Place = (String, (f64, f64));

/// Names and positions from a CSV with `name`, `lat`, `lon` (other columns ignored).
fn read_places(path: &Path) -> Result<Vec<Place>, InputError> {
    let t = CsvTable::read(path)?;
    let columns = place_columns(&t)?;
    t.rows
        .iter()
        .map(|(line, fields)| {
            named_position(&t, (*line, fields), columns, "place")
                .map(|(name, position)| (name.to_string(), position))
        })
        .collect()
}

struct LinkRow {
    a: usize,
    b: usize,
    route_km: f64,
    terrain: String,
    corridors: Vec<String>,
    hypothetical: bool,
    fiber: Option<crate::fiber::FiberParams>,
}

fn read_links(
    path: &Path,
    nodes: &[Node],
    default_factor: f64,
    fibers: &super::link_file::FiberCatalogue,
) -> Result<Vec<LinkRow>, InputError> {
    let t = CsvTable::read(path)?;
    let (ca, cb) = (t.column("a", true)?, t.column("b", true)?);
    let route = t.column("route_km", false)?;
    let gc = t.column("great_circle_km", false)?;
    let factor = t.column("route_factor", false)?;
    let terrain = t.column("terrain", false)?;
    let corridors = t.column("corridors", false)?;
    let status = t.column("status", false)?;
    let fiber = t.column("fiber", false)?;
    let node = |line: u64, fields: &[String], column: Option<usize>| -> Result<usize, InputError> {
        let name = t.text(fields, column).unwrap_or("");
        nodes.iter().position(|n| n.name == name).ok_or_else(|| {
            t.error(
                line,
                column,
                format!(
                    "unknown node `{}` (not in the nodes file)",
                    quote_user_text(name)
                ),
            )
        })
    };
    let mut rows: Vec<LinkRow> = Vec::new();
    for (line, fields) in &t.rows {
        let (a, b) = (node(*line, fields, ca)?, node(*line, fields, cb)?);
        if a == b {
            return Err(t.error(*line, cb, "a link must join two different nodes"));
        }
        if rows
            .iter()
            .any(|r| (r.a, r.b) == (a, b) || (r.a, r.b) == (b, a))
        {
            return Err(t.error(*line, cb, "duplicate link"));
        }
        let f = t
            .number(*line, fields, factor, 1.0, 5.0)?
            .unwrap_or(default_factor);
        let route_km = match t.number(*line, fields, route, 0.001, 1e5)? {
            Some(km) => km,
            None => {
                let great_circle = match t.number(*line, fields, gc, 0.001, 1e5)? {
                    Some(km) => km,
                    None => haversine_km(
                        nodes[a].lat_deg,
                        nodes[a].lon_deg,
                        nodes[b].lat_deg,
                        nodes[b].lon_deg,
                    ),
                };
                great_circle * f
            }
        };
        let long_enough = route_km >= 0.001;
        if !long_enough {
            return Err(t.error(
                *line,
                cb,
                format!(
                    "the link {} – {} has no length: the two nodes are {} km apart (give route_km, 0.001–100000 km, or correct the coordinates)",
                    quote_user_text(&nodes[a].name),
                    quote_user_text(&nodes[b].name),
                    format_number(route_km, 4)
                ),
            ));
        }
        let status_text = t.text(fields, status).unwrap_or("");
        if !["", "planned", "built", "hypothetical"].contains(&status_text) {
            return Err(t.error(
                *line,
                status,
                format!(
                    "unknown status `{}` (allowed: built, planned, hypothetical)",
                    quote_user_text(status_text)
                ),
            ));
        }
        rows.push(LinkRow {
            a,
            b,
            route_km,
            terrain: t.text(fields, terrain).unwrap_or("").to_string(),
            corridors: t
                .text(fields, corridors)
                .map(|c| {
                    c.split('|')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            hypothetical: status_text == "hypothetical",
            fiber: match t.text(fields, fiber) {
                None => None,
                Some(name) => Some(fibers.get(name).cloned().ok_or_else(|| {
                    let known: Vec<&str> = fibers.keys().map(String::as_str).collect();
                    t.error(
                        *line,
                        fiber,
                        format!(
                            "unknown fibre type `{}` (known: {})",
                            quote_user_text(name),
                            known.join(", ")
                        ),
                    )
                })?),
            },
        });
    }
    Ok(rows)
}

/// Waypoints along the link from `a` to `b`, segment lengths scaled to the link's route length.
fn waypoints_of(
    t: &CsvTable,
    a: &str,
    b: &str,
    route_km: f64,
) -> Result<Vec<Waypoint>, InputError> {
    let (la, lb) = (t.column("link_a", true)?, t.column("link_b", true)?);
    let to = t.column("to", true)?;
    let km = t.column("route_km", true)?;
    let class = t.column("class", false)?;
    let mut out = Vec::new();
    let mut total = 0.0;
    for (line, fields) in &t.rows {
        let (x, y) = (
            t.text(fields, la).unwrap_or(""),
            t.text(fields, lb).unwrap_or(""),
        );
        if (x, y) != (a, b) {
            continue;
        }
        let length = t
            .number(*line, fields, km, 0.001, 1e5)?
            .ok_or_else(|| t.error(*line, km, "missing route_km"))?;
        total += length;
        let terrain = t
            .text(fields, class)
            .unwrap_or("")
            .split('(')
            .next()
            .unwrap_or("")
            .to_string();
        out.push((t.text(fields, to).unwrap_or("").to_string(), total, terrain));
    }
    if out.is_empty() {
        return Ok(Vec::new());
    }
    let scale = route_km / total;
    Ok(out
        .into_iter()
        .map(|(name, km, terrain)| Waypoint {
            name,
            km: km * scale,
            terrain,
        })
        .collect())
}
