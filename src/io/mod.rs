//! File formats: readers with validation that name the file, the key and the allowed range.

mod csv_table;
mod error;
pub mod geojson_file;
pub mod gnpy_export;
pub mod gnpy_import;
mod input_file;
pub mod link_file;
pub mod link_writer;
pub mod network_file;
pub mod output;
pub mod pulse_file;
pub mod route_file;
mod step_rule;
pub mod system_file;
pub(crate) mod toml_access;

pub use crate::display::describe_io_error;
pub use input_file::{read_input_bytes, read_input_text, MAX_INPUT_BYTES};
pub use toml_access::parse_document;

pub use error::InputError;
pub use link_file::{link_from_table, parse_link, read_link};
pub use pulse_file::{parse_pulse_setup, read_field_csv, read_pulse_setup, PulseSetup};
pub use route_file::{parse_route, read_route, route_from_table};
pub use system_file::{parse_system, read_system, system_from_table};
