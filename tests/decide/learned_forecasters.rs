//! The learned forecasters (LSTM and TCN): analytic gradients equal finite
//! differences for every parameter, pre-training lowers the loss on a seasonal
//! series, nothing sees the future, runs are bit-for-bit reproducible, forecasts
//! stay finite and non-negative on wild demand, and the scenario's fields are
//! validated.

use crate::util::{bits, paths, tripled_after};
use autoscale_playground::forecast::net::{loss_and_grad, Net, NetConfig};
use autoscale_playground::forecast::{
    self, FitProgress, Forecaster, Learned, Lstm, LstmNet, Tcn, TcnNet,
};
use autoscale_playground::rng::{Rng, Stream};
use autoscale_playground::scenario::ForecastMethod;
use autoscale_playground::train::Trainer;
use autoscale_playground::{Scenario, Trace};

fn small(window: usize, hidden: usize, horizon: usize) -> NetConfig {
    NetConfig {
        window,
        horizon,
        hidden,
        epochs: 2,
        learning_rate: 0.005,
        update_every: 4,
        seed: 7,
        period: 0,
    }
}

/// Compares the analytic gradient of every parameter with central differences on
/// `cases` random windows; returns how many parameters had a gradient above 1e-9
/// in some case (so that a test cannot pass on gradients that are all zero).
fn check_gradients<N: Net>(mut net: N, cases: usize) -> usize {
    let (w, h, n) = (net.window() * net.features(), net.horizon(), net.params().len());
    let mut rng = Rng::new(3, Stream::Demand, 9);
    let mut tape = N::Tape::default();
    let (mut out, mut dout) = (vec![0.0; h], vec![0.0; h]);
    let mut alive = vec![false; n];
    for case in 0..cases {
        let x: Vec<f64> = (0..w).map(|_| rng.range(-1.0, 1.5)).collect();
        let target: Vec<f64> = (0..h).map(|_| rng.range(-1.0, 1.5)).collect();
        let mut grad = vec![0.0; n];
        loss_and_grad(&net, &x, &target, &mut tape, &mut out, &mut dout, &mut grad);
        let mut loss_at = |net: &N| {
            let mut scratch = vec![0.0; n];
            loss_and_grad(net, &x, &target, &mut tape, &mut out, &mut dout, &mut scratch)
        };
        let eps = 1e-5;
        for i in 0..n {
            let p = net.params()[i];
            net.params_mut()[i] = p + eps;
            let up = loss_at(&net);
            net.params_mut()[i] = p - eps;
            let down = loss_at(&net);
            net.params_mut()[i] = p;
            let numeric = (up - down) / (2.0 * eps);
            // Relative error, with an absolute floor of 1e-10 for tiny gradients.
            let error = (grad[i] - numeric).abs() / grad[i].abs().max(numeric.abs()).max(1e-6);
            assert!(error <= 1e-4, "{} case {case}, parameter {i} of {n}: analytic {}, numeric {numeric}, relative error {error:.2e}", N::NAME, grad[i]);
            alive[i] |= grad[i].abs() > 1e-9;
        }
    }
    alive.iter().filter(|&&a| a).count()
}

#[test]
fn lstm_gradients_match_finite_differences_for_every_parameter() {
    let net = LstmNet::new(&small(7, 5, 3), &mut Rng::new(1, Stream::Forecaster, 0));
    let n = net.params().len();
    assert_eq!(n, 4 * 5 + 4 * 5 * 5 + 4 * 5 + 3 * 5 + 3);
    let alive = check_gradients(net, 4);
    assert_eq!(alive, n, "every LSTM parameter has a gradient");
}

