//! Writes a [`Link`] back as LINK.toml, every span parameter explicit, so that `fibra budget`
//! reproduces the same numbers (f64 values are written in shortest round-trip form).

use toml::{Table, Value};

use crate::budget::{Link, RoadmStage};

fn put(table: &mut Table, key: &str, value: f64) {
    table.insert(key.to_string(), Value::Float(value));
}

/// A ROADM stage as its LINK.toml table.
fn roadm_table(stage: &RoadmStage) -> Table {
    let mut t = Table::new();
    put(&mut t, "target_power_dbm", stage.roadm.target_power_dbm);
    put(&mut t, "pmd_ps", stage.roadm.pmd_ps);
    if let Some(b) = &stage.booster {
        put(&mut t, "booster_gain_db", b.gain_db);
        if b.noise_figure_db == f64::NEG_INFINITY {
            t.insert("booster_noiseless".into(), Value::Boolean(true));
        } else {
            put(&mut t, "booster_nf_db", b.noise_figure_db);
        }
        if let Some(p) = b.max_output_power_dbm {
            put(&mut t, "booster_max_output_dbm", p);
        }
        if b.output_saturates {
            t.insert("booster_saturates".into(), Value::Boolean(true));
        }
    }
    t
}

/// LINK.toml text for `link`, as `fibra design --emit-link` writes it.
pub fn link_to_toml(link: &Link) -> String {
    link_to_toml_by(link, "fibra design --emit-link")
}

/// LINK.toml text for `link`, its header naming the command that wrote it.
pub fn link_to_toml_by(link: &Link, command: &str) -> String {
    let mut root = Table::new();
    if let Some(name) = &link.name {
        root.insert("name".into(), Value::String(name.clone()));
    }
    let mut signal = Table::new();
    signal.insert("channels".into(), Value::Integer(link.grid.channels as i64));
    put(&mut signal, "spacing_ghz", link.grid.spacing_ghz);
    put(&mut signal, "center_thz", link.grid.center_thz);
    put(
        &mut signal,
        "symbol_rate_gbaud",
        link.grid.symbol_rate_gbaud,
    );
    put(&mut signal, "launch_power_dbm", link.launch_power_dbm);
    if let Some(format) = link.nli_model.format() {
        signal.insert("nli_model".into(), Value::String("egn".into()));
        signal.insert("modulation".into(), Value::String(format.name().into()));
    }
    root.insert("signal".into(), Value::Table(signal));

    let t = &link.transceiver;
    let mut trx = Table::new();
    let optional = [
        ("required_osnr_db", t.required_osnr_db),
        ("tx_osnr_db", t.tx_osnr_db),
        ("rx_sensitivity_dbm", t.rx_sensitivity_dbm),
        ("cd_tolerance_ps_nm", t.cd_tolerance_ps_nm),
        ("pmd_tolerance_ps", t.pmd_tolerance_ps),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            put(&mut trx, key, v);
        }
    }
    put(&mut trx, "system_margin_db", t.system_margin_db);
    root.insert("transceiver".into(), Value::Table(trx));

    let spans = link
        .spans
        .iter()
        .map(|s| {
            let mut span = Table::new();
            put(&mut span, "length_km", s.length_km);
            put(
                &mut span,
                "attenuation_db_per_km",
                s.fiber.attenuation_db_per_km,
            );
            put(
                &mut span,
                "dispersion_ps_nm_km",
                s.fiber.dispersion_ps_nm_km,
            );
            put(
                &mut span,
                "dispersion_slope_ps_nm2_km",
                s.fiber.dispersion_slope_ps_nm2_km,
            );
            put(&mut span, "pmd_ps_per_sqrt_km", s.fiber.pmd_ps_per_sqrt_km);
            put(&mut span, "effective_area_um2", s.fiber.effective_area_um2);
            span.insert(
                "constant_beta2".into(),
                Value::Boolean(s.fiber.constant_beta2),
            );
            put(&mut span, "connector_in_db", s.connector_in_db);
            put(&mut span, "connector_out_db", s.connector_out_db);
            put(&mut span, "splice_loss_db", s.splice_loss_db);
            put(&mut span, "splice_spacing_km", s.splice_spacing_km);
            put(&mut span, "aging_margin_db", s.aging_margin_db);
            put(&mut span, "extra_loss_db", s.extra_loss_db);
            if s.end.unamplified {
                span.insert("amplifier".into(), Value::Boolean(false));
            } else {
                put(&mut span, "amplifier_nf_db", s.amplifier_nf_db);
                if let Some(g) = s.amplifier_gain_db {
                    put(&mut span, "amplifier_gain_db", g);
                }
                if let Some(p) = s.amplifier_max_output_dbm {
                    put(&mut span, "amplifier_max_output_dbm", p);
                }
                put(&mut span, "amplifier_max_gain_db", s.amplifier_max_gain_db);
                if s.end.amplifier_saturates {
                    span.insert("amplifier_saturates".into(), Value::Boolean(true));
                }
            }
            if let Some(stage) = &s.end.roadm {
                span.insert("roadm".into(), Value::Table(roadm_table(stage)));
            }
            Value::Table(span)
        })
        .collect();
    if let Some(stage) = &link.start_roadm {
        root.insert("start_roadm".into(), Value::Table(roadm_table(stage)));
    }
    root.insert("span".into(), Value::Array(spans));
    let body = toml::to_string(&root).expect("a table of numbers and strings serialises");
    format!("# Written by `{command}`: every span parameter is explicit.\n{body}")
}
