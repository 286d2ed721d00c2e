//! `tfstudio`: the native command line over the same core as the browser app.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = tfstudio::cli::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}
