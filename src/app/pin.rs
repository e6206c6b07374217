//! Pinning threads to absolute CPU ids, checked.
//!
//! A CPU id in fixgate's configuration is the kernel's (`/sys/devices/system/cpu/cpuN`),
//! not an index into the CPUs this process may use: `cpu = 3` means CPU 3 even
//! under `taskset -c 2-5`. Before a thread is pinned the id is checked: the CPU
//! must exist and be in the process's affinity mask (else the kernel would
//! refuse, or worse, another process's isolated core would be taken).
//!
//! Supported on Linux (`sched_setaffinity` through `nix`); elsewhere pinning is
//! refused with [`PinError::Unsupported`].

use std::fmt;

/// Why a thread could not be pinned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    /// No CPU with that id on this machine.
    #[error("CPU {cpu} does not exist (CPUs present: {present})")]
    NoSuchCpu {
        /// The id asked for.
        cpu: usize,
        /// The CPUs that exist, as the kernel lists them (`0-3`).
        present: String,
    },
    /// The CPU exists but this process may not run on it.
    #[error("CPU {cpu} is not in the process affinity mask (allowed: {allowed})")]
    NotAllowed {
        /// The id asked for.
        cpu: usize,
        /// The CPUs the process may use (`0-1,4`).
        allowed: CpuList,
    },
    /// The kernel refused.
    #[error("pinning to CPU {cpu} failed: {errno}")]
    Os {
        /// The id asked for.
        cpu: usize,
        /// The kernel's error.
        errno: String,
    },
    /// Pinning is implemented for Linux only.
    #[error("pinning to CPU {cpu} is not supported on this platform")]
    Unsupported {
        /// The id asked for.
        cpu: usize,
    },
}

/// A set of CPU ids, shown as the kernel's list format (`0-3,6`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CpuList(pub Vec<usize>);

impl fmt::Display for CpuList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids = self.0.clone();
        ids.sort_unstable();
        ids.dedup();
        let mut i = 0;
        let mut first = true;
        while i < ids.len() {
            let mut j = i;
            while j + 1 < ids.len() && ids[j + 1] == ids[j] + 1 {
                j += 1;
            }
            f.write_str(if first { "" } else { "," })?;
            first = false;
            if j == i {
                write!(f, "{}", ids[i])?;
            } else {
                write!(f, "{}-{}", ids[i], ids[j])?;
            }
            i = j + 1;
        }
        if first {
            f.write_str("none")?;
        }
        Ok(())
    }
}

/// Where the kernel lists the CPUs present.
pub const CPU_PRESENT_PATH: &str = "/sys/devices/system/cpu/present";

/// Parses the kernel's CPU list format (`0-3,6,8-9`); `None` if malformed.
pub fn parse_cpu_list(text: &str) -> Option<CpuList> {
    let mut ids = Vec::new();
    for part in text.trim().split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (usize, usize) = (a.parse().ok()?, b.parse().ok()?);
                if b < a || b - a > 1 << 16 {
                    return None;
                }
                ids.extend(a..=b);
            }
            None => ids.push(part.parse().ok()?),
        }
    }
    Some(CpuList(ids))
}

/// Checks that `cpu` exists and that the calling thread's affinity mask (the
/// process's, for a thread that has not changed it) contains it.
///
/// # Errors
/// [`PinError::NoSuchCpu`], [`PinError::NotAllowed`], [`PinError::Os`] when the
/// mask cannot be read, [`PinError::Unsupported`] off Linux.
pub fn check_cpu(cpu: usize) -> Result<(), PinError> {
    imp::check_cpu(cpu)
}

/// Pins the calling thread to `cpu` after [`check_cpu`].
///
/// # Errors
/// As [`check_cpu`], and [`PinError::Os`] when the kernel refuses.
pub fn pin_current_thread(cpu: usize) -> Result<(), PinError> {
    check_cpu(cpu)?;
    imp::pin(cpu)
}

#[cfg(target_os = "linux")]
mod imp {
    use nix::sched::{sched_getaffinity, sched_setaffinity, CpuSet};
    use nix::unistd::Pid;

    use super::{parse_cpu_list, CpuList, PinError, CPU_PRESENT_PATH};

    fn present() -> Option<CpuList> {
        parse_cpu_list(&std::fs::read_to_string(CPU_PRESENT_PATH).ok()?)
    }

