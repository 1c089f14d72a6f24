import { deepEqual } from "node:assert/strict";
import { framesPerHotkeyAt } from "@/server/gateway/gateway.ts";

Deno.test("the frame budget per hotkey follows the validator's pace, never below 20/s", () => {
  deepEqual(framesPerHotkeyAt(1000), { perSecond: 20, burst: 40 });
  deepEqual(framesPerHotkeyAt(100), { perSecond: 40, burst: 80 });
  // A sandbox at --step-ms 1 runs hundreds of rounds a second; honest miners answer each.
  deepEqual(framesPerHotkeyAt(1), { perSecond: 4000, burst: 8000 });
});
