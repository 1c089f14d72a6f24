import { equal, throws } from "node:assert/strict";
import {
  optional,
  readBytes,
  readInteger,
  readPositive,
  readRecord,
  readText,
} from "@/engine/protocol/fields.ts";

Deno.test("readers return typed values and name the field and limit otherwise", () => {
  equal(readInteger(5n, "n"), 5);
  equal(readInteger(3, "n", 0, 3), 3);
  throws(() => readInteger(4, "n", 0, 3), { message: "Invalid n: must be an integer from 0 to 3" });
  throws(() => readInteger(1.5, "n"), /must be an integer/);
  throws(() => readPositive(0, "price"), { message: "Invalid price: must be a number above 0" });
  throws(() => readPositive(Infinity, "price"), /above 0/);
  throws(() => readText("", "name", 4), {
    message: "Invalid name: must be a string of 1 to 4 characters",
  });
  throws(() => readBytes(new Uint8Array(3), "sig", 2), /at most 2 bytes/);
  throws(() => readRecord([], "map"), { message: "Invalid map: must be a map" });
  throws(() => readRecord(new Uint8Array(), "map"), /must be a map/);
  equal(optional(null, 9, (v) => readInteger(v, "x")), 9);
  equal(optional(2, 9, (v) => readInteger(v, "x")), 2);
});
