//! What the agent reads of its world. Two designs share the table's shape
//! `(bin, row, trend, forecast)` and differ in what the axes mean ([`Design`]).
//!
//! The seed agent's, docs/model.md's state:
//! - bin: utilisation `u = λ_t / (ready·slots·μ)`, split at `utilisation_bins`
//!   (default 0.3, 0.5, 0.8, 1.0: five bins);
//! - row: capacity, the provisioned replicas (ready + booting), 1..max;
//! - trend: the change of `λ` over the last step, rising above `+trend_threshold`,
//!   falling below `−trend_threshold` (default 2 %);
//! - forecast: the forecaster's mean over the next `h` steps against `λ_t`, rising
//!   above `+forecast_threshold`, falling below `−forecast_threshold` (default 5 %).
//!
//! That direction compares a forecast with one noisy sample, and with a
//! forecaster that averages the past it reads "falling" whenever demand rises.
//! The calm agent's state is about what the fleet will need:
//! - bin: headroom, the provisioned replicas minus the need, in seven bins from
//!   "3 or more short" to "3 or more spare". The need is the fewest replicas
//!   that carry within the SLA ([`Sizer`]) the larger of the demand now and the
//!   forecast's highest step over the boot delay, plus the requests waiting
//!   (as the rate that serves them within a step); and at least the highest
//!   such need of the last five minutes, so that a dip does not release
//!   replicas;
//! - row: the utilisation bin (of the ready replicas) as above, from 1;
//! - trend as above;
//! - forecast: the forecast's mean over the next `h` steps against the mean of
//!   the last `h` observed, like against like, so that one noisy step does not
//!   turn it: the future against the recent past.
//!
//! The ablation ("no forecast") reads the same state without a forecast: the
//! need of the demand now, the direction always steady.

use crate::forecast::Direction;
use crate::math::Figure;
use crate::policy::Sizer;
use crate::scenario::{Design, Scenario};
use serde::{Deserialize, Serialize};

/// Headroom bins of the calm design: −3 or fewer, −2 … +2, +3 or more replicas.
pub const HEADROOM_REACH: i32 = 3;

/// One state of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct State {
    /// The first axis: the utilisation bin (seed design; 0 = below the first
    /// edge) or the headroom bin (calm design; 0 = 3 or more replicas short).
    pub bin: usize,
    /// The second axis, from 1: provisioned replicas (seed design, 1..=max) or
    /// the utilisation bin + 1 (calm design).
    pub row: u32,
    pub trend: Direction,
    pub forecast: Direction,
}

/// A state with the numbers it was read from (for forensics).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    pub state: State,
    pub demand: f64,
    pub previous_demand: Option<f64>,
    pub forecast: Option<f64>,
    pub utilisation: f64,
    /// Calm design: the replicas the state's headroom is measured against, and
    /// the forecast's highest step over the boot delay it sized for (`None`
    /// without a forecast).
    pub need: Option<u32>,
    /// Calm design: what this step's demand and forecast alone need (`need` is
    /// at least the highest of these within the scale-in window).
    pub sized: Option<u32>,
    pub ahead: Option<f64>,
}

/// The shape of the state space: the design, bin edges, capacity range and dead bands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateSpace {
    /// Old tables have no design: they are the seed agent's.
    #[serde(default = "seed_design")]
    pub design: Design,
    pub utilisation_bins: Vec<f64>,
    pub max_replicas: u32,
    pub trend_threshold: f64,
    pub forecast_threshold: f64,
}

fn seed_design() -> Design {
    Design::Seed
}

/// What the calm design reads besides the seed's numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outlook<'a> {
    /// Replicas for a demand.
    pub sizer: &'a Sizer,
    /// The forecast path from the step about to be played to the first one a
    /// replica requested now serves (empty: no forecast, as in the ablation).
    pub path: &'a [f64],
    /// The forecast horizon `h` (steps) of the direction.
    pub horizon: usize,
    /// The mean demand of the last `h` steps observed.
    pub recent: f64,
    /// The highest need of the decisions within the scale-in window before
    /// this one: the headroom is measured against at least this.
    pub held: u32,
    /// Requests waiting at the end of the step just played, as a rate that
    /// drains them within one step (req/s): sized for on top of the demand.
    pub backlog: f64,
}

impl StateSpace {
    pub fn from_scenario(s: &Scenario) -> StateSpace {
        StateSpace {
            design: s.agent.design,
            utilisation_bins: s.agent.utilisation_bins.clone(),
            max_replicas: s.scaling.max_replicas,
            trend_threshold: s.agent.trend_threshold,
            forecast_threshold: s.agent.forecast_threshold,
        }
    }

    /// Bins of the first axis.
    pub fn bins(&self) -> usize {
        match self.design {
            Design::Seed => self.utilisation_bins.len() + 1,
            Design::Calm | Design::Residual => 2 * HEADROOM_REACH as usize + 1,
        }
    }

