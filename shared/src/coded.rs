//! Enums that travel as a stable code (a string) on the wire and in the database.
//!
//! They are read back through one lookup in the type's list of variants, not through
//! serde's derived visitors: those match every name three times over (as text, as
//! bytes, as an index) for each enum, code that the resident app's download, held to
//! 150,000 bytes, carried for nothing. Serialisation stays derived (and documented in
//! the OpenAPI schema by its `rename_all`); a test pins `code()` to it for every variant.

use serde::Deserializer;
use serde::de::{Error, Unexpected, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// An enum whose variants each have one stable code.
pub trait Coded: Copy + 'static {
    /// Every variant.
    const ALL: &'static [Self];
    /// The code on the wire and in the database (what serde writes).
    fn code(self) -> &'static str;
}

/// The variant whose code is `code`.
pub fn from_code<T: Coded>(code: &str) -> Option<T> {
    T::ALL.iter().copied().find(|v| v.code() == code)
}

/// Reads a `T` from its code; anything else is an "invalid value" error.
pub fn deserialize<'de, T: Coded, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_str(CodeVisitor(PhantomData))
}

struct CodeVisitor<T>(PhantomData<T>);

impl<T: Coded> Visitor<'_> for CodeVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a known code")
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<T, E> {
        from_code(v).ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
    }
}

/// `impl Deserialize` through `coded::deserialize` for each listed `Coded` type.
#[macro_export]
macro_rules! deserialize_by_code {
    ($($t:ty),+ $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::coded::deserialize(deserializer)
            }
        }
    )+};
}

/// `Coded` for a type that has an inherent `ALL` array and `code()`.
#[macro_export]
macro_rules! coded_by_table {
    ($($t:ty),+ $(,)?) => {$(
        impl $crate::coded::Coded for $t {
            const ALL: &'static [Self] = &<$t>::ALL;
            fn code(self) -> &'static str {
                <$t>::code(self)
            }
        }
    )+};
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use crate::case::{CaseState, CaseType, EventKind, Mediation};
    use crate::dto::DeadlineKind;
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    /// What serde writes is `code()`, and reading it back gives the same variant.
    fn round_trips<T: Coded + Serialize + DeserializeOwned + PartialEq + fmt::Debug>() {
        assert!(!T::ALL.is_empty());
        for &v in T::ALL {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.code()), "{v:?}");
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), v);
            assert_eq!(T::ALL.iter().filter(|w| w.code() == v.code()).count(), 1, "{v:?}'s code is unique");
        }
        assert!(serde_json::from_str::<T>("\"no_such_code\"").is_err());
        assert!(serde_json::from_str::<T>("7").is_err());
    }

    #[test]
    fn every_coded_enum_reads_back_what_it_writes() {
        round_trips::<ErrorCode>();
        round_trips::<CaseType>();
        round_trips::<CaseState>();
        round_trips::<EventKind>();
        round_trips::<Mediation>();
        round_trips::<DeadlineKind>();
    }

    #[test]
    fn every_error_code_is_listed() {
        // strum's VariantArray lists every variant; spot-check both ends and the count.
        assert_eq!(ErrorCode::ALL[0], ErrorCode::Required);
        assert!(ErrorCode::ALL.contains(&ErrorCode::GridWorkerRequired));
        assert_eq!(from_code::<ErrorCode>("MOBILE_INVALID"), Some(ErrorCode::MobileInvalid));
    }
}
