//! Deterministic zip archives: the same project always gives byte-identical bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::generate::Project;

/// Zips the project with every file under `<name>/`, a fixed timestamp and fixed permissions.
pub fn zip_project(project: &Project) -> Result<Vec<u8>, String> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let base = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    let mut files: Vec<_> = project.files.iter().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for file in files {
        let mode = if file.executable { 0o755 } else { 0o644 };
        writer
            .start_file(
                format!("{}/{}", project.name, file.path),
                base.unix_permissions(mode),
            )
            .map_err(|e| e.to_string())?;
        writer
            .write_all(file.contents.as_bytes())
            .map_err(|e| e.to_string())?;
    }
    let cursor = writer.finish().map_err(|e| e.to_string())?;
    Ok(cursor.into_inner())
}
