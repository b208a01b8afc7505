//! Reading Dockerfiles from disk with clear errors for everything that is not one.

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::Path;

/// Files larger than this are refused rather than read into memory.
const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Why a file could not be read as a Dockerfile.
#[derive(Debug)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Reads `path` as UTF-8 text, refusing directories, huge files and binary data.
pub fn read_dockerfile(path: &Path) -> Result<String, InputError> {
    let fail = |message: String| InputError {
        path: path.display().to_string(),
        message,
    };
    let meta = fs::metadata(path).map_err(|e| fail(io_message(&e)))?;
    if meta.is_dir() {
        return Err(fail("is a directory, not a Dockerfile".into()));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(fail(format!(
            "file is {} bytes; refusing files over {MAX_FILE_SIZE} bytes",
            meta.len()
        )));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(io_message(&e)))?;
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(fail(format!(
            "looks like a binary file (NUL byte at offset {at}), not a Dockerfile"
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..at]);
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        fail(format!(
            "{line}:{column}: invalid UTF-8 (byte offset {at}); Dockerfiles must be UTF-8 text"
        ))
    })
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
