//! Optimal amplifier placement by dynamic programming over the candidate sites.

use super::route::Route;
use crate::budget::splice_count;

/// The chosen sites of one transparent stretch.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Indices into `route.sites` of the chosen sites, both ends included, in order.
    pub sites: Vec<usize>,
    /// In-line amplifiers (chosen sites other than the two ends).
    pub amplifiers: usize,
    /// `Σ 10^(loss_dB/10)` over the spans.
    pub sum_linear_span_loss: f64,
}

/// Why a stretch cannot be closed.
#[derive(Debug, Clone, PartialEq)]
pub enum PlacementError {
    /// Two consecutive candidate sites are too far apart: no placement can work.
    Stretch {
        from: usize,
        to: usize,
        loss_db: f64,
        length_km: f64,
    },
    /// Consecutive gaps are fine but no chain satisfies every constraint (e.g. the minimum loss).
    NoChain { from: usize, to: usize },
}

/// Cumulative losses at each site, so a span's loss is a difference of two prefix sums.
struct LossTable {
    km: Vec<f64>,
    fiber_db: Vec<f64>,
    lumped_db: Vec<f64>,
    fixed_db: f64,
    splice_loss_db: f64,
    splice_spacing_km: f64,
}

impl LossTable {
    fn new(route: &Route, from: usize, to: usize) -> Self {
        let sites = &route.sites[from..=to];
        let mut fiber_db = vec![0.0; sites.len()];
        let mut lumped_db = vec![0.0; sites.len()];
        for k in 1..sites.len() {
            let (a, b) = (sites[k - 1].km, sites[k].km);
            fiber_db[k] = fiber_db[k - 1]
                + route
                    .fiber_pieces(a, b)
                    .iter()
                    .map(|(l, p)| l * p.attenuation_db_per_km)
                    .sum::<f64>();
            lumped_db[k] = lumped_db[k - 1] + route.lumped_loss_db(a, b);
        }
        let t = &route.template;
        Self {
            km: sites.iter().map(|s| s.km).collect(),
            fiber_db,
            lumped_db,
            fixed_db: t.connector_in_db + t.connector_out_db + t.aging_margin_db + t.extra_loss_db,
            splice_loss_db: t.splice_loss_db,
            splice_spacing_km: t.splice_spacing_km,
        }
    }

    /// Loss of the span between local indices i < j, dB.
    fn loss_db(&self, i: usize, j: usize) -> f64 {
        let length = self.km[j] - self.km[i];
        self.fixed_db
            + (self.fiber_db[j] - self.fiber_db[i])
            + splice_count(length, self.splice_spacing_km) as f64 * self.splice_loss_db
            + (self.lumped_db[j] - self.lumped_db[i])
    }
}

/// Places amplifiers between sites `from` and `to` (indices into `route.sites`, from < to).
///
/// Exact: for every site j, the best chain ending at j is the best over all feasible i < j of the
/// best chain ending at i plus the span (i, j), compared lexicographically (amplifiers, Σ linear
/// loss). Span loss grows with length, so the scan back from j stops at the first infeasible i:
/// O(sites × reachable sites).
pub fn place_amplifiers(
    route: &Route,
    from: usize,
    to: usize,
) -> Result<Placement, PlacementError> {
    let table = LossTable::new(route, from, to);
    let c = route.constraints;
    let max_loss_db = route.max_span_loss_db();
    let n = to - from + 1;
    for k in 1..n {
        let length_km = table.km[k] - table.km[k - 1];
        let loss_db = table.loss_db(k - 1, k);
        if loss_db > max_loss_db || c.max_span_km.is_some_and(|m| length_km > m) {
            return Err(PlacementError::Stretch {
                from: from + k - 1,
                to: from + k,
                loss_db,
                length_km,
            });
        }
    }
    let mut best: Vec<Option<(usize, f64, usize)>> = vec![None; n];
    best[0] = Some((0, 0.0, 0));
    for j in 1..n {
        let mut choice: Option<(usize, f64, usize)> = None;
        for i in (0..j).rev() {
            let length_km = table.km[j] - table.km[i];
            if c.max_span_km.is_some_and(|m| length_km > m) {
                break;
            }
            let loss_db = table.loss_db(i, j);
            if loss_db > max_loss_db {
                break;
            }
            if c.min_span_loss_db.is_some_and(|m| loss_db < m) {
                continue;
            }
            let Some((count, sum, _)) = best[i] else {
                continue;
            };
            let candidate = (
                count + usize::from(i != 0),
                sum + 10f64.powf(loss_db / 10.0),
                i,
            );
            let better = match choice {
                None => true,
                Some((bc, bs, _)) => candidate.0 < bc || (candidate.0 == bc && candidate.1 < bs),
            };
            if better {
                choice = Some(candidate);
            }
        }
        best[j] = choice;
    }
    let Some((amplifiers, sum_linear_span_loss, _)) = best[n - 1] else {
        return Err(PlacementError::NoChain { from, to });
    };
    let mut sites = vec![n - 1];
    while let Some(&last) = sites.last() {
        if last == 0 {
            break;
        }
        sites.push(best[last].expect("reachable").2);
    }
    sites.reverse();
    Ok(Placement {
        sites: sites.into_iter().map(|k| from + k).collect(),
        amplifiers,
        sum_linear_span_loss,
    })
}
