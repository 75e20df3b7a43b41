//! A designed network as GeoJSON (RFC 7946: WGS 84, positions in `[lon, lat]` order): nodes as
//! Points, links as LineStrings through the places they pass, with the link summaries as
//! properties — usable as is in QGIS or geojson.io.

use geojson::{Feature, FeatureCollection, Geometry, JsonObject};
use serde_json::{json, Value as Json};

use crate::network::{LinkSummary, Network};

/// A Feature of `geometry` with `properties` (a JSON object).
fn feature(geometry: Geometry, properties: Json) -> Feature {
    let properties = match properties {
        Json::Object(map) => map,
        _ => JsonObject::new(),
    };
    Feature {
        bbox: None,
        geometry: Some(geometry),
        id: None,
        properties: Some(properties),
        foreign_members: None,
    }
}

/// The network's nodes (`name`, `kind`, `population`, `inei`, `international`, `alt_m`) and
/// links (the [`LinkSummary`] of each, in the same order as `network.links`, with `status`:
/// `built` or `hypothetical`, and `corridor`: its shared-corridor tags, `|`-separated) as a
/// FeatureCollection.
pub fn network_geojson(network: &Network, summaries: &[LinkSummary]) -> String {
    let nodes = network.nodes.iter().map(|n| {
        feature(
            Geometry::new_point([n.lon_deg, n.lat_deg]),
            json!({
                "name": n.name,
                "kind": n.kind.name(),
                "population": n.population,
                "inei": n.code,
                "international": n.international,
                "alt_m": n.alt_m,
            }),
        )
    });
    let links = network.links.iter().zip(summaries).map(|(link, summary)| {
        let line = link.trace_deg.iter().map(|&(lat, lon)| [lon, lat]);
        let mut properties = serde_json::to_value(summary).unwrap_or(Json::Null);
        if let Json::Object(map) = &mut properties {
            map.insert(
                "status".into(),
                json!(if link.hypothetical {
                    "hypothetical"
                } else {
                    "built"
                }),
            );
            map.insert("corridor".into(), json!(link.corridors.join("|")));
        }
        feature(Geometry::new_line_string(line), properties)
    });
    FeatureCollection {
        bbox: None,
        features: nodes.chain(links).collect(),
        foreign_members: None,
    }
    .to_string()
}
