//! Pure writers of reports and exports. No I/O here: callers write the bytes.

pub mod csv;
