//! The `fibra` command line.

mod cli;

fn main() -> std::process::ExitCode {
    restore_default_sigpipe();
    cli::main()
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`fibra … | head`) would panic; restore
/// the default so the process ends quietly like other command-line tools.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to its default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
