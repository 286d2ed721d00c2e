//! The browser app's entry point: it only mounts the UI.

#[cfg(target_arch = "wasm32")]
fn main() {
    tfstudio::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The app runs in the browser: use `make serve`. The native tool is `tfstudio`.");
    std::process::exit(2);
}
