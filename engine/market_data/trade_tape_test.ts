import { deepEqual, equal, throws } from "node:assert/strict";
import { mergeTape, TradeTape } from "@/engine/market_data/trade_tape.ts";
import { Side } from "@/engine/book_records.ts";

const trade = (priceTicks: number, step = 1) => ({
  step,
  side: Side.Buy,
  priceTicks,
  quantityLots: 10,
});

Deno.test("TradeTape numbers trades in order and lists the newest first", () => {
  const tape = new TradeTape(10);
  tape.push([trade(100), trade(101)]);
  tape.push([trade(102, 2)]);
  equal(tape.lastId, 3);
  deepEqual(tape.newestSince().map((t) => [t.id, t.priceTicks]), [[3, 102], [2, 101], [1, 100]]);
  deepEqual(tape.newestSince(2).map((t) => t.id), [3]);
});

Deno.test("TradeTape keeps only the newest `capacity` trades", () => {
  const tape = new TradeTape(2);
  tape.push([trade(1), trade(2), trade(3)]);
  deepEqual(tape.newestSince().map((t) => t.priceTicks), [3, 2]);
  throws(() => new TradeTape(0), /Invalid tape capacity 0/);
});

Deno.test("mergeTape() skips trades already shown and trims to capacity", () => {
  const shown = [{ ...trade(2), id: 2 }, { ...trade(1), id: 1 }];
  const update = [{ ...trade(4), id: 4 }, { ...trade(3), id: 3 }, { ...trade(2), id: 2 }];
  deepEqual(mergeTape(shown, update, 3).map((t) => t.id), [4, 3, 2]);
});
