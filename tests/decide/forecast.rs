//! Forecasters: nothing sees the future, the exact values of persistence and the
//! moving average, what the seasonal model gains on a daily cycle, robustness to
//! zeros and jumps, and how the scenario picks the method and the horizon.

use crate::util::{bits, paths, tripled_after};
use autoscale_playground::forecast::{self, Forecaster, MovingAverage, Naive, Seasonal};
use autoscale_playground::scenario::ForecastMethod;
use autoscale_playground::{Scenario, Trace};
use std::f64::consts::TAU;

const DAY_STEPS: usize = 1440;
const METHODS: [ForecastMethod; 3] =
    [ForecastMethod::Naive, ForecastMethod::MovingAverage, ForecastMethod::Seasonal];

fn scenario_with(method: ForecastMethod) -> Scenario {
    let mut s = Scenario::default();
    s.forecast.method = method;
    s
}

/// Mean absolute error of the `h`-step-ahead forecast over the targets `from..`.
fn mae(f: &mut dyn Forecaster, series: &[f64], h: usize, from: usize) -> f64 {
    let all = paths(f, series, h);
    let errors: Vec<f64> =
        (from - h..series.len() - h).map(|t| (all[t][h - 1] - series[t + h]).abs()).collect();
    errors.iter().sum::<f64>() / errors.len() as f64
}

#[test]
fn no_forecaster_can_see_the_future() {
    let s = Scenario::default();
    let rates = Trace::build(&s, None).unwrap().rates;
    let h = 60;
    for method in METHODS {
        let s = scenario_with(method.clone());
        let reference = bits(&paths(forecast::from_scenario(&s).as_mut(), &rates, h));
        for cut in [0, 1, 700, DAY_STEPS - 1, DAY_STEPS, 2 * DAY_STEPS + 300] {
            let changed = tripled_after(&rates, cut);
            let other = bits(&paths(forecast::from_scenario(&s).as_mut(), &changed, h));
            assert_eq!(
                other[..=cut],
                reference[..=cut],
                "{method:?}: a forecast made at or before step {cut} changed"
            );
            // And the change is seen as soon as it is observed.
            assert_ne!(
                other[cut + 1],
                reference[cut + 1],
                "{method:?}: step {} ignored its demand",
                cut + 1
            );
        }
    }
}

#[test]
fn every_forecaster_is_silent_before_its_first_observation_and_after_reset() {
    for method in METHODS {
        let mut f = forecast::from_scenario(&scenario_with(method.clone()));
        let mut path = vec![1.0];
        f.forecast_path(5, &mut path);
        assert!(path.is_empty(), "{method:?}");
        assert_eq!(f.forecast_mean(5), None, "{method:?}");
        f.observe(7.0);
        assert_eq!(f.forecast_mean(5), Some(7.0), "{method:?}: one observation is all it knows");
        f.reset();
        assert_eq!(f.forecast_mean(5), None, "{method:?}");
    }
}

#[test]
fn naive_repeats_the_last_observation() {
    let mut f = Naive::default();
    let mut path = Vec::new();
    for (y, h) in [(3.0, 3), (5.5, 1), (0.0, 2), (2.25, 4)] {
        f.observe(y);
        f.forecast_path(h, &mut path);
        assert_eq!(path, vec![y; h]);
    }
    assert_eq!(f.forecast_mean(4), Some(2.25));
    assert_eq!(f.name(), "naive");
}

#[test]
fn moving_average_is_the_mean_of_the_last_window() {
    let mut f = MovingAverage::new(3);
    let expected = [1.0, 1.5, 2.0, 3.0, 17.0 / 3.0, 7.0, 6.0];
    let mut path = Vec::new();
    for (y, want) in [1.0, 2.0, 3.0, 4.0, 10.0, 7.0, 1.0].into_iter().zip(expected) {
        f.observe(y);
        f.forecast_path(4, &mut path);
        assert_eq!(path, vec![want; 4], "after observing {y}");
    }
    assert_eq!(f.name(), "moving average");
    // A window of 0 is a window of 1.
    let mut one = MovingAverage::new(0);
    one.observe(4.0);
    one.observe(9.0);
    assert_eq!((one.window(), one.forecast_mean(3)), (1, Some(9.0)));
}

#[test]
fn moving_average_does_not_drift_after_huge_values() {
    let window = 7;
    let mut f = MovingAverage::new(window);
    // 10^4 steps around 10^6, then small values: a plain running sum would keep a
    // residue of the big ones' rounding, orders of magnitude above 1e-3.
    let series: Vec<f64> = (0..10_000)
        .map(|i| 1e6 + 0.1 * (i % 13) as f64)
        .chain((0..50).map(|i| 1e-3 * (1 + i % 5) as f64))
        .collect();
    for &y in &series {
        f.observe(y);
    }
    let tail = &series[series.len() - window..];
    let exact = tail.iter().sum::<f64>() / window as f64;
    let got = f.forecast_mean(1).unwrap();
    assert!((got - exact).abs() <= 1e-12 * exact, "moving average {got}, exact mean {exact}");
}

