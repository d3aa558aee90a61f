pub mod home;
pub mod incident;
pub mod not_found;
pub mod runbook;
pub mod shared;
