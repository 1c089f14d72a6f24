/**
 * What the miner console shows of the forecast pool (issue 10): requests
 * the validator sent, forecasts committed, and — once the realised closes
 * come back — the skill of each against the naive forecast, scored the way
 * the validator scores it (engine/forecast/forecast_error.ts), so a browser
 * miner sees whether its forecaster earns anything before the weights say so.
 *
 * @module
 */
import { forecastSkill } from "@/engine/forecast/forecast_error.ts";
import type { ForecastRequestFrame } from "@/engine/gateway/frames.ts";

/** Committed forecasts kept until their outcome (older ones are dropped). */
const MAX_PENDING = 64;

export interface ForecastFigures {
  requests: number;
  committed: number;
  /** Forecasts whose realised closes came back. */
  scored: number;
  /** Skill against naive of the last scored forecast, in [0, 1]. */
  lastSkill: number | null;
  meanSkill: number | null;
}

export class ForecastTracker {
  readonly #pending = new Map<string, { predictions: number[]; lastClose: number }>();
  #requests = 0;
  #committed = 0;
  #scored = 0;
  #skillSum = 0;
  #lastSkill: number | null = null;

  requested(): void {
    this.#requests++;
  }

  committed(request: ForecastRequestFrame, predictions: number[]): void {
    this.#committed++;
    const lastClose = request.history.close.at(-1);
    if (lastClose === undefined) return;
    this.#pending.set(request.id, { predictions, lastClose });
    if (this.#pending.size > MAX_PENDING) this.#pending.delete(this.#pending.keys().next().value!);
  }

  /** The realised closes of request `id`; ignored unless this tab committed to it. */
  outcome(id: string, closes: number[]): void {
    const pending = this.#pending.get(id);
    if (pending === undefined || closes.length < 2) return;
    this.#pending.delete(id);
    // Validators score the horizon that has realised (tsps.md §3.1).
    const skill = forecastSkill(
      pending.predictions.slice(0, closes.length),
      closes,
      pending.lastClose,
    );
    this.#scored++;
    this.#skillSum += skill;
    this.#lastSkill = skill;
  }

  figures(): ForecastFigures {
    return {
      requests: this.#requests,
      committed: this.#committed,
      scored: this.#scored,
      lastSkill: this.#lastSkill,
      meanSkill: this.#scored === 0 ? null : this.#skillSum / this.#scored,
    };
  }
}