#[test]
fn seasonal_beats_persistence_and_the_moving_average_on_the_diurnal_trace() {
    // The default scenario: diurnal, 3 days of 60 s steps, 5 % noise, spikes.
    let s = Scenario::default();
    let rates = Trace::build(&s, None).unwrap().rates;
    assert_eq!(rates.len(), 3 * DAY_STEPS);
    let day3 = 2 * DAY_STEPS;
    let h = forecast::horizon_steps(&s);
    let naive = mae(&mut Naive::default(), &rates, h, day3);
    let average = mae(&mut MovingAverage::new(10), &rates, h, day3);
    let seasonal = mae(&mut Seasonal::new(&s), &rates, h, day3);
    assert!(
        seasonal < average && average < naive,
        "day 3, {h} steps ahead: seasonal {seasonal}, moving average {average}, naive {naive}"
    );
    // An hour ahead the daily shape is what matters, and only the seasonal model has it.
    let naive = mae(&mut Naive::default(), &rates, 60, day3);
    let average = mae(&mut MovingAverage::new(10), &rates, 60, day3);
    let seasonal = mae(&mut Seasonal::new(&s), &rates, 60, day3);
    assert!(
        seasonal < 0.6 * average && seasonal < 0.6 * naive,
        "day 3, 60 steps ahead: seasonal {seasonal}, moving average {average}, naive {naive}"
    );
}

#[test]
fn seasonal_learns_a_noiseless_daily_sinusoid_in_two_days() {
    let s = Scenario::default();
    assert_eq!(Seasonal::new(&s).period(), DAY_STEPS);
    let (mean, amplitude, h) = (100.0, 50.0, 60);
    let series: Vec<f64> = (0..3 * DAY_STEPS + h)
        .map(|t| mean + amplitude * (TAU * t as f64 / DAY_STEPS as f64).sin())
        .collect();
    let worst = |f: &mut dyn Forecaster| {
        let all = paths(f, &series, h);
        (2 * DAY_STEPS..3 * DAY_STEPS)
            .map(|t| (all[t][h - 1] - series[t + h]).abs())
            .fold(0.0, f64::max)
    };
    let seasonal = worst(&mut Seasonal::new(&s));
    let average = worst(&mut MovingAverage::new(10));
    assert!(seasonal < 0.02 * amplitude, "seasonal worst error {seasonal}");
    assert!(average > 0.2 * amplitude, "moving average worst error {average}");
}

#[test]
fn forecasts_stay_finite_and_non_negative_through_zeros_jumps_and_huge_demand() {
    let mut series = vec![1.0; 100];
    series.extend([0.0; 1000]);
    series.extend([100.0; 2000]);
    series.extend([1e6; 3000]);
    // Beyond what a trace can hold: the forecasters take it in their stride.
    series.extend([f64::MAX, 0.0, f64::INFINITY, f64::NAN, 5.0]);
    series.extend([0.0; 1500]);
    let hourly = Scenario { dt_s: 3600.0, ..Scenario::default() };
    let forecasters: Vec<Box<dyn Forecaster>> = vec![
        Box::new(Naive::default()),
        Box::new(MovingAverage::new(10)),
        Box::new(Seasonal::new(&Scenario::default())),
        Box::new(Seasonal::new(&hourly)),
    ];
    for (k, mut f) in forecasters.into_iter().enumerate() {
        let mut path = Vec::new();
        for (t, &y) in series.iter().enumerate() {
            f.observe(y);
            f.forecast_path(120, &mut path);
            assert!(
                path.iter().all(|v| v.is_finite() && *v >= 0.0),
                "forecaster {k} at step {t}: {path:?}"
            );
            if t == 6099 {
                // 3000 steps at 10^6: every forecaster has settled there.
                let m = f.forecast_mean(2).unwrap();
                assert!(
                    (m / 1e6 - 1.0).abs() < 1e-3,
                    "forecaster {k} after 3000 steps at 1e6: {m}"
                );
            }
        }
    }
}

#[test]
fn horizon_is_the_boot_delay_in_steps_unless_set() {
    let mut s = Scenario::default();
    assert_eq!((s.scaling.boot_delay_s, s.dt_s), (120.0, 60.0));
    assert_eq!(forecast::horizon_steps(&s), 2);
    s.scaling.boot_delay_s = 90.0;
    assert_eq!(forecast::horizon_steps(&s), 2, "a part step counts as a step");
    s.scaling.boot_delay_s = 0.0;
    assert_eq!(forecast::horizon_steps(&s), 1);
    s.forecast.horizon_steps = 5;
    assert_eq!(forecast::horizon_steps(&s), 5);
}

#[test]
fn the_scenario_picks_the_method() {
    for (method, name) in METHODS.into_iter().zip(["naive", "moving average", "seasonal"]) {
        assert_eq!(forecast::from_scenario(&scenario_with(method)).name(), name);
    }
    // The moving average gets the scenario's window.
    let mut s = scenario_with(ForecastMethod::MovingAverage);
    s.forecast.window = 2;
    let mut f = forecast::from_scenario(&s);
    for y in [10.0, 20.0, 40.0] {
        f.observe(y);
    }
    assert_eq!(f.forecast_mean(1), Some(30.0));
}
