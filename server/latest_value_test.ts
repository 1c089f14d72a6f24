import { deepEqual } from "node:assert/strict";
import { subscribeLatest } from "@/server/latest_value.ts";

Deno.test("a slow consumer gets the initial value, then only the newest", async () => {
  let publish: (value: number) => void = () => {};
  let unsubscribed = false;
  const values = subscribeLatest(0, (listener) => {
    publish = listener;
    return () => unsubscribed = true;
  });
  const seen: number[] = [];
  for await (const value of values) {
    seen.push(value);
    if (value === 0) {
      publish(1);
      publish(2);
      publish(3);
    } else if (value === 3) {
      setTimeout(() => publish(4), 5);
    } else {
      values.close();
    }
  }
  deepEqual(seen, [0, 3, 4]);
  deepEqual(unsubscribed, true);
});
