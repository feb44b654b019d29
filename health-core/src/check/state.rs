//! Shared state handed to checks: `&T` parameters of `#[health_check]`
//! functions are looked up here by type.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

/// Values given to [`RegistryBuilder::state`](crate::RegistryBuilder::state),
/// keyed by type. Cheap to clone.
#[derive(Clone, Default)]
pub struct State(Arc<HashMap<TypeId, Box<dyn Any + Send + Sync>>>);

impl State {
    pub(crate) fn from_map(map: HashMap<TypeId, Box<dyn Any + Send + Sync>>) -> Self {
        Self(Arc::new(map))
    }

    /// The value of type `T`, if one was given.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0
            .get(&TypeId::of::<T>())
            .and_then(|v| v.downcast_ref())
    }

    pub(crate) fn contains(&self, id: TypeId) -> bool {
        self.0.contains_key(&id)
    }
}

/// A state type a declared check needs. Not public API.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct StateReq {
    pub type_id: fn() -> TypeId,
    pub type_name: fn() -> &'static str,
}

impl StateReq {
    /// The requirement for a parameter `&T`.
    pub const fn of<T: Any + Send + Sync>() -> Self {
        Self {
            type_id: TypeId::of::<T>,
            type_name: std::any::type_name::<T>,
        }
    }
}
