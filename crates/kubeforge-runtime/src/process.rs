//! The process metrics Prometheus' Go client serves for every controller-runtime manager
//! (`process_cpu_seconds_total`, `process_resident_memory_bytes`, ...), read from procfs at each
//! scrape, so that kubebuilder's resource dashboards work unchanged. Elsewhere than on Linux
//! there is no procfs and the metrics are left out.

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Unit;

/// `process_cpu_seconds_total`: user and system CPU time.
pub const CPU_SECONDS_TOTAL: &str = "process_cpu_seconds_total";
/// `process_resident_memory_bytes`: resident set size.
pub const RESIDENT_MEMORY_BYTES: &str = "process_resident_memory_bytes";
/// `process_virtual_memory_bytes`: virtual memory size.
pub const VIRTUAL_MEMORY_BYTES: &str = "process_virtual_memory_bytes";
/// `process_open_fds`: open file descriptors.
pub const OPEN_FDS: &str = "process_open_fds";

/// Clock ticks per second of /proc/<pid>/stat's times; the kernel's USER_HZ is 100 on every
/// architecture Linux runs containers on (Prometheus' procfs assumes the same).
const USER_HZ: f64 = 100.0;

#[derive(Debug, Default, PartialEq)]
pub(crate) struct Sample {
    pub cpu_seconds: f64,
    pub virtual_bytes: u64,
    pub resident_bytes: u64,
}

/// Parses /proc/self/stat (CPU times, virtual size) and /proc/self/status (`VmRSS`, in kB, so
/// no page size is assumed). stat's fields follow the parenthesised command name, which may
/// itself hold spaces and parentheses, hence the last `)`.
pub(crate) fn parse(stat: &str, status: &str) -> Option<Sample> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // Field 3 of proc_pid_stat(5) (state) is fields[0]; utime is 14, stime 15, vsize 23.
    let field = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
    Some(Sample {
        cpu_seconds: (field(14)? + field(15)?) as f64 / USER_HZ,
        virtual_bytes: field(23)?,
        resident_bytes: resident_kb(status)? * 1024,
    })
}

fn resident_kb(status: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?;
    line.trim().strip_suffix("kB")?.trim().parse().ok()
}

#[derive(Debug)]
pub(crate) struct ProcessCollector;

impl Collector for ProcessCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let read = |file| std::fs::read_to_string(format!("/proc/self/{file}")).ok();
        let Some(sample) = read("stat")
            .zip(read("status"))
            .and_then(|(stat, status)| parse(&stat, &status))
        else {
            return Ok(());
        };
        let cpu = ConstCounter::new(sample.cpu_seconds);
        let name = CPU_SECONDS_TOTAL.trim_end_matches("_total");
        let name = name.trim_end_matches("_seconds");
        let help = "Total user and system CPU time spent in seconds";
        let metric =
            encoder.encode_descriptor(name, help, Some(&Unit::Seconds), cpu.metric_type())?;
        cpu.encode(metric)?;
        let gauges = [
            (
                RESIDENT_MEMORY_BYTES,
                "Resident memory size in bytes",
                sample.resident_bytes,
            ),
            (
                VIRTUAL_MEMORY_BYTES,
                "Virtual memory size in bytes",
                sample.virtual_bytes,
            ),
        ];
        for (name, help, value) in gauges {
            let gauge = ConstGauge::new(i64::try_from(value).unwrap_or(i64::MAX));
            let name = name.trim_end_matches("_bytes");
            let metric =
                encoder.encode_descriptor(name, help, Some(&Unit::Bytes), gauge.metric_type())?;
            gauge.encode(metric)?;
        }
        if let Ok(fds) = std::fs::read_dir("/proc/self/fd") {
            let gauge = ConstGauge::new(i64::try_from(fds.count()).unwrap_or(i64::MAX));
            let help = "Number of open file descriptors";
            let metric = encoder.encode_descriptor(OPEN_FDS, help, None, gauge.metric_type())?;
            gauge.encode(metric)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cpu_and_memory_from_stat() {
        let stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 500 0 0 0 150 50 0 0 20 0 \
                    8 0 12345 104857600 2560 18446744073709551615";
        let status = "Name:\tmy (odd) name\nVmSize:\t  102400 kB\nVmRSS:\t   10240 kB\n";
        let sample = parse(stat, status).unwrap();
        assert_eq!(
            sample,
            Sample {
                cpu_seconds: 2.0,
                virtual_bytes: 104_857_600,
                resident_bytes: 10240 * 1024,
            }
        );
        assert_eq!(parse("4242 (cut short) S 1", status), None);
        assert_eq!(parse(stat, "Name:\tno rss\n"), None);
    }
}
