//! The exclusive lock on a result directory: a file `fibra.lock` created with `O_EXCL`, holding
//! the owner's pid and host, removed when the run ends. A lock left by a process that no longer
//! exists on this host (a `kill -9`, a node that rebooted) is taken over, and the taking over is
//! reported; a live one refuses the run. Every acquisition happens under an advisory `flock` on
//! `fibra.lock.takeover` (released by the kernel if its holder dies), so that two runs finding the
//! same stale lock cannot both replace it: the second sees the first one's live lock.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The lock file's name inside a result directory.
pub const LOCK_FILE: &str = "fibra.lock";

/// The file whose `flock` serialises the taking over of a stale lock (left in place: removing a
/// file others may be waiting to lock would let two of them in).
const TAKEOVER_FILE: &str = "fibra.lock.takeover";

/// An exclusive `flock` on [`TAKEOVER_FILE`], held while it lives.
struct TakeoverGuard {
    _file: std::fs::File,
}

impl TakeoverGuard {
    /// Waits for the takeover lock of `dir`.
    fn acquire(dir: &Path) -> std::io::Result<Self> {
        use std::os::unix::io::AsRawFd;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(TAKEOVER_FILE))?;
        loop {
            // SAFETY: the descriptor is open for the life of `file`; flock only locks it.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
                return Ok(Self { _file: file });
            }
            let error = std::io::Error::last_os_error();
            if error.kind() != std::io::ErrorKind::Interrupted {
                return Err(error);
            }
        }
        // Dropping `file` closes the descriptor, which releases the lock.
    }
}

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
        let create = |took_over: Option<LockHolder>| -> Result<Option<Self>, LockError> {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    file.write_all(format!("pid={}\nhost={}\n", me.pid, me.host).as_bytes())
                        .and_then(|()| file.sync_all())
                        .map_err(io)?;
                    Ok(Some(Self {
                        path: path.clone(),
                        took_over,
                    }))
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
                Err(e) => Err(io(e)),
            }
        };
        // Every acquisition holds the takeover lock, so a stale lock is replaced by one run only
        // and no fresh run slips in between its removal and the new lock.
        let _guard = TakeoverGuard::acquire(dir).map_err(io)?;
        if let Some(lock) = create(None)? {
            return Ok(lock);
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        // A lock being written right now has no holder yet: treat it as live.
        let holder = parse_holder(&text).unwrap_or(LockHolder {
            pid: 0,
            host: "an unknown host".into(),
        });
        if holder.host != me.host || process_alive(holder.pid) {
            return Err(LockError::Held {
                dir: dir.to_path_buf(),
                holder,
            });
        }
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
        create(Some(holder))?.ok_or_else(|| LockError::Io {
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

    /// Runs that find the same stale lock at once: exactly one takes it over, the others see its
    /// live lock (threads of this process: a live pid; each opens its own takeover descriptor).
    #[test]
    fn concurrent_takeovers_of_one_stale_lock_give_one_holder() {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        for _ in 0..50 {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(
                dir.path().join(LOCK_FILE),
                format!("pid={dead}\nhost={}\n", host_name()),
            )
            .unwrap();
            let barrier = std::sync::Barrier::new(8);
            let outcomes: Vec<Result<DirLock, LockError>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..8)
                    .map(|_| {
                        scope.spawn(|| {
                            barrier.wait();
                            DirLock::acquire(dir.path())
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let holders: Vec<&DirLock> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
            assert_eq!(holders.len(), 1, "{outcomes:?}");
            assert_eq!(holders[0].took_over.as_ref().map(|h| h.pid), Some(dead));
            assert!(outcomes
                .iter()
                .filter_map(|o| o.as_ref().err())
                .all(|e| matches!(e, LockError::Held { .. })));
        }
    }
}
