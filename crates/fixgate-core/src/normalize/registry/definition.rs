//! An instrument's definition: what the venue's definition messages say about it
//! (CME templates 27, 29, 54–56; ICE product definitions), in venue-neutral units.

use crate::event::TradingState;
use crate::normalize::text::Text;
use crate::types::{InstrumentId, Price};

/// An instrument symbol (CME `Symbol`, `char[20]`; room for longer venues).
pub type Symbol = Text<24>;
/// A product group or asset code (CME `SecurityGroup`, `Asset`: `char[6]`).
pub type GroupCode = Text<8>;
/// An ISO 4217 currency code.
pub type Currency = Text<3>;
/// A unit of measure (CME `UnitOfMeasure`, `char[30]`).
pub type UnitOfMeasure = Text<32>;

/// How many price levels per side the venue maintains for each of an
/// instrument's books (CME `NoMDFeedTypes`: `MarketDepth` of feed type `GBX` for
/// the outright book, `GBI` for the implied one).
///
/// Zero means the instrument has no such book: updates to it are refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BookDepth {
    /// Outright (real orders) levels per side.
    pub outright: u8,
    /// Implied levels per side.
    pub implied: u8,
}

/// What a definition message does to the registry (CME `SecurityUpdateAction`
/// `A`/`M`/`D`; the venue adapter maps its own codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DefinitionAction {
    /// A new instrument. An instrument already present is updated instead: CME's
    /// definition feed loops and re-sends `A` for every instrument on every loop.
    Add,
    /// A changed definition. An instrument not yet present is added: a client
    /// that joined after the `A` still learns it.
    Modify,
    /// The instrument is gone; its books and statistics are dropped.
    Delete,
}

/// One instrument's definition, in fixgate's units.
///
/// Prices are [`Price`]s at 1e-9 ([`Price::NULL`] where the venue sent none);
/// other optional values are `Option`s. Venue codes the normalizer does not
/// interpret (maturity, CFI code, match algorithm, ...) stay in the venue's own
/// definition view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InstrumentDef {
    /// The instrument's id (for CME, the `SecurityID`); never
    /// [`InstrumentId::NONE`].
    pub id: InstrumentId,
    /// The venue's symbol (`ESZ6`).
    pub symbol: Symbol,
    /// The product group (CME `SecurityGroup`); statuses may address a whole group.
    pub security_group: GroupCode,
    /// The product code (CME `Asset`).
    pub asset: GroupCode,
    /// The minimum price increment (CME `MinPriceIncrement`).
    pub tick_e9: Price,
    /// Display price = price × display factor (CME `DisplayFactor`), in 1e-9
    /// units: 1.0 is `1_000_000_000`.
    pub display_factor_e9: i64,
    /// Units of the underlying per contract (CME `ContractMultiplier`).
    pub contract_multiplier: Option<u32>,
    /// What one unit is (CME `UnitOfMeasure`: `IPNT`, `BBL`, ...).
    pub unit_of_measure: UnitOfMeasure,
    /// How many units of measure one contract is (CME `UnitOfMeasureQty`), 1e-9.
    pub unit_of_measure_qty_e9: Option<i64>,
    /// The price currency (CME `Currency`).
    pub currency: Currency,
    /// The settlement currency (CME `SettlCurrency`).
    pub settl_currency: Currency,
    /// Levels per side of the outright and implied books.
    pub depth: BookDepth,
    /// The upper price limit (CME `HighLimitPrice`).
    pub high_limit_e9: Price,
    /// The lower price limit (CME `LowLimitPrice`).
    pub low_limit_e9: Price,
    /// The price banding width (CME `MaxPriceVariation`).
    pub max_price_variation_e9: Price,
    /// The trading state the definition announces; later status messages update
    /// it in the registry.
    pub trading_state: TradingState,
}

impl InstrumentDef {
    /// A definition with `id` and `symbol` and every other field empty, null or
    /// zero (no books): a base for adapters and tests to fill in.
    pub fn new(id: InstrumentId, symbol: Symbol) -> Self {
        InstrumentDef {
            id,
            symbol,
            security_group: GroupCode::EMPTY,
            asset: GroupCode::EMPTY,
            tick_e9: Price::NULL,
            display_factor_e9: Price::SCALE,
            contract_multiplier: None,
            unit_of_measure: UnitOfMeasure::EMPTY,
            unit_of_measure_qty_e9: None,
            currency: Currency::EMPTY,
            settl_currency: Currency::EMPTY,
            depth: BookDepth::default(),
            high_limit_e9: Price::NULL,
            low_limit_e9: Price::NULL,
            max_price_variation_e9: Price::NULL,
            trading_state: TradingState::Unknown,
        }
    }
}
