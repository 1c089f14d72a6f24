import { deepEqual, equal, throws } from "node:assert/strict";
import { parseConfig } from "@/server/config.ts";

const noEnv = () => undefined;

Deno.test("defaults: port 8000 on loopback, seed 1, four books", () => {
  const config = parseConfig([], noEnv);
  deepEqual(
    [config.port, config.hostname, config.seed, config.books, config.stepMs],
    [8000, "127.0.0.1", 1, 4, 100],
  );
  equal(config.dataDir.endsWith("/data"), true);
});

Deno.test("flags win over the environment", () => {
  const env = (name: string) => ({ PORT: "8123", MARKETFORGE_SEED: "9" })[name];
  deepEqual([parseConfig([], env).port, parseConfig([], env).seed], [8123, 9]);
  equal(parseConfig(["--port", "9001"], env).port, 9001);
});

Deno.test("bad values name the setting and its limits", () => {
  throws(() => parseConfig(["--port", "70000"], noEnv), {
    name: "RangeError",
    message: 'Invalid --port "70000": must be an integer from 0 to 65535',
  });
  throws(() => parseConfig([], (name) => name === "PORT" ? "http" : undefined), {
    message: 'Invalid PORT "http": must be an integer from 0 to 65535',
  });
  throws(() => parseConfig(["--books", "0"], noEnv), {
    message: 'Invalid --books "0": must be an integer from 1 to 1024',
  });
  throws(() => parseConfig(["--colour", "red"], noEnv), /Unknown option '--colour'/);
});
