/**
 * Turns an agent's TypeScript source, as a miner writes it in the page's
 * editor, into an `AgentFactory` inside the agent worker: sucrase strips the
 * types and rewrites the module's imports as `require` calls, which resolve
 * only to the browser-safe modules example agents use (AGENT_MODULES). The
 * same file runs headless with `deno task miner -- --agent FILE`.
 *
 * @module
 */
import { transform } from "sucrase";
import type { AgentFactory } from "@/engine/agent/agent.ts";
import * as bookMath from "@/engine/agents/_book_math.ts";
import * as orderBuilder from "@/engine/agent/order_builder.ts";
import * as volumePacer from "@/engine/agent/volume_pacer.ts";
import * as forecastError from "@/engine/forecast/forecast_error.ts";
import * as indicators from "@/engine/forecast/indicators.ts";
import * as returnSamples from "@/engine/forecast/return_samples.ts";
import * as adamw from "@/engine/gentrx/ops/adamw.ts";
import * as matmul from "@/engine/gentrx/ops/matmul.ts";
import * as swiglu from "@/engine/gentrx/ops/swiglu.ts";
import * as agentResponse from "@/engine/protocol/agent_response.ts";
import * as seededRandom from "@/engine/seeded_random.ts";

/** What an agent may import in the browser, by the specifier it writes. */
export const AGENT_MODULES: Readonly<Record<string, unknown>> = {
  "@/engine/agent/agent.ts": {},
  "@/engine/agent/order_builder.ts": orderBuilder,
  "@/engine/agent/volume_pacer.ts": volumePacer,
  "@/engine/agents/_book_math.ts": bookMath,
  "@/engine/forecast/forecast_error.ts": forecastError,
  "@/engine/forecast/indicators.ts": indicators,
  "@/engine/forecast/return_samples.ts": returnSamples,
  // The GenTRX CPU training ops a learned agent trains with (forecast_mlp.ts).
  "@/engine/gentrx/ops/adamw.ts": adamw,
  "@/engine/gentrx/ops/matmul.ts": matmul,
  "@/engine/gentrx/ops/swiglu.ts": swiglu,
  "@/engine/protocol/agent_response.ts": agentResponse,
  "@/engine/protocol/state_update.ts": {},
  "@/engine/seeded_random.ts": seededRandom,
};

/** Longest agent source accepted, characters (a generous editor's worth). */
export const MAX_AGENT_SOURCE = 200_000;

/** The console an agent's `console.log` writes to (the page shows its lines). */
export interface AgentConsole {
  log(...values: unknown[]): void;
  info(...values: unknown[]): void;
  warn(...values: unknown[]): void;
  error(...values: unknown[]): void;
  debug(...values: unknown[]): void;
}

/** Compiles and evaluates `source`; throws naming what is wrong (syntax, import, export). */
export function compileAgent(source: string, agentConsole: AgentConsole = console): AgentFactory {
  if (source.length > MAX_AGENT_SOURCE) {
    throw new RangeError(
      `Cannot compile agent: its source is ${source.length} characters, the limit is ${MAX_AGENT_SOURCE}`,
    );
  }
  let code: string;
  try {
    code = transform(source, { transforms: ["typescript", "imports"], production: true }).code;
  } catch (error) {
    throw new SyntaxError(`Cannot compile agent: ${(error as Error).message}`);
  }
  const require = (specifier: string) => {
    const module = AGENT_MODULES[specifier];
    if (module === undefined) {
      throw new Error(
        `Cannot import "${specifier}" in a browser agent: it may import ${
          Object.keys(AGENT_MODULES).join(", ")
        }`,
      );
    }
    return module;
  };
  const module = { exports: {} as Record<string, unknown> };
  try {
    new Function("require", "exports", "module", "console", code)(
      require,
      module.exports,
      module,
      agentConsole,
    );
  } catch (error) {
    throw new Error(`Cannot load agent: ${(error as Error).message}`);
  }
  const factory = module.exports.default;
  if (typeof factory !== "function") {
    throw new TypeError("Cannot use agent: its default export is not an agent factory");
  }
  return factory as AgentFactory;
}
