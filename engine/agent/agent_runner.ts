/**
 * Runs an Agent against state updates: remembers the config, dispatches
 * notices to the agent's hooks in order, then asks it to respond.
 *
 * @module
 */
import type { Agent, AgentContext, AgentFactory } from "@/engine/agent/agent.ts";
import { OrderBuilder, type WireInstruction } from "@/engine/agent/order_builder.ts";
import type { Notice, SimulationConfig, StateUpdate } from "@/engine/protocol/state_update.ts";

export interface AgentRunnerOptions {
  uid: number;
  params?: Record<string, string>;
  seed?: number;
}

export class AgentRunner {
  readonly #factory: AgentFactory;
  readonly #options: AgentRunnerOptions;
  #agent: Agent | null = null;
  #config: SimulationConfig | null = null;

  constructor(factory: AgentFactory, options: AgentRunnerOptions) {
    this.#factory = factory;
    this.#options = options;
  }

  /** The response to one state update. */
  handle(state: StateUpdate): { agent_id: number; instructions: WireInstruction[] } {
    if (state.config) this.#config = state.config;
    if (this.#config === null) {
      throw new Error("Cannot run agent: the first state update carried no config");
    }
    const agent = this.#agent ?? this.#startAgent(this.#config);
    for (const notice of state.notices) dispatch(agent, notice);
    const orders = new OrderBuilder(this.#options.uid);
    // After ESE the simulation is over: nothing to answer, and the next
    // state (ESS and the new config) starts a fresh agent.
    if (state.notices.some((notice) => notice.y === "ESE")) {
      this.#agent = null;
      return orders.build();
    }
    agent.respond(state, orders);
    return orders.build();
  }

  #startAgent(config: SimulationConfig): Agent {
    const context: AgentContext = {
      uid: this.#options.uid,
      params: this.#options.params ?? {},
      seed: this.#options.seed ?? this.#options.uid,
      config,
    };
    const agent = this.#factory(context);
    agent.start?.(context);
    this.#agent = agent;
    return agent;
  }
}

function dispatch(agent: Agent, notice: Notice): void {
  switch (notice.y) {
    case "RDPOL":
    case "RDPOM":
      return agent.onAccepted?.(notice);
    case "ERDPOL":
    case "ERDPOM":
      return agent.onRejected?.(notice);
    case "RDCO":
    case "ERDCO":
      return agent.onCancelled?.(notice);
    case "ET":
      return agent.onTrade?.(notice);
    case "RDRA":
      return agent.onReset?.(notice);
    case "ESE":
      return agent.end?.();
  }
}
