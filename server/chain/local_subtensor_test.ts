import { deepEqual, throws } from "node:assert/strict";
import { parseLocalSubtensorArgs } from "@/server/chain/local_subtensor.ts";

Deno.test("chain:local takes --spec, an optional --port and --commit-reveal", () => {
  deepEqual(parseLocalSubtensorArgs(["--", "--spec", "raw.json"]), {
    specPath: "raw.json",
    port: 9944,
    commitReveal: false,
  });
  deepEqual(parseLocalSubtensorArgs(["--spec=raw.json", "--port", "9950", "--commit-reveal"]), {
    specPath: "raw.json",
    port: 9950,
    commitReveal: true,
  });
});

Deno.test("chain:local names a missing --spec or a bad --port", () => {
  throws(() => parseLocalSubtensorArgs([]), /^Error: Missing --spec: give the path of a raw/);
  throws(() => parseLocalSubtensorArgs(["--spec", "a", "--port", "0"]), {
    message: 'Invalid --port "0": must be an integer from 1 to 65535',
  });
  throws(() => parseLocalSubtensorArgs(["--genesis", "a"]), /Unknown option '--genesis'/);
});
