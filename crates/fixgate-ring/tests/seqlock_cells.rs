//! Seqlock cells: readers on other threads always get a whole value, versions
//! only go up, and the writer never waits.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use common::{scaled, TestEvent};
use fixgate_ring::{cells, OutOfRange};

#[test]
fn reads_what_was_written_with_its_version() {
    let (mut writer, reader) = cells(3, TestEvent::new(0));
    assert_eq!(reader.read(2), Ok(TestEvent::new(0)));
    assert_eq!(reader.cell(2).unwrap().version(), 0);
    writer.write(2, TestEvent::new(5)).unwrap();
    writer
        .update(2, |e| *e = TestEvent::new(e.seq + 1))
        .unwrap();
    assert_eq!(reader.try_read(2), Ok(Some((TestEvent::new(6), 2))));
    assert_eq!(writer.get(2), Ok(TestEvent::new(6)));
    assert_eq!(
        reader.read(0),
        Ok(TestEvent::new(0)),
        "other cells untouched"
    );
    assert_eq!(reader.read(3), Err(OutOfRange { index: 3, len: 3 }));
    assert_eq!(
        writer.write(9, TestEvent::new(1)),
        Err(OutOfRange { index: 9, len: 3 })
    );
    assert_eq!((reader.len(), writer.len()), (3, 3));
}

#[test]
fn concurrent_readers_never_see_a_torn_snapshot() {
    let writes = scaled(300_000, 500);
    let (mut writer, reader) = cells(2, TestEvent::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let reader = reader.clone();
            let done = Arc::clone(&done);
            thread::spawn(move || {
                let (mut reads, mut retries_seen, mut last_version) = (0u64, 0u64, 0u64);
                while !done.load(Ordering::Acquire) {
                    for index in 0..2 {
                        let cell = reader.cell(index).unwrap();
                        match cell.try_read() {
                            None => retries_seen += 1,
                            Some((e, version)) => {
                                assert!(e.check(), "torn snapshot {e:?}");
                                // Cell 0 holds seq == version: value and version agree.
                                if index == 0 {
                                    assert_eq!(e.seq, version);
                                    assert!(version >= last_version, "version went back");
                                    last_version = version;
                                }
                            }
                        }
                        let (e, _) = cell.read();
                        assert!(e.check(), "torn snapshot {e:?}");
                        reads += 1;
                    }
                }
                (reads, retries_seen)
            })
        })
        .collect();
    for seq in 1..=writes {
        writer.write(0, TestEvent::new(seq)).unwrap();
        writer
            .write(1, TestEvent::new(seq.wrapping_mul(31)))
            .unwrap();
    }
    done.store(true, Ordering::Release);
    for r in readers {
        let (reads, retries) = r.join().unwrap();
        println!("reader: {reads} consistent reads, {retries} attempts overlapped a write");
    }
    assert_eq!(reader.read(0), Ok(TestEvent::new(writes)));
    assert_eq!(reader.cell(0).unwrap().version(), writes);
}
