//! A throwaway PostgreSQL 15 server (Debian's `postgresql-15`) for tests: initdb in a temp dir,
//! started on a free loopback port, stopped when dropped. As root, the server runs as the
//! `postgres` user, since initdb refuses root.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::atomic::{AtomicUsize, Ordering},
};

pub struct PostgresServer {
    bin: PathBuf,
    dir: tempfile::TempDir,
    as_root: bool,
    pub port: u16,
}

fn command(as_root: bool, program: &Path, args: &[&str]) -> Command {
    let mut command = if as_root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    command.args(args).stdin(Stdio::null());
    command
}

fn run(as_root: bool, program: &Path, args: &[&str]) {
    let output = command(as_root, program, args).output().expect("run a PostgreSQL tool");
    assert!(
        output.status.success(),
        "{} {args:?} failed: {}",
        program.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

impl PostgresServer {
    pub fn start() -> Self {
        let bin = PathBuf::from(std::env::var("SLUICE_PG_BIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into()));
        assert!(
            bin.join("initdb").exists(),
            "PostgreSQL 15 is missing: run `make test-tools` (apt-get install postgresql-15)"
        );
        let as_root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        let dir = tempfile::tempdir().unwrap();
        if as_root {
            let status = Command::new("chown").arg("postgres").arg(dir.path()).status().unwrap();
            assert!(status.success(), "chown postgres {}", dir.path().display());
        }
        let data = dir.path().join("data");
        let data = data.to_str().unwrap();
        run(as_root, &bin.join("initdb"), &["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c max_connections=300 -c fsync=off",
            dir.path().display()
        );
        let log = dir.path().join("log");
        run(as_root, &bin.join("pg_ctl"), &["-D", data, "-l", log.to_str().unwrap(), "-w", "-o", &options, "start"]);
        Self { bin, dir, as_root, port }
    }

    /// A URL of a new, empty database on this server.
    pub async fn database(&self) -> String {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!("sluice_{}", NEXT.fetch_add(1, Ordering::SeqCst));
        let admin = format!("postgres://postgres@127.0.0.1:{}/postgres", self.port);
        let mut connection = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.expect("connect to PostgreSQL");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut connection).await.unwrap();
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let stop = ["-D", data.to_str().unwrap(), "-m", "immediate", "-w", "stop"];
        let _ = command(self.as_root, &self.bin.join("pg_ctl"), &stop).output();
    }
}
