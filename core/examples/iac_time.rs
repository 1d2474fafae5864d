use s3_replication_lint::iac::{check_files, InputKind, SourceFile};
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let files = [SourceFile {
        path: path.clone(),
        text,
    }];
    let t = std::time::Instant::now();
    for _ in 0..50 {
        let r = check_files(&files, Some(InputKind::CloudFormation), &Default::default());
        std::hint::black_box(r);
    }
    println!("{:?} per check", t.elapsed() / 50);
    let t = std::time::Instant::now();
    for _ in 0..50 {
        let mut d = Vec::new();
        std::hint::black_box(s3_replication_lint::iac::yaml::parse(
            &files[0].text,
            &mut d,
        ));
    }
    println!("{:?} per yaml parse", t.elapsed() / 50);
}
