//! Every default of a scenario, in one place, so that the numbers a run starts
//! from are read together rather than beside each struct.
//!
//! Defaults follow the model (`docs/model.md`), except `sla.p95_s` (see the README's
//! "Departures from the model").

use super::{
    Agent, Design, Family, Forecast, ForecastMethod, Physics, PredictiveSettings, Queue, Replay,
    ReplayFormat, Replica, Reward, RuleSettings, Scaling, Scenario, Scheduled, ServiceModel, Sla,
    Spread, StaticFleet, TimeUnit, Workload,
};

impl Default for Workload {
    fn default() -> Self {
        Workload {
            family: Family::Diurnal,
            base_rps: 24.0,
            amplitude: 0.55,
            peak_hour: 14.0,
            noise: 0.05,
            spikes_per_day: 2.0,
            spike_height: 1.5,
            spike_duration_s: 600.0,
            surges_per_day: 1.0,
            surge_min: 2.0,
            surge_max: 4.0,
            surge_min_s: 300.0,
            surge_max_s: 1200.0,
            mmpp_rates: vec![12.0, 40.0],
            mmpp_dwell_s: vec![1800.0, 600.0],
            step_at_s: 3600.0,
            step_to_rps: 48.0,
            scheduled: Scheduled::default(),
            replay: Replay::default(),
        }
    }
}

/// Scaled like the other families: the working day's 36 req/s with the batch
/// burst's 6 on top is the peak, 15 replicas at 70 % utilisation (a replica
/// serves 8 slots / 2 s = 4 req/s); the night's 8 need 3.
impl Default for Scheduled {
    fn default() -> Self {
        Scheduled {
            night_rps: 8.0,
            day_rps: 36.0,
            surge_at_h: 8.0,
            surge_ramp_s: 180.0,
            lunch_at_h: 12.0,
            lunch_s: 3600.0,
            lunch_dip: 0.25,
            lunch_ramp_s: 120.0,
            evening_at_h: 17.0,
            evening_s: 5400.0,
            weekend: 0.5,
            batch_rps: 6.0,
            batch_at_min: 30.0,
            batch_s: 300.0,
        }
    }
}

impl Default for Replay {
    fn default() -> Self {
        Replay {
            source: String::new(),
            format: ReplayFormat::Auto,
            interval_s: 0.0,
            time_stretch: 1.0,
            rate_scale: 1.0,
            repeat: true,
            service: ServiceModel::Exponential,
            time_unit: TimeUnit::Auto,
            spread: Spread::None,
        }
    }
}

impl Default for Replica {
    fn default() -> Self {
        Replica { slots: 8, service_mean_s: 2.0, per_token_s: 0.0095, price_per_hour: 1.0 }
    }
}

impl Default for Scaling {
    fn default() -> Self {
        Scaling {
            step_size: 1,
            boot_delay_s: 120.0,
            min_replicas: 1,
            max_replicas: 20,
            initial_replicas: 4,
        }
    }
}

impl Default for Queue {
    fn default() -> Self {
        Queue { max_wait_s: 30.0, physics: Physics::Fluid }
    }
}

impl Default for Sla {
    fn default() -> Self {
        Sla { p95_s: 8.0, drop_tolerance: 0.5 }
    }
}

impl Default for Reward {
    fn default() -> Self {
        Reward {
            sla_held: 1.0,
            sla_violated: -5.0,
            per_replica: -0.1,
            per_change: -0.2,
            low_utilisation: -0.5,
            low_utilisation_below: 0.3,
        }
    }
}

impl Default for Agent {
    fn default() -> Self {
        Agent {
            alpha: 0.1,
            gamma: 0.95,
            epsilon_start: 1.0,
            epsilon_end: 0.05,
            epsilon_decay: 0.98,
            episodes: 200,
            utilisation_bins: vec![0.3, 0.5, 0.8, 1.0],
            trend_threshold: 0.02,
            forecast_threshold: 0.05,
            learn_live: false,
            design: Design::Seed,
        }
    }
}

impl Default for Forecast {
    fn default() -> Self {
        Forecast {
            method: ForecastMethod::MovingAverage,
            horizon_steps: 0,
            window: 10,
            hidden_size: 8,
            net_window: 16,
            epochs: 8,
            learning_rate: 0.01,
            update_every: 4,
        }
    }
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            target_utilisation: 0.7,
            tolerance: 0.1,
            stabilisation_s: 300.0,
            scale_up_period_s: 15.0,
        }
    }
}

impl Default for PredictiveSettings {
    fn default() -> Self {
        PredictiveSettings { margin: 0.1, stabilisation_s: 300.0 }
    }
}

impl Default for StaticFleet {
    fn default() -> Self {
        StaticFleet { buffer: 0.2 }
    }
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            seed: 42,
            dt_s: 60.0,
            steps: 4320,
            workload: Workload::default(),
            replica: Replica::default(),
            scaling: Scaling::default(),
            queue: Queue::default(),
            sla: Sla::default(),
            reward: Reward::default(),
            agent: Agent::default(),
            forecast: Forecast::default(),
            rule: RuleSettings::default(),
            predictive: PredictiveSettings::default(),
            static_fleet: StaticFleet::default(),
        }
    }
}
