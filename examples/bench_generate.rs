//! `make bench`: the native time to generate and zip the largest combination (median).

use std::time::Instant;

use tfstudio::core::answers::Answers;
use tfstudio::core::archive::zip_project;
use tfstudio::core::generate::generate;
use tfstudio::core::spec::{Ci, ProjectSpec, Stack};

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(10)
        .max(1);
    let mut spec = ProjectSpec {
        name: "bench-largest".into(),
        stack: Stack::Java,
        ci: Ci::GithubActions,
        ..ProjectSpec::default()
    };
    spec.services.postgres = true;
    spec.services.redis = true;
    spec.processes.worker = true;
    spec.processes.scheduler = true;
    spec.processes.release = true;
    let answers = Answers::default();
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let project = generate(&spec, &answers).expect("the largest combination generates");
        let zip = zip_project(&project).expect("the project zips");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        size = zip.len();
    }
    let first = times[0];
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!("  generate + zip, largest combination    median {median:.2} ms natively ({runs} runs; first run {first:.2} ms with template parsing; zip {} KB)", size / 1024);
}
