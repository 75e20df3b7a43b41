//! Candidate sites of a link that has only its ends and the places it passes: huts at most every
//! `hut_spacing_km` between consecutive waypoints, the waypoints themselves as nodes.

use super::route::{Site, SiteKind};

/// A named place along a link (a town or junction the cable passes), with the terrain class of
/// the stretch that ends there.
#[derive(Debug, Clone, PartialEq)]
pub struct Waypoint {
    /// Name.
    pub name: String,
    /// Position, km from the link's start.
    pub km: f64,
    /// Terrain class of the stretch from the previous waypoint (or the start) to this one.
    pub terrain: String,
}

/// A stretch of a link between consecutive waypoints, with its terrain class.
#[derive(Debug, Clone, PartialEq)]
pub struct TerrainStretch {
    /// Start, km.
    pub from_km: f64,
    /// End, km.
    pub to_km: f64,
    /// Terrain class.
    pub terrain: String,
}

/// The stretches of a link of `route_km` through `waypoints` (sorted by km, the last one at the
/// far end); without waypoints, one stretch of `terrain`.
pub fn terrain_stretches(
    route_km: f64,
    waypoints: &[Waypoint],
    terrain: &str,
) -> Vec<TerrainStretch> {
    if waypoints.is_empty() {
        return vec![TerrainStretch {
            from_km: 0.0,
            to_km: route_km,
            terrain: terrain.to_string(),
        }];
    }
    let mut start = 0.0;
    waypoints
        .iter()
        .map(|w| {
            let stretch = TerrainStretch {
                from_km: start,
                to_km: w.km,
                terrain: w.terrain.clone(),
            };
            start = w.km;
            stretch
        })
        .collect()
}

/// Candidate sites of the link `from`–`to`: the two terminals, every intermediate waypoint as a
/// node, and on each stretch `ceil(length / hut_spacing_km) − 1` huts evenly spaced (so no two
/// consecutive sites are more than `hut_spacing_km` apart), named `from-to km X.X`.
pub fn link_sites(
    (from, to): (&str, &str),
    stretches: &[TerrainStretch],
    waypoints: &[Waypoint],
    hut_spacing_km: f64,
) -> Vec<Site> {
    let mut sites = vec![Site {
        name: from.to_string(),
        km: 0.0,
        kind: SiteKind::Terminal,
    }];
    for (k, stretch) in stretches.iter().enumerate() {
        let (start, end) = (stretch.from_km, stretch.to_km);
        let count = ((end - start) / hut_spacing_km - 1e-9).ceil() as usize;
        for j in 1..count {
            let km = start + (end - start) * j as f64 / count as f64;
            sites.push(Site {
                name: format!("{from}-{to} km {km:.1}"),
                km,
                kind: SiteKind::Hut,
            });
        }
        if k + 1 < stretches.len() {
            sites.push(Site {
                name: waypoints[k].name.clone(),
                km: end,
                kind: SiteKind::Node,
            });
        }
    }
    sites.push(Site {
        name: to.to_string(),
        km: stretches.last().map_or(0.0, |s| s.to_km),
        kind: SiteKind::Terminal,
    });
    sites
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huts_split_each_stretch_evenly_and_waypoints_become_nodes() {
        let waypoints = [
            Waypoint {
                name: "La Oroya".into(),
                km: 100.0,
                terrain: "andes".into(),
            },
            Waypoint {
                name: "Huancayo".into(),
                km: 130.0,
                terrain: "valley".into(),
            },
        ];
        let stretches = terrain_stretches(130.0, &waypoints, "coast");
        assert_eq!(stretches.len(), 2);
        assert_eq!(
            (stretches[1].from_km, stretches[1].terrain.as_str()),
            (100.0, "valley")
        );
        let sites = link_sites(("Lima", "Huancayo"), &stretches, &waypoints, 40.0);
        let km: Vec<f64> = sites.iter().map(|s| s.km).collect();
        // 100 km at ≤ 40 km: 3 pieces of 33.3 km (2 huts); 30 km: no hut.
        assert_eq!(sites.len(), 5);
        assert!((km[1] - 100.0 / 3.0).abs() < 1e-12 && (km[2] - 200.0 / 3.0).abs() < 1e-12);
        assert_eq!((km[3], sites[3].kind), (100.0, SiteKind::Node));
        assert_eq!((km[4], sites[4].kind), (130.0, SiteKind::Terminal));
        assert_eq!(sites[1].name, "Lima-Huancayo km 33.3");
        assert!(sites.windows(2).all(|w| w[1].km - w[0].km <= 40.0));
    }
}
