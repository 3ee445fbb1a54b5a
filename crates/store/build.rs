// The migrations are embedded by `sqlx::migrate!`; a new file in the folder
// must rebuild the crate even when no Rust source changed.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
