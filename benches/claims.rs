//! Throughput of the claims stage alone, on German news text (the seed articles, repeated to
//! about 1 MB so that one iteration is long enough to time). Single-threaded: the figure is
//! per core. Run: `cargo bench --bench claims`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsextract::stages::claims::extract_claims;
use newsextract::stages::segment::split_sentences;

fn corpus() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("seeds/ holds the German seed articles")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    let one: String = names
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap() + "\n")
        .collect();
    one.repeat((1 << 20) / one.len().max(1) + 1)
}

fn bench(c: &mut Criterion) {
    let text = corpus();
    let sents = split_sentences(&text);
    let mut g = c.benchmark_group("claims");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("extract_claims_de", |b| {
        b.iter(|| extract_claims(std::hint::black_box(&text), &sents, "de"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
