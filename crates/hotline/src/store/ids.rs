//! The domain's id newtypes bound and read as their inner column type, on
//! every backend (`Any`, and SQLite or PostgreSQL directly): what sqlx's
//! `#[sqlx(transparent)]` would derive, kept here so `domain` knows no sqlx.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};

use crate::domain::{ChatId, EscalationId, PersonId, ReportId};

macro_rules! transparent {
    ($name:ty, $inner:ty) => {
        impl<DB: Database> Type<DB> for $name
        where
            $inner: Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <$inner as Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <$inner as Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: Database> Encode<'q, DB> for $name
        where
            $inner: Encode<'q, DB>,
        {
            fn encode_by_ref(&self, buf: &mut DB::ArgumentBuffer) -> Result<IsNull, BoxDynError> {
                <$inner as Encode<'q, DB>>::encode_by_ref(&self.0, buf)
            }
            fn size_hint(&self) -> usize {
                <$inner as Encode<'q, DB>>::size_hint(&self.0)
            }
        }

        impl<'r, DB: Database> Decode<'r, DB> for $name
        where
            $inner: Decode<'r, DB>,
        {
            fn decode(value: DB::ValueRef<'r>) -> Result<Self, BoxDynError> {
                <$inner as Decode<'r, DB>>::decode(value).map(Self)
            }
        }
    };
}

transparent!(ReportId, i64);
transparent!(EscalationId, i64);
transparent!(ChatId, i64);
transparent!(PersonId, String);
