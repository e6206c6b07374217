//! SVG percentile plots, drawn the way HdrHistogram's plotter draws them.
//!
//! One plot per stage, one line per venue. The x axis is the percentile on a
//! log scale of `1 / (1 - q)`: equal room for 0–90%, 90–99%, 99–99.9%, and so
//! on, so the tail gets as much of the picture as the body. The y axis is the
//! latency in microseconds, linear. Past a series' last distinct quantile
//! (`1 - 1/count`) its line stays flat at the maximum, as HdrHistogram's plots
//! do.

use fixgate_core::latency::{MergedEntry, Stage};
use fixgate_core::types::VenueId;
use plotters::prelude::*;

use super::ReportError;

/// Width and height of each plot, in SVG pixels.
pub const PLOT_SIZE: (u32, u32) = (960, 540);

/// Steps per decade of the x axis (points per series: this times the decades,
/// plus one).
const STEPS_PER_DECADE: u32 = 50;

/// The quantile at x position `x`, where `x = log10(1 / (1 - q))`: 0 at 0%, 1
/// at 90%, 2 at 99%, ...
pub fn quantile_of_x(x: f64) -> f64 {
    1.0 - 10f64.powf(-x)
}

/// The axis label of x position `x`: `0%`, `90%`, `99%`, `99.9%`, ...
pub fn percentile_label(x: f64) -> String {
    let percent = 100.0 * quantile_of_x(x);
    // Enough decimals to tell this tick from the next decade's.
    let decimals = (x.ceil() as i64 - 2).clamp(0, 9) as usize;
    format!("{percent:.decimals$}%")
}

/// How many decades the x axis spans for series of at most `max_count` values:
/// as far as the data resolves a quantile (`log10(count)`), at least 2 (99%)
/// and at most 6 (99.9999%).
pub fn decades_for(max_count: u64) -> u32 {
    let resolved = (max_count.max(1) as f64).log10().ceil() as u32;
    resolved.clamp(2, 6)
}

/// The (x, µs) points of one series over `decades`.
pub fn series_points(entry: &MergedEntry, decades: u32) -> Vec<(f64, f64)> {
    let steps = decades * STEPS_PER_DECADE;
    (0..=steps)
        .map(|i| {
            let x = f64::from(i) / f64::from(STEPS_PER_DECADE);
            let q = quantile_of_x(x);
            let ns = if i == steps {
                entry.histogram.max()
            } else {
                entry.histogram.value_at_quantile(q)
            };
            (x, ns as f64 / 1e3)
        })
        .collect()
}

/// The SVG of `stage`'s percentile plot, one line per `(venue, entry)`.
///
/// # Errors
/// [`ReportError::Plot`] if plotters fails to draw (it does not, for an
/// in-memory SVG, unless given no series).
pub fn percentile_svg(
    stage: Stage,
    series: &[(VenueId, &MergedEntry)],
) -> Result<String, ReportError> {
    let plot_err = |e: &dyn std::fmt::Display| ReportError::Plot {
        stage,
        detail: e.to_string(),
    };
    if series.is_empty() {
        return Err(plot_err(&"no series to plot"));
    }
    let max_count = series
        .iter()
        .map(|(_, e)| e.histogram.len())
        .max()
        .unwrap_or(0);
    let decades = decades_for(max_count);
    let lines: Vec<(VenueId, u64, Vec<(f64, f64)>)> = series
        .iter()
        .map(|(venue, entry)| (*venue, entry.histogram.len(), series_points(entry, decades)))
        .collect();
    let top_us = lines
        .iter()
        .flat_map(|(_, _, points)| points.iter().map(|p| p.1))
        .fold(0.0f64, f64::max);
    let y_max = if top_us > 0.0 { top_us * 1.05 } else { 1.0 };

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, PLOT_SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| plot_err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("fixgate latency by percentile: {}", stage.label()),
                ("sans-serif", 22),
            )
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(72)
            .build_cartesian_2d(0f64..f64::from(decades), 0f64..y_max)
            .map_err(|e| plot_err(&e))?;
        let x_label = |x: &f64| percentile_label(*x);
        chart
            .configure_mesh()
            .x_labels(decades as usize + 1)
            .x_label_formatter(&x_label)
            .x_desc("percentile")
            .y_desc("latency (µs)")
            .draw()
            .map_err(|e| plot_err(&e))?;
        for (i, (venue, count, points)) in lines.into_iter().enumerate() {
            let color = Palette99::pick(i).to_rgba();
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(2)))
                .map_err(|e| plot_err(&e))?
                .label(format!("{venue} (n={count})"))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(|e| plot_err(&e))?;
        root.present().map_err(|e| plot_err(&e))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use fixgate_core::latency::{MergedLatency, StageKey};

    use super::*;

    #[test]
    fn x_axis_is_log_of_one_over_one_minus_q() {
        for (q, x) in [(0.0, 0.0), (0.9, 1.0), (0.99, 2.0), (0.999, 3.0)] {
            assert!((quantile_of_x(x) - q).abs() < 1e-12, "{x}");
        }
        let labels: Vec<String> = (0..=5).map(|x| percentile_label(f64::from(x))).collect();
        assert_eq!(labels, ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%"]);
        assert_eq!(decades_for(0), 2);
        assert_eq!(decades_for(1_000), 3);
        assert_eq!(decades_for(1_001), 4);
        assert_eq!(decades_for(u64::MAX), 6);
    }

    #[test]
    fn series_rise_to_the_maximum() {
        let mut merged = MergedLatency::new();
        let mut h = fixgate_core::latency::new_histogram();
        for v in 1..=10_000 {
            h.record(v).unwrap();
        }
        let key = StageKey::new(VenueId::CME, Stage::ReceiveToDecoded);
        merged.add_histogram(key, &h, 0).unwrap();
        let points = series_points(merged.get(key).unwrap(), 4);
        assert_eq!(points.len(), 201);
        assert!(points
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1));
        assert_eq!(points[0].0, 0.0);
        // At x = 1 (90%) the latency is 9 µs; the last point is the max.
        assert!((points[50].1 - 9.0).abs() < 0.01, "{:?}", points[50]);
        assert!((points[200].1 - 10.0).abs() < 0.01);
    }
}
