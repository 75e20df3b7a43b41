//! The exclusive lock on a result directory: a file `fibra.lock` created with `O_EXCL`, holding
//! the owner's pid and host, removed when the run ends. A lock left by a process that no longer
//! exists on this host (a `kill -9`, a node that rebooted) is taken over, and the taking over is
//! reported; a live one refuses the run.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The lock file's name inside a result directory.
pub const LOCK_FILE: &str = "fibra.lock";

/// Who holds (or held) a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockHolder {
    /// Process id.
    pub pid: u32,
    /// Host name.
    pub host: String,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "pid {} on {}", self.pid, self.host)
    }
}

/// Why a directory could not be locked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    /// Another run holds it (or a run on another host, which cannot be checked from here).
    #[error("{} is in use by another fibra run ({holder}); if that run is gone, delete {}", dir.display(), dir.join(LOCK_FILE).display())]
    Held {
        /// The directory.
        dir: PathBuf,
        /// The holder named in the lock file.
        holder: LockHolder,
    },
    /// The lock file could not be created or read.
    #[error("{}: {reason}", path.display())]
    Io {
        /// The lock file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}

/// A held lock; dropping it removes the lock file.
#[derive(Debug)]
pub struct DirLock {
    path: PathBuf,
    /// The dead process whose lock this one replaced, if any.
    pub took_over: Option<LockHolder>,
}

/// This machine's host name.
fn host_name() -> String {
    let mut buffer = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at most that many bytes.
    let status = unsafe { libc::gethostname(buffer.as_mut_ptr().cast(), buffer.len()) };
    if status != 0 {
        return "unknown".into();
    }
    let end = buffer.iter().position(|&b| b == 0).unwrap_or(buffer.len());
    String::from_utf8_lossy(&buffer[..end]).into_owned()
}

/// Whether process `pid` exists on this host (a process we may not signal exists too).
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is delivered.
    let status = unsafe { libc::kill(pid, 0) };
    status == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

fn parse_holder(text: &str) -> Option<LockHolder> {
    let mut pid = None;
    let mut host = None;
    for line in text.lines() {
        match line.split_once('=') {
            Some(("pid", v)) => pid = v.trim().parse().ok(),
            Some(("host", v)) => host = Some(v.trim().to_string()),
            _ => {}
        }
    }
    Some(LockHolder {
        pid: pid?,
        host: host?,
    })
}

impl DirLock {
    /// Locks `dir` (which must exist) for this process.
    pub fn acquire(dir: &Path) -> Result<Self, LockError> {
        let path = dir.join(LOCK_FILE);
        let me = LockHolder {
            pid: std::process::id(),
            host: host_name(),
        };
        let io = |e: std::io::Error| LockError::Io {
            path: path.clone(),
            reason: crate::display::describe_io_error(&e),
        };
        let mut took_over = None;
        // Two attempts: the second after removing a stale lock.
        for _ in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    file.write_all(format!("pid={}\nhost={}\n", me.pid, me.host).as_bytes())
                        .and_then(|()| file.sync_all())
                        .map_err(io)?;
                    return Ok(Self { path, took_over });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    // A lock being written right now has no holder yet: treat it as live.
                    let holder = parse_holder(&text).unwrap_or(LockHolder {
                        pid: 0,
                        host: "an unknown host".into(),
                    });
                    let stale = holder.host == me.host && !process_alive(holder.pid);
                    if !stale || took_over.is_some() {
                        return Err(LockError::Held {
                            dir: dir.to_path_buf(),
                            holder,
                        });
                    }
                    // Remove it only if it is still the stale lock just read.
                    if std::fs::read_to_string(&path).unwrap_or_default() == text {
                        match std::fs::remove_file(&path) {
                            Ok(()) => {}
                            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                            Err(e) => return Err(io(e)),
                        }
                    }
                    took_over = Some(holder);
                }
                Err(e) => return Err(io(e)),
            }
        }
        Err(LockError::Io {
            path: path.clone(),
            reason: "another run took the lock at the same moment".into(),
        })
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_lock_refuses_a_dead_one_is_taken_over_and_dropping_releases() {
        let dir = tempfile::tempdir().unwrap();
        let first = DirLock::acquire(dir.path()).unwrap();
        assert_eq!(first.took_over, None);
        // This process is alive: a second lock is refused, naming the holder.
        match DirLock::acquire(dir.path()) {
            Err(LockError::Held { holder, .. }) => assert_eq!(holder.pid, std::process::id()),
            other => panic!("expected Held, got {other:?}"),
        }
        drop(first);
        assert!(!dir.path().join(LOCK_FILE).exists());
        // A lock of a process that has exited (a child we waited for) on this host is stale.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        std::fs::write(
            dir.path().join(LOCK_FILE),
            format!("pid={dead}\nhost={}\n", host_name()),
        )
        .unwrap();
        let second = DirLock::acquire(dir.path()).unwrap();
        assert_eq!(second.took_over.as_ref().map(|h| h.pid), Some(dead));
        drop(second);
        // A lock from another host cannot be checked: refused.
        std::fs::write(dir.path().join(LOCK_FILE), "pid=1\nhost=elsewhere-node-7\n").unwrap();
        assert!(matches!(
            DirLock::acquire(dir.path()),
            Err(LockError::Held { .. })
        ));
    }
}
