import { equal, rejects } from "node:assert/strict";
import { withDeadline } from "@/engine/deadline.ts";

const late = () => new Error("no answer within 20 ms");

// Deno's sanitizers fail any of these that leaves its timer behind.
Deno.test("withDeadline() passes on an answer in time, and its failure", async () => {
  equal(await withDeadline(Promise.resolve(7), 20, late), 7);
  await rejects(withDeadline(Promise.reject(new RangeError("refused")), 20, late), RangeError);
});

Deno.test("withDeadline() gives up on a promise that never settles, with the caller's error", async () => {
  await rejects(withDeadline(new Promise(() => {}), 20, late), /^Error: no answer within 20 ms$/);
});