#[test]
fn with_the_time_of_day_the_gradients_still_match_for_every_parameter() {
    // Each step read carries its time of day's sine and cosine: two more weights
    // per LSTM gate row and per TCN channel, after the others.
    let cfg = NetConfig { period: 1440, ..small(7, 5, 3) };
    let lstm = LstmNet::new(&cfg, &mut Rng::new(1, Stream::Forecaster, 0));
    let n = lstm.params().len();
    assert_eq!((lstm.features(), n), (3, 4 * 5 + 4 * 5 * 5 + 4 * 5 + 3 * 5 + 3 + 2 * 4 * 5));
    assert_eq!(check_gradients(lstm, 4), n, "every LSTM parameter has a gradient");
    let cfg = NetConfig { period: 1440, ..small(8, 4, 3) };
    let tcn = TcnNet::new(&cfg, &mut Rng::new(1, Stream::Forecaster, 0));
    let n = tcn.params().len();
    assert_eq!((tcn.features(), n), (3, 2 * 4 + 3 * (2 * 4 * 4 + 4) + 3 * 4 + 3 + 2 * 4));
    assert_eq!(check_gradients(tcn, 6), n, "every TCN parameter has a gradient in some case");
}

#[test]
fn without_the_time_of_day_a_net_is_the_one_it_always_was() {
    // The nets of a workload without a time of day (bursty, constant, step) and
    // of a replay (its training traces are rotations) read none: their weights
    // are drawn as before, in the same order, none added.
    for period in [0, 1440] {
        let cfg = NetConfig { period, ..small(8, 4, 3) };
        let with = TcnNet::new(&cfg, &mut Rng::new(1, Stream::Forecaster, 0));
        let without = TcnNet::new(&small(8, 4, 3), &mut Rng::new(1, Stream::Forecaster, 0));
        let common = without.params().len();
        assert_eq!(with.params()[..common], without.params()[..], "period {period}");
        assert_eq!(with.params().len() > common, period > 0);
    }
    use autoscale_playground::scenario::Family::*;
    for (family, period) in [
        (Diurnal, 1440),
        (FlashCrowd, 1440),
        (Scheduled, 1440),
        (Bursty, 0),
        (Constant, 0),
        (Step, 0),
        (Replay, 0),
    ] {
        let mut s = Scenario::default();
        s.workload.family = family;
        assert_eq!(forecast::net_config(&s).period, period, "{family:?}");
    }
}

#[test]
fn tcn_gradients_match_finite_differences_for_every_parameter() {
    // A window of 8: three levels, dilations 1, 2, 4.
    let net = TcnNet::new(&small(8, 4, 3), &mut Rng::new(1, Stream::Forecaster, 0));
    assert_eq!((net.levels(), net.window()), (3, 8));
    let n = net.params().len();
    assert_eq!(n, 2 * 4 + 3 * (2 * 4 * 4 + 4) + 3 * 4 + 3);
    // In 6 random windows every ReLU unit is on in some: every parameter's
    // gradient is compared somewhere it is not zero (a 10 % allowance let a
    // parameter with no effect on the loss pass unchecked).
    let alive = check_gradients(net, 6);
    assert_eq!(alive, n, "every TCN parameter has a gradient in some case");
}

/// A daily-like cycle of `period` steps around 100 req/s, ±50, with 3 % noise.
fn seasonal_series(seed: u64, len: usize, period: f64) -> Vec<f64> {
    let mut rng = Rng::new(seed, Stream::Demand, 0);
    (0..len)
        .map(|t| {
            (100.0 + 50.0 * (std::f64::consts::TAU * t as f64 / period).sin())
                * (1.0 + 0.03 * rng.normal())
        })
        .collect()
}

fn config(horizon: usize, epochs: usize) -> NetConfig {
    NetConfig {
        window: 16,
        horizon,
        hidden: 8,
        epochs,
        learning_rate: 0.01,
        update_every: 4,
        seed: 42,
        period: 0,
    }
}

/// The loss on a held-out series before and after pre-training.
fn loss_before_and_after<N: Net>(net: &mut Learned<N>) -> (f64, f64) {
    let train: Vec<Vec<f64>> = (1..=4).map(|k| seasonal_series(k, 2000, 96.0)).collect();
    let held_out = seasonal_series(99, 2000, 96.0);
    let before = net.mean_loss(&held_out).unwrap();
    net.fit(&train);
    (before, net.mean_loss(&held_out).unwrap())
}

