//! The generator web worker's entry point (tera + zip live here, off the first screen).

#[cfg(target_arch = "wasm32")]
fn main() {
    tfstudio::platform::worker::register();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This binary is the browser's generator worker; it does nothing natively.");
    std::process::exit(2);
}
