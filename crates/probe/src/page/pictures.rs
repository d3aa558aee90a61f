//! The status page's pictures, drawn without script: the 90-day uptime bar as a row of cells
//! whose date and uptime show on hover, tap or focus (CSS only), and each region's latency
//! over 24 hours as an inline SVG line.

use api::pictures::{self, DayCell, EndpointPictures, LatencyLine};
use maud::{html, Markup};

/// The bar: every day hoverable and tappable; the days with trouble also in the tab order,
/// so a keyboard reaches the days that matter without 90 stops.
pub fn uptime_bar(days: &[DayCell]) -> Markup {
    let (wide, narrow) = pictures::legend(days);
    html! {
        div class="bar-wrap" {
            ol class="bar" aria-label="Uptime per day" {
                @for day in days {
                    li class={ "cell " (day.class()) } tabindex=(if day.is_trouble() { "0" } else { "-1" }) {
                        span class="tip" { (day.describe()) }
                    }
                }
            }
            p class="bar-legend" {
                span class="wide" { (days.len()) " days ago" }
                span class="narrow" { (pictures::NARROW_DAYS) " days ago" }
                span class="wide" { (wide) }
                span class="narrow" { (narrow) }
                span { "today" }
            }
        }
    }
}

/// Width and height of a latency line, in the SVG's own units.
const SPARK_WIDTH: f64 = 96.0;
const SPARK_HEIGHT: f64 = 18.0;

/// One region's latency line, on the scale its endpoint's regions share.
pub fn latency_line(line: &LatencyLine, max_ms: u32) -> Markup {
    let path = line.svg_path(SPARK_WIDTH, SPARK_HEIGHT, max_ms);
    let values: Vec<u32> = line.p50_ms.iter().flatten().copied().collect();
    let label = match (values.iter().min(), values.iter().max()) {
        (Some(low), Some(high)) => format!("{} median latency over 24 hours: {low} to {high} ms", line.region),
        _ => format!("{}: no latency data in 24 hours", line.region),
    };
    html! {
        svg class="spark" viewBox={ "0 -1 " (SPARK_WIDTH) " " (SPARK_HEIGHT + 2.0) } width=(SPARK_WIDTH) height=(SPARK_HEIGHT + 2.0) preserveAspectRatio="none" role="img" aria-label=(label) {
            title { (label) }
            line class="base" x1="0" y1=(SPARK_HEIGHT) x2=(SPARK_WIDTH) y2=(SPARK_HEIGHT) stroke="currentColor" stroke-opacity="0.25" vector-effect="non-scaling-stroke" {}
            path d=(path) fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round" vector-effect="non-scaling-stroke" {}
        }
    }
}

/// The line for `region` among an endpoint's pictures, if it has one.
pub fn region_line(pictures: Option<&EndpointPictures>, region: &str) -> Option<Markup> {
    let pictures = pictures?;
    let line = pictures.latency.iter().find(|l| l.region == region)?;
    Some(latency_line(line, pictures::scale(&pictures.latency)))
}

pub const STYLE: &str = ".bar-wrap{margin:.5rem 0 .25rem}.bar{display:flex;gap:1px;list-style:none;padding:0;margin:0;height:1.75rem}\
.cell{flex:1 1 0;min-width:1px;border-radius:1px;background:#1f7a4d;position:relative;outline-offset:1px}\
.cell.degraded{background:#a37f00}.cell.regional{background:#d26a00}.cell.down{background:#c4320a}.cell.none{background:#c9ced6}\
.tip{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}\
.cell:hover .tip,.cell:focus .tip{clip-path:none;width:auto;height:auto;overflow:visible;bottom:2.1rem;right:-.5rem;z-index:1;background:#1b1f24;color:#fff;font-size:.8rem;padding:.2rem .45rem;border-radius:4px}\
.cell:nth-child(-n+45):hover .tip,.cell:nth-child(-n+45):focus .tip{right:auto;left:-.5rem}\
.bar-legend{display:flex;justify-content:space-between;color:#6b7380;font-size:.75rem;margin:.15rem 0 0}.bar-legend .narrow{display:none}\
.regions li{display:grid;grid-template-columns:3.5rem minmax(0,1fr) auto 4.5rem;gap:.5rem;align-items:center}\
.regions .latency{text-align:right;grid-column:4}.regions .spark{grid-column:3}.spark{color:#007ec6;overflow:visible}\
@media(max-width:30rem){.bar .cell:nth-child(-n+60){display:none}.bar-legend .wide{display:none}.bar-legend .narrow{display:inline}\
.regions li{grid-template-columns:2.8rem minmax(0,1fr) 3rem 3.2rem;gap:.35rem}.regions .spark{width:3rem}}\
@media(prefers-color-scheme:dark){.cell.none{background:#2a323d}.tip{background:#e6e9ee!important;color:#0d1117!important}}";
