fn main() {
    // Embedded migrations must be re-read when a new file appears.
    println!("cargo:rerun-if-changed=migrations");
}
