/**
 * FIFO lots of one miner on one book (shared/reference/taos.md §4.1): a
 * fill first closes opposite lots, oldest first; realised PnL is the price
 * P&L minus the pro-rata fees of the opening and closing fills (rebates are
 * negative fees, so they add); the remainder opens a new lot.
 *
 * Quantities and prices are plain numbers in base and quote units.
 *
 * @module
 */

export interface Fill {
  /** The miner's side of the fill: 0 bought, 1 sold. */
  side: 0 | 1;
  price: number;
  quantity: number;
  /** Fee the miner paid in quote (negative: a rebate received). */
  fee: number;
}

export interface CloseResult {
  /** Realised PnL of the lots this fill closed, net of fees. */
  realizedPnl: number;
  /** Closed quantity × fill price (τaos round-trip value). */
  roundTripValue: number;
}

export interface Lot {
  side: 0 | 1;
  price: number;
  quantity: number;
  /** Opening fee still attached to the lot. */
  fee: number;
}

export class FifoLots {
  readonly #lots: Lot[] = [];

  /** Lots rebuilt from `lots` (a validator checkpoint), oldest first. */
  static from(lots: readonly Readonly<Lot>[]): FifoLots {
    const fifo = new FifoLots();
    fifo.#lots.push(...lots.map((lot) => ({ ...lot })));
    return fifo;
  }

  /** Net position: positive long, negative short. */
  get position(): number {
    return this.#lots.reduce(
      (sum, lot) => sum + (lot.side === 0 ? lot.quantity : -lot.quantity),
      0,
    );
  }

  /** Open lots, oldest first (copies). */
  get lots(): readonly Readonly<Lot>[] {
    return this.#lots.map((lot) => ({ ...lot }));
  }

  /** Applies one fill; returns what it realised. */
  apply(fill: Fill): CloseResult {
    let remaining = fill.quantity;
    let realizedPnl = 0;
    let closed = 0;
    while (remaining > 0 && this.#lots.length > 0 && this.#lots[0].side !== fill.side) {
      const lot = this.#lots[0];
      const quantity = Math.min(remaining, lot.quantity);
      const direction = lot.side === 0 ? 1 : -1;
      const openFee = lot.fee * (quantity / lot.quantity);
      const closeFee = fill.fee * (quantity / fill.quantity);
      realizedPnl += direction * (fill.price - lot.price) * quantity - openFee - closeFee;
      lot.fee -= openFee;
      lot.quantity -= quantity;
      if (lot.quantity <= 0) this.#lots.shift();
      remaining -= quantity;
      closed += quantity;
    }
    if (remaining > 0) {
      this.#lots.push({
        side: fill.side,
        price: fill.price,
        quantity: remaining,
        fee: fill.fee * (remaining / fill.quantity),
      });
    }
    return { realizedPnl, roundTripValue: closed * fill.price };
  }
}
