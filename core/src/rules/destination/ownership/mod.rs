//! `Destination/Account` and `AccessControlTranslation` (owner override), S3R306-S3R313:
//! the account a destination names (`account.rs`) and who owns the replicas
//! (`owner_override.rs`).

mod account;
mod owner_override;

pub use account::{ACCOUNT_CONFLICT, ACCOUNT_INVALID, ACCOUNT_NOT_OWNER};
pub use owner_override::{
    CROSS_ACCOUNT_NO_OVERRIDE, MIXED_OWNERSHIP, OVERRIDE_SAME_ACCOUNT, OVERRIDE_WITHOUT_ACCOUNT,
    OWNER_VALUE,
};

use crate::model::{Destination, Rule};

fn dest(rule: &Rule) -> Option<&Destination> {
    rule.destination.as_ref()
}
