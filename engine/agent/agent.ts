/**
 * The miner's trading agent: the interface a miner implements, whether it
 * runs in a browser tab, headless with `deno task miner`, or offline in the
 * sandbox. It mirrors τaos's FinanceSimulationAgent (taos.md §5): notices
 * arrive through hooks before the agent decides its response to a state.
 *
 * @module
 */
import type { OrderBuilder } from "@/engine/agent/order_builder.ts";
import type { ForecastRequest } from "@/engine/forecast/forecast_request.ts";
import type {
  CancelNotice,
  OrderNotice,
  ResetNotice,
  SimulationConfig,
  StateUpdate,
  TradeNotice,
} from "@/engine/protocol/state_update.ts";

export interface AgentContext {
  /** The miner's UID: its agent id on the exchange. */
  uid: number;
  /** Parameters from `--param k=v`. */
  params: Readonly<Record<string, string>>;
  /** Seed for the agent's own random choices. */
  seed: number;
  config: SimulationConfig;
}

export interface Agent {
  /** Before the first state (τaos onStart). */
  start?(context: AgentContext): void;
  /** An order reached the book (RDPOL / RDPOM). */
  onAccepted?(notice: OrderNotice): void;
  /** An order was refused (ERDPOL / ERDPOM); `notice.m` says why. */
  onRejected?(notice: OrderNotice): void;
  /** Cancellations done or refused (RDCO / ERDCO). */
  onCancelled?(notice: CancelNotice): void;
  onTrade?(notice: TradeNotice): void;
  /**
   * The validator reset this UID's accounts (τaos RDRA: the UID changed
   * hands): orders gone, fresh capital.
   */
  onReset?(notice: ResetNotice): void;
  /**
   * End of a simulation (τaos onEnd, the ESE notice). The next simulation
   * starts a new agent from the factory with its config.
   */
  end?(): void;
  /** Decides this step's instructions. */
  respond(state: StateUpdate, orders: OrderBuilder): void;
  /**
   * The forecast pool (issue 10, TSPS): the next `request.horizon` closes
   * of a stream. Agents without it take no part in forecasting.
   */
  forecast?(request: ForecastRequest): number[] | Promise<number[]>;
}

/** What an agent module default-exports: a factory taking its context. */
export type AgentFactory = (context: AgentContext) => Agent;
