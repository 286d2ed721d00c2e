//! The browser app's entry point: it only mounts the UI.

#[cfg(all(target_arch = "wasm32", feature = "page"))]
fn main() {
    tfstudio::ui::start();
}

#[cfg(all(target_arch = "wasm32", not(feature = "page")))]
compile_error!("The page's module is built with `--features page` (see the Makefile's build).");

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The app runs in the browser: use `make serve`. The native tool is `tfstudio`.");
    std::process::exit(2);
}
