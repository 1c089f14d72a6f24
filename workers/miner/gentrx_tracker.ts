/**
 * What the miner console shows of the GenTRX training pool (issue 9): the
 * backend the training worker chose (WebGPU or CPU), the current round and
 * what the tab is doing with it, the round's loss per step for the live
 * curve, and the validator's receipts for the tab's commit, join and
 * uploads. Scores come from the validator's `/gentrx/scores`, read by the
 * page (islands/BrowserMiner.tsx).
 *
 * @module
 */
import type { GenTrxReceiptFrame } from "@/engine/gateway/frames.ts";
import type { TrainingBackendKind } from "@/workers/protocol.ts";
import type { GenTrxRoundState } from "@/workers/miner/gentrx_trainer.ts";

/** Receipts kept for the console, newest last. */
const MAX_RECEIPTS = 8;

export interface GenTrxReceiptLine {
  kind: GenTrxReceiptFrame["kind"];
  round: number | null;
  ok: boolean;
  message: string;
}

export interface GenTrxFigures {
  /** Whether the validator recorded the tab's `join`. */
  joined: boolean;
  backend: TrainingBackendKind | null;
  round: number | null;
  state: GenTrxRoundState | "waiting";
  /** Why the round was skipped or failed, or the upload's size. */
  detail: string;
  /** The current round's loss before each step. */
  losses: number[];
  uploads: number;
  receipts: GenTrxReceiptLine[];
}

export class GenTrxTracker {
  #figures: GenTrxFigures = {
    joined: false,
    backend: null,
    round: null,
    state: "waiting",
    detail: "",
    losses: [],
    uploads: 0,
    receipts: [],
  };

  state(round: number, state: GenTrxRoundState, detail = ""): void {
    const losses = round === this.#figures.round ? this.#figures.losses : [];
    this.#figures = {
      ...this.#figures,
      round,
      state,
      detail,
      losses,
      uploads: this.#figures.uploads + (state === "uploaded" ? 1 : 0),
    };
  }

  backend(backend: TrainingBackendKind): void {
    this.#figures = { ...this.#figures, backend };
  }

  loss(round: number, loss: number): void {
    if (round !== this.#figures.round) return;
    this.#figures = { ...this.#figures, losses: [...this.#figures.losses, loss] };
  }

  receipt(frame: GenTrxReceiptFrame): void {
    const line = {
      kind: frame.kind,
      round: frame.round ?? null,
      ok: frame.ok,
      message: frame.message,
    };
    this.#figures = {
      ...this.#figures,
      joined: this.#figures.joined || (frame.kind === "join" && frame.ok),
      receipts: [...this.#figures.receipts, line].slice(-MAX_RECEIPTS),
    };
  }

  figures(): GenTrxFigures {
    return this.#figures;
  }
}
