//! Time from an edit of one small library to the program's new image in a live database:
//! the incremental path an editor or a REPL takes (issue 5). A program imports two small
//! libraries, (a) and (b); each round changes the value one procedure of (a) returns and asks
//! the database for the image again. Run with
//! `cargo run --release -p loko-bench --bin edit_to_image`.
//!
//! Reports the median and the best of the rounds, and the time of the first (cold) image.

use loko::db::{Database, Db, image};
use salsa::Setter;
use std::time::{Duration, Instant};

const ROUNDS: usize = 30;

fn library_a(value: usize) -> String {
    format!(
        "(library (a) (export a-value) (import (rnrs))
           (define (a-value) (list {value} 'a-symbol \"a string\")))"
    )
}

const LIBRARY_B: &str = "(library (b) (export b-value) (import (rnrs))
   (define (b-value) (vector 'b 2 3)))";

const PROGRAM: &str = "(import (rnrs) (a) (b))
(display (a-value)) (newline) (display (b-value)) (newline)";

fn main() {
    let dir = std::env::temp_dir().join(format!("loko-edit-to-image-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("creates the temporary directory");
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("writes the file");
        path.display().to_string()
    };
    let a_path = write("a.sls", &library_a(0));
    write("b.sls", LIBRARY_B);
    let program_path = write("program.sps", PROGRAM);
    let mut db = Database::with_library_roots(vec![dir.clone()]);
    let program = db.load(&program_path).expect("the program is there");

    let start = Instant::now();
    let size = image(&db, program)
        .as_ref()
        .expect("the program compiles")
        .code
        .len();
    let cold = start.elapsed();

    let a = db.load(&a_path).expect("(a) was read");
    let mut times: Vec<Duration> = Vec::with_capacity(ROUNDS);
    for round in 1..=ROUNDS {
        a.set_text(&mut db).to(library_a(round));
        let start = Instant::now();
        let compiled = image(&db, program).as_ref().is_ok();
        times.push(start.elapsed());
        assert!(compiled, "the edited program compiles");
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("cold image: {:.1} ms ({size} bytes of code)", ms(cold));
    println!(
        "edit of (a) to new image: median {:.2} ms, best {:.2} ms ({ROUNDS} rounds)",
        ms(times[ROUNDS / 2]),
        ms(times[0])
    );
    let _ = std::fs::remove_dir_all(&dir);
}
