fn main() {
    s3_replication_lint_web::mount_by_id("app");
}