    fn allowed(cpu: usize) -> Result<CpuList, PinError> {
        let mask = sched_getaffinity(Pid::from_raw(0)).map_err(|e| PinError::Os {
            cpu,
            errno: e.to_string(),
        })?;
        let ids = (0..CpuSet::count())
            .filter(|&i| mask.is_set(i).unwrap_or(false))
            .collect();
        Ok(CpuList(ids))
    }

    pub(super) fn check_cpu(cpu: usize) -> Result<(), PinError> {
        // Without /sys (some containers), existence is judged by the kernel's
        // CPU set size; the affinity check below still applies.
        let exists = match present() {
            Some(list) => list.0.contains(&cpu),
            None => cpu < CpuSet::count(),
        };
        if !exists {
            let present = present().map_or_else(|| "unknown".to_owned(), |l| l.to_string());
            return Err(PinError::NoSuchCpu { cpu, present });
        }
        let allowed = allowed(cpu)?;
        if !allowed.0.contains(&cpu) {
            return Err(PinError::NotAllowed { cpu, allowed });
        }
        Ok(())
    }

    pub(super) fn pin(cpu: usize) -> Result<(), PinError> {
        let mut set = CpuSet::new();
        let os = |e: nix::Error| PinError::Os {
            cpu,
            errno: e.to_string(),
        };
        set.set(cpu).map_err(os)?;
        sched_setaffinity(Pid::from_raw(0), &set).map_err(os)
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::PinError;

    pub(super) fn check_cpu(cpu: usize) -> Result<(), PinError> {
        Err(PinError::Unsupported { cpu })
    }

    pub(super) fn pin(cpu: usize) -> Result<(), PinError> {
        Err(PinError::Unsupported { cpu })
    }
}

/// The CPU the calling thread runs on now, where the platform says.
pub fn current_cpu() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        // Field 39 of /proc/thread-self/stat is the CPU last run on.
        let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
        let after_comm = &stat[stat.rfind(')')? + 2..];
        after_comm.split(' ').nth(36)?.parse().ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_lists_parse_and_print() {
        let l = parse_cpu_list("0-3,6,8-9\n").unwrap();
        assert_eq!(l.0, [0, 1, 2, 3, 6, 8, 9]);
        assert_eq!(l.to_string(), "0-3,6,8-9");
        assert_eq!(parse_cpu_list("5").unwrap().to_string(), "5");
        assert_eq!(CpuList::default().to_string(), "none");
        assert_eq!(parse_cpu_list("3-1"), None);
        assert_eq!(parse_cpu_list("a"), None);
        assert_eq!(CpuList(vec![4, 2, 3, 2]).to_string(), "2-4");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_cpu_that_does_not_exist_is_refused() {
        let err = check_cpu(100_000).unwrap_err();
        assert!(
            matches!(err, PinError::NoSuchCpu { cpu: 100_000, .. }),
            "{err}"
        );
        assert!(err.to_string().starts_with("CPU 100000 does not exist"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn pinning_to_an_allowed_cpu_sticks() {
        // Whatever this thread may run on; pin a fresh thread to the last one.
        let allowed = imp_allowed();
        let cpu = *allowed.last().unwrap();
        let seen = std::thread::spawn(move || {
            pin_current_thread(cpu).unwrap();
            std::thread::yield_now();
            current_cpu()
        })
        .join()
        .unwrap();
        assert_eq!(seen, Some(cpu));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_cpu_outside_the_affinity_mask_is_refused() {
        let allowed = imp_allowed();
        if allowed.len() < 2 {
            println!("skipped: one CPU in the affinity mask, nothing to exclude");
            return;
        }
        let (inside, outside) = (allowed[0], allowed[1]);
        let err = std::thread::spawn(move || {
            // This thread's mask becomes {inside}; `outside` exists but is no
            // longer allowed to it.
            pin_current_thread(inside).unwrap();
            check_cpu(outside).unwrap_err()
        })
        .join()
        .unwrap();
        assert_eq!(
            err,
            PinError::NotAllowed {
                cpu: outside,
                allowed: CpuList(vec![inside])
            }
        );
    }

    #[cfg(target_os = "linux")]
    fn imp_allowed() -> Vec<usize> {
        use nix::sched::{sched_getaffinity, CpuSet};
        let mask = sched_getaffinity(nix::unistd::Pid::from_raw(0)).unwrap();
        (0..CpuSet::count())
            .filter(|&i| mask.is_set(i).unwrap())
            .collect()
    }
}
