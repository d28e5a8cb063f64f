//! How a send went, as `/metrics` counts it (`crate::obs` knows no outbox types).

use super::DeliveryError;

/// `None` for a send that went through; else the failure's kind:
/// `"429"`, `"transient"`, `"unreachable"` or `"permanent"`.
pub fn failure_kind<T>(outcome: &Result<T, DeliveryError>) -> Option<&'static str> {
    match outcome.as_ref().err()? {
        DeliveryError::RetryAfter(_) => Some("429"),
        DeliveryError::Transient(_) => Some("transient"),
        DeliveryError::Unreachable(_) => Some("unreachable"),
        DeliveryError::Permanent(_) => Some("permanent"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_has_its_kind() {
        let wait = DeliveryError::RetryAfter(std::time::Duration::from_secs(1));
        assert_eq!(failure_kind(&Ok::<_, DeliveryError>(())), None);
        assert_eq!(failure_kind::<()>(&Err(wait)), Some("429"));
        let refused = DeliveryError::Permanent("Forbidden".into());
        assert_eq!(failure_kind::<()>(&Err(refused)), Some("permanent"));
    }
}
