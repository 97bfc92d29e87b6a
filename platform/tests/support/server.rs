//! A server program under test, started on a free loopback port in its own temp dir and killed
//! when dropped. Shared by the delivery tests, the delivery bench and `make bench`.

use std::{
    net::{SocketAddr, TcpListener, TcpStream},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts `program` with the arguments `args(port, dir)` gives for a free port and a fresh temp
/// dir (also its working dir), and waits until it listens.
pub fn start(program: impl Into<PathBuf>, args: impl FnOnce(u16, &str) -> Vec<String>) -> Server {
    let program = program.into();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let child = Command::new(&program)
        .args(args(port, dir.path().to_str().unwrap()))
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut server = Server { child, addr, _dir: dir };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(addr).is_err() {
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("{} exited with {status} before listening", program.display());
        }
        assert!(Instant::now() < deadline, "{} did not listen on {addr} within 30 s", program.display());
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}
