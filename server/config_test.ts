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

Deno.test("scoring module by name: kappa by default, unknown names list the allowed ones", () => {
  equal(parseConfig([], noEnv).scoring, "kappa");
  equal(
    parseConfig([], (name) => name === "MARKETFORGE_SCORING" ? "kappa" : undefined).scoring,
    "kappa",
  );
  throws(() => parseConfig(["--scoring", "sharpe"], noEnv), {
    name: "RangeError",
    message: 'Invalid --scoring "sharpe": must be one of kappa',
  });
  throws(() => parseConfig([], (name) => name === "MARKETFORGE_SCORING" ? "x" : undefined), {
    message: 'Invalid MARKETFORGE_SCORING "x": must be one of kappa',
  });
});

Deno.test("chain: local by default; a subtensor URL needs --netuid", () => {
  deepEqual(parseConfig([], noEnv).chain, { kind: "local" });
  deepEqual(parseConfig(["--chain", "ws://127.0.0.1:9944", "--netuid", "3"], noEnv).chain, {
    kind: "subtensor",
    url: "ws://127.0.0.1:9944",
    netuid: 3,
  });
  const env = (name: string) =>
    ({ MARKETFORGE_CHAIN: "wss://127.0.0.1:443", MARKETFORGE_NETUID: "7" })[name];
  deepEqual(parseConfig([], env).chain, {
    kind: "subtensor",
    url: "wss://127.0.0.1:443",
    netuid: 7,
  });
  throws(() => parseConfig(["--chain", "ws://127.0.0.1:9944"], noEnv), {
    message: 'Missing --netuid: a subtensor chain (--chain "ws://127.0.0.1:9944") needs one',
  });
  throws(() => parseConfig(["--chain", "http://127.0.0.1:9944", "--netuid", "1"], noEnv), {
    message: 'Invalid --chain "http://127.0.0.1:9944": must be "local" or a ws:// or wss:// URL',
  });
  throws(() => parseConfig(["--chain", "ws://127.0.0.1:9944", "--netuid", "0"], noEnv), {
    message: 'Invalid --netuid "0": must be an integer from 1 to 65535',
  });
});

Deno.test("the background market's config file comes from --sim-config or the environment", () => {
  equal(parseConfig([], noEnv).simConfigPath, undefined);
  equal(parseConfig(["--sim-config", "sim.json"], noEnv).simConfigPath, "sim.json");
  const env = (name: string) => name === "MARKETFORGE_SIM_CONFIG" ? "/etc/sim.json" : undefined;
  equal(parseConfig([], env).simConfigPath, "/etc/sim.json");
});

Deno.test("simulation duration: τaos's 24 h by default, from a flag or the environment", () => {
  equal(parseConfig([], noEnv).simDurationSeconds, 86_400);
  equal(parseConfig(["--sim-duration-seconds", "600"], noEnv).simDurationSeconds, 600);
  const env = (name: string) => name === "MARKETFORGE_SIM_DURATION_SECONDS" ? "3600" : undefined;
  equal(parseConfig([], env).simDurationSeconds, 3600);
  throws(() => parseConfig(["--sim-duration-seconds", "0"], noEnv), {
    message: 'Invalid --sim-duration-seconds "0": must be an integer from 1 to 31536000',
  });
  throws(() => parseConfig(["--sim-duration-seconds", "30"], noEnv), {
    message: "Invalid --grace-seconds 30: must be less than --sim-duration-seconds (30)",
  });
});

Deno.test("operator key: flag or env, validated without echoing it; --public-metrics", () => {
  const defaults = parseConfig([], noEnv);
  deepEqual([defaults.operatorKey, defaults.publicMetrics], [undefined, false]);
  const key = "s3cret-operator-key-42";
  equal(parseConfig(["--operator-key", key], noEnv).operatorKey, key);
  const env = (name: string) =>
    ({ MARKETFORGE_OPERATOR_KEY: key, MARKETFORGE_PUBLIC_METRICS: "1" })[name];
  deepEqual([parseConfig([], env).operatorKey, parseConfig([], env).publicMetrics], [key, true]);
  equal(parseConfig(["--public-metrics"], noEnv).publicMetrics, true);
  throws(() => parseConfig(["--operator-key", "too short"], noEnv), {
    name: "RangeError",
    message:
      "Invalid --operator-key: must be 16 to 256 printable ASCII characters without spaces (got 9 characters)",
  });
  throws(
    () => parseConfig([], (name) => name === "MARKETFORGE_PUBLIC_METRICS" ? "yes" : undefined),
    { message: 'Invalid MARKETFORGE_PUBLIC_METRICS "yes": must be 1, true, 0 or false' },
  );
});
