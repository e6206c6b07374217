//! Template 37 `MDIncrementalRefreshVolume37`: cumulative electronic volume.
//! Root: [`IncrementalRoot`](super::IncrementalRoot).
//!
//! Group `NoMDEntries` (268), `groupSize`, entry 16:
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 4 | MDEntrySize (271) | Int32 |
//! | 4 | 4 | SecurityID (48) | Int32 |
//! | 8 | 4 | RptSeq (83) | uInt32 |
//! | 12 | 1 | MDUpdateAction (279) | enum u8 |
//! | — | 0 | MDEntryType (269) | constant `e` |
//! | 13 | 3 | pad | |

use super::block::sbe_block;
use super::encoding::{ConstEntryType, Enum, I32, U32};
use super::enums::MdUpdateAction;
use super::group::sbe_message;
use super::incremental_root::IncrementalRoot;

sbe_block! {
    /// Entry of `MDIncrementalRefreshVolume37.NoMDEntries`.
    pub struct Volume37Entry, schema block length 16 {
        md_entry_size [MD_ENTRY_SIZE @ 0]: I32 = "MDEntrySize", since 0;
        security_id [SECURITY_ID @ 4]: I32 = "SecurityID", since 0;
        rpt_seq [RPT_SEQ @ 8]: U32 = "RptSeq", since 0;
        md_update_action [MD_UPDATE_ACTION @ 12]: Enum<MdUpdateAction> = "MDUpdateAction", since 0;
        md_entry_type: ConstEntryType<b'e'> = "MDEntryType", since 0;
    }
}

sbe_message! {
    /// Template 37: electronic volume.
    pub struct MdIncrementalRefreshVolume37 = MD_INCREMENTAL_REFRESH_VOLUME_37, "MDIncrementalRefreshVolume37", root IncrementalRoot {
        md_entries: Volume37Entry = "NoMDEntries", GroupSize, since 0;
    }
}
