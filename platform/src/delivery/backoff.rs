//! Exponential backoff with full jitter, so many failing streams do not retry in step.

use rand::Rng;
use std::time::Duration;

/// The wait before retry number `attempt` (1 = after the first failure): a random duration up to
/// `initial * 2^(attempt-1)`, capped at `max`, and never under a tenth of that bound.
pub(super) fn delay(attempt: u32, initial: Duration, max: Duration) -> Duration {
    let bound = initial.saturating_mul(1u32 << attempt.saturating_sub(1).min(20)).min(max);
    let floor = bound / 10;
    floor + bound.saturating_sub(floor).mul_f64(rand::thread_rng().gen::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_then_stays_under_the_cap() {
        let initial = Duration::from_millis(100);
        let max = Duration::from_secs(5);
        for attempt in 1..40 {
            let bound = (initial * 2u32.pow((attempt - 1).min(20))).min(max);
            let wait = delay(attempt, initial, max);
            assert!(wait <= bound && wait >= bound / 10, "attempt {attempt}: {wait:?} outside {bound:?}");
        }
    }
}
