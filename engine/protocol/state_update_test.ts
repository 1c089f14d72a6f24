import { deepEqual, equal, throws } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import {
  type Book,
  decodeStateUpdate,
  encodeBooks,
  encodeStateUpdate,
} from "@/engine/protocol/state_update.ts";

const books: Book[] = [{
  i: 0,
  r: 0.4,
  b: [{ p: 299.99, q: 1.25, o: [{ i: 4, q: 1.25 }] }],
  a: [{ p: 300.01, q: 2 }],
  e: [
    { y: "o", i: 4, t: 1_000, q: 1.25, s: 0, p: 299.99 },
    {
      y: "t",
      i: 5,
      s: 1,
      t: 2_000,
      q: 0.5,
      p: 299.99,
      Ti: 5,
      Ta: 3,
      Tf: 0.03,
      Mi: 4,
      Ma: -1,
      Mf: 0,
    },
  ],
}];

Deno.test("each miner's update carries the shared books bytes verbatim", () => {
  const shared = encodeBooks(books);
  const body = encodeStateUpdate(shared, {
    version: 1,
    timestamp: 1_000_000_000,
    accounts: {},
    notices: [{ y: "ESS", t: 0 }],
  });
  const update = decodeStateUpdate(body);
  deepEqual(update.books, books);
  deepEqual(update.notices, [{ y: "ESS", t: 0 }]);
  equal(update.timestamp, 1_000_000_000);
  // The shared blob is embedded, not re-encoded per miner.
  const hex = (bytes: Uint8Array) =>
    Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  equal(hex(body).includes(hex(shared)), true);
});

Deno.test("a body that is not a state update is refused", () => {
  throws(() => decodeStateUpdate(encode({ books: [1] })), /expected binary books and own parts/);
});