    /// Rows of the second axis.
    pub fn rows(&self) -> u32 {
        match self.design {
            Design::Seed => self.max_replicas.max(1),
            Design::Calm | Design::Residual => self.utilisation_bins.len() as u32 + 1,
        }
    }

    /// The title of the second axis.
    pub fn row_axis(&self) -> &'static str {
        match self.design {
            Design::Seed => "provisioned replicas",
            Design::Calm | Design::Residual => "utilisation bin",
        }
    }

    /// A row's label where space is short: the replicas (seed) or the lower edge
    /// of the utilisation bin in % (calm).
    pub fn row_label(&self, row: u32) -> String {
        match self.design {
            Design::Seed => row.to_string(),
            Design::Calm | Design::Residual => {
                self.short_label_seed(row.saturating_sub(1) as usize)
            }
        }
    }

    /// Number of states.
    pub fn len(&self) -> usize {
        self.bins() * self.rows() as usize * 9
    }

    /// The headroom bin of `spare` replicas (negative: short).
    pub fn headroom_bin(spare: i64) -> usize {
        (spare.clamp(-(HEADROOM_REACH as i64), HEADROOM_REACH as i64) + HEADROOM_REACH as i64)
            as usize
    }

    /// The title of the first axis.
    pub fn axis(&self) -> &'static str {
        match self.design {
            Design::Seed => "utilisation (%)",
            Design::Calm => "headroom (replicas over need)",
            Design::Residual => "the Rule's headroom (its replicas over need)",
        }
    }

    /// A bin's label where space is short: "50-80", "<30", "≥100" for
    /// utilisation, "-3", "0", "+3" for headroom (the ends include beyond).
    pub fn short_label(&self, bin: usize) -> String {
        match self.design {
            Design::Calm | Design::Residual => {
                let h = bin as i32 - HEADROOM_REACH;
                let edge = if h.abs() == HEADROOM_REACH { "≤" } else { "" };
                match h {
                    0 => "0".into(),
                    h if h < 0 => format!("{edge}{h}"),
                    h => format!("{}+{h}", if edge.is_empty() { "" } else { "≥" }),
                }
            }
            Design::Seed => self.short_label_seed(bin),
        }
    }

    fn short_label_seed(&self, bin: usize) -> String {
        let e = &self.utilisation_bins;
        let pct = |x: f64| format!("{:.0}", x * 100.0);
        match (bin.checked_sub(1).and_then(|i| e.get(i)), e.get(bin)) {
            (None, Some(hi)) => format!("<{}", pct(*hi)),
            (Some(lo), Some(hi)) => format!("{}-{}", pct(*lo), pct(*hi)),
            (Some(lo), None) => format!(">{}", pct(*lo)),
            (None, None) => "all".to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn util_bin(&self, u: f64) -> usize {
        if u.is_nan() {
            return self.utilisation_bins.len();
        }
        self.utilisation_bins.iter().take_while(|&&edge| u >= edge).count()
    }

    /// The words for a utilisation bin whatever the design: "50-80 %".
    pub fn bin_label_seed(&self, bin: usize) -> String {
        StateSpace { design: Design::Seed, ..self.clone() }.bin_label(bin)
    }

    /// The words for a bin, e.g. "50-80 %" or "above 100 %" (utilisation),
    /// "2 replicas short", "at the need" or "3 or more spare" (headroom).
    pub fn bin_label(&self, bin: usize) -> String {
        if self.design.sizes_need() {
            let h = bin as i32 - HEADROOM_REACH;
            let more = if h.abs() >= HEADROOM_REACH { " or more" } else { "" };
            let s = if h.abs() == 1 { "" } else { "s" };
            return match h {
                0 => "at the need".into(),
                h if h < 0 => format!("{}{more} replica{s} short", -h),
                h => format!("{h}{more} replica{s} spare"),
            };
        }
        let e = &self.utilisation_bins;
        let pct = |x: f64| format!("{:.0}", x * 100.0);
        match (bin.checked_sub(1).and_then(|i| e.get(i)), e.get(bin)) {
            (None, Some(hi)) => format!("below {} %", pct(*hi)),
            (Some(lo), Some(hi)) => format!("{}-{} %", pct(*lo), pct(*hi)),
            (Some(lo), None) => format!("above {} %", pct(*lo)),
            (None, None) => "any".to_string(),
        }
    }

    pub fn index(&self, s: &State) -> usize {
        let row = (s.row.clamp(1, self.rows()) - 1) as usize;
        let bin = s.bin.min(self.bins() - 1);
        ((bin * self.rows() as usize + row) * 3 + s.trend as usize) * 3 + s.forecast as usize
    }

    pub fn state(&self, index: usize) -> State {
        let forecast = Direction::ALL[index % 3];
        let trend = Direction::ALL[(index / 3) % 3];
        let rest = index / 9;
        let m = self.rows() as usize;
        State { bin: rest / m, row: (rest % m) as u32 + 1, trend, forecast }
    }

    /// Reads the state: `demand` of the step just played, the one before (if any),
    /// the forecast mean (if any), the ready capacity in req/s, the provisioned
    /// count; the calm design also reads the `outlook` (the seed ignores it).
    pub fn read(
        &self,
        demand: f64,
        previous: Option<f64>,
        forecast: Option<f64>,
        capacity: f64,
        provisioned: u32,
        outlook: Option<Outlook>,
    ) -> Reading {
        let utilisation = if demand <= 0.0 {
            0.0
        } else if capacity > 0.0 {
            demand / capacity
        } else {
            f64::INFINITY
        };
        let trend =
            previous.map_or(Direction::Steady, |p| Direction::of(demand, p, self.trend_threshold));

        match (self.design, outlook) {
            (Design::Calm | Design::Residual, Some(o)) => {
                let ahead = o
                    .path
                    .iter()
                    .copied()
                    .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))));
                let sized = o.sizer.need(ahead.map_or(demand, |a| a.max(demand)) + o.backlog);
                let need = sized.max(o.held);
                let next = &o.path[..o.path.len().min(o.horizon.max(1))];
                let mean = (!next.is_empty()).then(|| next.iter().sum::<f64>() / next.len() as f64);
                let fdir = mean.map_or(Direction::Steady, |f| {
                    Direction::of(f, o.recent, self.forecast_threshold)
                });
                let bin = StateSpace::headroom_bin(provisioned as i64 - need as i64);
                let row = self.util_bin(utilisation) as u32 + 1;
                Reading {
                    state: State { bin, row, trend, forecast: fdir },
                    demand,
                    previous_demand: previous,
                    forecast: mean,
                    utilisation,
                    need: Some(need),
                    sized: Some(sized),
                    ahead,
                }
            }
            _ => {
                let fdir = forecast.map_or(Direction::Steady, |f| {
                    Direction::of(f, demand, self.forecast_threshold)
                });
                Reading {
                    state: State {
                        bin: self.util_bin(utilisation),
                        row: provisioned.clamp(1, self.max_replicas.max(1)),
                        trend,
                        forecast: fdir,
                    },
                    demand,
                    previous_demand: previous,
                    forecast,
                    utilisation,
                    need: None,
                    sized: None,
                    ahead: None,
                }
            }
        }
    }

    /// The state in words.
    pub fn describe(&self, v: &Reading) -> String {
        let s = &v.state;
        let util = if v.utilisation.is_finite() {
            format!("{:.0} %", Figure(v.utilisation * 100.0))
        } else {
            "no ready capacity".to_string()
        };
        if let (true, Some(need)) = (self.design.sizes_need(), v.need) {
            let forecast = match (v.forecast, v.ahead) {
                (Some(f), Some(a)) => format!(
                    "the forecast is {} ({:.1} req/s on average over the boot delay, at most {:.1}; {:.1} now)",
                    s.forecast.word(),
                    Figure(f),
                    Figure(a),
                    Figure(v.demand)
                ),
                _ => "no forecast".to_string(),
            };
            return format!(
                "headroom {} ({need} needed), utilisation {util}, demand {} ({:.1} req/s), {forecast}",
                self.bin_label(s.bin),
                s.trend.word(),
                Figure(v.demand)
            );
        }
        let forecast = match v.forecast {
            Some(f) => format!(
                "the forecast is {} ({:.1} req/s against {:.1} now)",
                s.forecast.word(),
                Figure(f),
                Figure(v.demand)
            ),
            None => "no forecast yet".to_string(),
        };
        format!(
            "utilisation {util} (bin {}), {} replica{} provisioned, demand {} ({:.1} req/s), {forecast}",
            self.bin_label(s.bin),
            s.row,
            if s.row == 1 { "" } else { "s" },
            s.trend.word(),
            Figure(v.demand)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_and_state_are_inverse() {
        let space = StateSpace::from_scenario(&Scenario::default());
        assert_eq!(space.len(), 5 * 20 * 9);
        for i in 0..space.len() {
            assert_eq!(space.index(&space.state(i)), i);
        }
    }

    #[test]
    fn bins_split_at_the_edges() {
        let space = StateSpace::from_scenario(&Scenario::default());
        let bins: Vec<usize> =
            [0.0, 0.29, 0.3, 0.49, 0.5, 0.79, 0.8, 0.99, 1.0, 3.0, f64::INFINITY]
                .iter()
                .map(|&u| space.util_bin(u))
                .collect();
        assert_eq!(bins, [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4]);
        assert_eq!(space.bin_label(0), "below 30 %");
        assert_eq!(space.bin_label(2), "50-80 %");
        assert_eq!(space.bin_label(4), "above 100 %");
    }

    #[test]
    fn directions_have_a_dead_band() {
        assert_eq!(Direction::of(102.1, 100.0, 0.02), Direction::Rising);
        assert_eq!(Direction::of(101.9, 100.0, 0.02), Direction::Steady);
        assert_eq!(Direction::of(97.9, 100.0, 0.02), Direction::Falling);
        assert_eq!(Direction::of(1.0, 0.0, 0.02), Direction::Rising);
        assert_eq!(Direction::of(f64::NAN, 1.0, 0.02), Direction::Steady);
    }
}