#[test]
fn pre_training_cuts_the_loss_on_a_seasonal_series() {
    // A cycle of 96 steps, 8 steps ahead: the net has to learn the curve's shape
    // from its last 16 steps; an untrained net predicts about the window's mean.
    // (Measured: 0.0236 to 0.0026 for the LSTM, to 0.0021 for the TCN.)
    let (before, after) = loss_before_and_after(&mut Lstm::new(config(8, 3)));
    assert!(
        after < 0.15 * before,
        "LSTM: held-out loss {before:.5} before pre-training, {after:.5} after"
    );
    let (before, after) = loss_before_and_after(&mut Tcn::new(config(8, 3)));
    assert!(
        after < 0.15 * before,
        "TCN: held-out loss {before:.5} before pre-training, {after:.5} after"
    );
}

#[test]
fn online_learning_alone_learns_the_cycle_of_the_run() {
    // Nets that were never pre-trained, fed one long seasonal run: with online
    // steps their error over the last quarter is far below that of the same nets
    // frozen at their random weights (measured: 11.8 against 30.2 for the LSTM,
    // 8.8 against 30.9 for the TCN).
    let series = seasonal_series(5, 8000, 96.0);
    let h = 8;
    let last_quarter_mae = |f: &mut dyn Forecaster| {
        let mut path = Vec::new();
        let (mut sum, mut n) = (0.0, 0);
        for t in 0..series.len() - h {
            f.observe(series[t]);
            if t >= 6000 {
                f.forecast_path(h, &mut path);
                sum += (path[h - 1] - series[t + h]).abs();
                n += 1;
            }
        }
        sum / n as f64
    };
    let online = NetConfig { learning_rate: 0.1, update_every: 1, ..config(h, 0) };
    let frozen = NetConfig { update_every: 0, ..online.clone() };
    for (name, learning, still) in [
        (
            "LSTM",
            last_quarter_mae(&mut Lstm::new(online.clone())),
            last_quarter_mae(&mut Lstm::new(frozen.clone())),
        ),
        (
            "TCN",
            last_quarter_mae(&mut Tcn::new(online.clone())),
            last_quarter_mae(&mut Tcn::new(frozen.clone())),
        ),
    ] {
        assert!(
            learning < 0.5 * still,
            "{name}: error {learning:.2} learning online, {still:.2} frozen"
        );
    }
}

const NETS: [ForecastMethod; 2] = [ForecastMethod::Lstm, ForecastMethod::Tcn];

/// The default scenario with a net of one pre-training epoch.
fn scenario_with(method: ForecastMethod) -> Scenario {
    let mut s = Scenario::default();
    s.forecast.method = method;
    s.forecast.epochs = 1;
    s
}

/// Training series: the default family with other seeds.
fn training_series(s: &Scenario, count: u64) -> Vec<Vec<f64>> {
    (1..=count).map(|k| Trace::build_with_seed(s, s.seed + k, None).unwrap().rates).collect()
}

/// The scenario's net, pre-trained on two training traces.
fn pre_trained(s: &Scenario) -> Box<dyn Forecaster> {
    let mut f = forecast::from_scenario(s);
    f.fit(&training_series(s, 2));
    f
}

#[test]
fn no_net_can_see_the_future() {
    for method in NETS {
        let s = scenario_with(method.clone());
        let rates = Trace::build(&s, None).unwrap().rates;
        let fitted = pre_trained(&s);
        let reference = bits(&paths(fitted.clone().as_mut(), &rates, 30));
        for cut in [0, 1, 15, 16, 700, 1439, 2 * 1440 + 300] {
            // Online learning must not have used any of the change earlier.
            let changed = tripled_after(&rates, cut);
            let other = bits(&paths(fitted.clone().as_mut(), &changed, 30));
            assert_eq!(
                other[..=cut],
                reference[..=cut],
                "{method:?}: a forecast made at or before step {cut} changed"
            );
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
fn the_same_seed_gives_the_same_forecasts_bit_for_bit_however_pre_training_is_chunked() {
    for method in NETS {
        let s = scenario_with(method.clone());
        let rates = Trace::build(&s, None).unwrap().rates;
        let reference = bits(&paths(pre_trained(&s).as_mut(), &rates, 5));
        // Pre-trained in chunks of 37 mini-batches, then reset after a first run.
        let mut chunked = forecast::from_scenario(&s);
        chunked.fit_start(&training_series(&s, 2));
        let mut calls = 0;
        while !chunked.fit_more(37).is_done() {
            calls += 1;
        }
        assert!(calls > 5, "{method:?}: pre-training took {calls} chunks");
        paths(chunked.as_mut(), &rates[..1000], 5);
        chunked.reset();
        assert_eq!(bits(&paths(chunked.as_mut(), &rates, 5)), reference, "{method:?}");
        // Another seed, other initial weights and batches: other forecasts.
        let other =
            bits(&paths(pre_trained(&Scenario { seed: 7, ..s.clone() }).as_mut(), &rates, 5));
        assert_ne!(other, reference, "{method:?}: the seed changed nothing");
    }
}

#[test]
fn net_forecasts_stay_finite_and_non_negative_through_zeros_jumps_and_huge_demand() {
    let mut series = vec![1.0; 100];
    series.extend([0.0; 1000]);
    series.extend([100.0; 2000]);
    series.extend((0..400).map(|i| if i % 40 < 20 { 1.0 } else { 100.0 }));
    series.extend([1e6; 3000]);
    series.extend([f64::MAX, 0.0, f64::INFINITY, f64::NAN, 5.0]);
    series.extend([0.0; 1500]);
    for method in NETS {
        let s = scenario_with(method.clone());
        let mut f = pre_trained(&s);
        let mut path = Vec::new();
        for (t, &y) in series.iter().enumerate() {
            f.observe(y);
            f.forecast_path(120, &mut path);
            assert!(
                path.iter().all(|v| v.is_finite() && *v >= 0.0),
                "{method:?} at step {t}: {path:?}"
            );
            if t == 6499 {
                let m = f.forecast_mean(2).unwrap();
                assert!((m / 1e6 - 1.0).abs() < 0.02, "{method:?} after 3000 steps at 1e6: {m}");
            }
        }
        assert!(f.forecast_mean(2).unwrap() < 1e-6, "{method:?}: 1500 steps of zero demand");
    }
}

#[test]
fn the_scenario_picks_and_shapes_the_nets() {
    let s = Scenario::from_json(r#"{"forecast": {"method": "lstm", "hidden_size": 12, "net_window": 20, "horizon_steps": 3}}"#).unwrap();
    assert_eq!(s.forecast.method, ForecastMethod::Lstm);
    assert_eq!(forecast::from_scenario(&s).name(), "LSTM");
    let cfg = forecast::net_config(&s);
    assert_eq!((cfg.window, cfg.horizon, cfg.hidden, cfg.seed), (20, 3, 12, 42));
    let tcn = s.with_overrides(&["forecast.method=tcn"]).unwrap();
    assert_eq!(tcn.forecast.method, ForecastMethod::Tcn);
    assert_eq!(forecast::from_scenario(&tcn).name(), "TCN");
    // A window of 20 needs 5 levels (dilations 1 to 16): the TCN reads 32 steps.
    let net = TcnNet::new(&forecast::net_config(&tcn), &mut Rng::new(1, Stream::Forecaster, 0));
    assert_eq!((net.levels(), net.window(), net.horizon()), (5, 32, 3));
    // The defaults: the sizes the README's speed and accuracy figures are for.
    let d = Scenario::default().forecast;
    assert_eq!(
        (d.hidden_size, d.net_window, d.epochs, d.learning_rate, d.update_every),
        (8, 16, 8, 0.01, 4)
    );
}

#[test]
fn net_fields_are_validated_with_their_ranges() {
    let mut s = Scenario::default();
    s.forecast.method = ForecastMethod::Tcn;
    s.forecast.hidden_size = 0;
    s.forecast.net_window = 1;
    s.forecast.epochs = 51;
    s.forecast.learning_rate = f64::NAN;
    s.forecast.update_every = 10_001;
    let e = s.validate().unwrap_err();
    let lines: Vec<String> = e.0.iter().map(|f| f.to_string()).collect();
    assert_eq!(
        lines,
        [
            "forecast.hidden_size = 0: must be a whole number from 1 to 32",
            "forecast.net_window = 1: must be a whole number from 2 to 64",
            "forecast.epochs = 51: must be a whole number from 0 to 50",
            "forecast.learning_rate = NaN: must be a number from 0.000001 to 1",
            "forecast.update_every = 10001: must be a whole number from 0 to 10000",
        ]
    );
    let err =
        Scenario::default().with_overrides(&["forecast.learning_rate=2"]).unwrap_err().to_string();
    assert!(
        err.contains("forecast.learning_rate = 2: must be a number from 0.000001 to 1"),
        "{err}"
    );
    let err = Scenario::from_json(r#"{"forecast": {"method": "gru"}}"#).unwrap_err().to_string();
    assert!(
        err.contains(
            "forecast.method = \"gru\": must be one of naive, moving-average, seasonal, lstm, tcn"
        ),
        "{err}"
    );
}

#[test]
fn the_trainer_pre_trains_the_net_once_and_the_trained_agent_carries_it() {
    let mut s = scenario_with(ForecastMethod::Tcn);
    s.steps = 1440;
    s.agent.episodes = 2;
    // In one go (inside `run`), and in chunks of 100 mini-batches first.
    let mut whole = Trainer::new(&s, None);
    assert!(!whole.fit_done());
    // Made, it has pre-trained nothing yet (that is `fit`'s, in chunks for the
    // page, or `run`'s): its agent forecasts as a fresh net does.
    let rates = Trace::build(&s, None).unwrap().rates;
    let mut made = whole.trained_agent().forecaster().clone_box();
    assert_eq!(
        bits(&paths(made.as_mut(), &rates, 2)),
        bits(&paths(forecast::from_scenario(&s).as_mut(), &rates, 2))
    );
    whole.run(2).unwrap();
    let mut chunked = Trainer::new(&s, None);
    let first = chunked.fit(100).unwrap();
    // 8 traces of 1,440 steps hold more than 8,192 windows: one epoch is 512 batches.
    assert_eq!((first.done, first.total), (100, 512));
    while !chunked.fit_done() {
        chunked.fit(100).unwrap();
    }
    assert_eq!(chunked.fit_progress().done, 512);
    chunked.run(2).unwrap();
    assert!(whole.fit_done());
    assert_eq!(
        whole.curve.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        chunked.curve.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
    );
    // The trained agent's forecaster is the net pre-trained on the first 8 episodes' traces.
    let series: Vec<Vec<f64>> = (0..8).map(|e| whole.episode_trace(e).unwrap().rates).collect();
    let mut standalone = forecast::from_scenario(&s);
    standalone.fit(&series);
    for trainer in [&whole, &chunked] {
        let mut carried = trainer.trained_agent().forecaster().clone_box();
        assert_eq!(carried.name(), "TCN");
        assert_eq!(
            bits(&paths(carried.as_mut(), &rates, 2)),
            bits(&paths(standalone.clone().as_mut(), &rates, 2))
        );
    }
    // A forecaster that learns nothing from training traces has nothing to pre-train.
    let trainer = Trainer::new(&Scenario::default(), None);
    assert!(trainer.fit_done());
    assert_eq!(trainer.fit_progress(), FitProgress::default());
}
