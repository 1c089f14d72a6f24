/**
 * A neural forecaster trained with the GenTRX CPU training ops: a SwiGLU MLP
 * (GenTRX's own MLP block, down(silu(x·Wgate)·(x·Wup)), engine/gentrx/ops)
 * maps the standardised return and indicator features of
 * engine/forecast/return_samples.ts to the mean log return per step over the
 * horizon, and draws the path c·e^{k·r̂}. It is fitted by full-batch AdamW
 * on each request's history, keeping its weights between requests so later
 * requests fine-tune rather than start over; weight decay pulls r̂ towards 0,
 * i.e. towards the naive forecast, when the history shows no signal.
 *
 * Parameters: `hidden` (units, default 16), `lags` (default 5), `epochs`
 * (first fit, default 300; later requests a sixth of it), `lr` (default 0.01),
 * `weightDecay` (default 0.1). Initialised from the agent's seed.
 *
 * @module
 */
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { naiveForecast } from "@/engine/forecast/forecast_error.ts";
import { driftPath, returnSamples } from "@/engine/forecast/return_samples.ts";
import { type AdamWOptions, adamwStep } from "@/engine/gentrx/ops/adamw.ts";
import { matmul, matmulBackward } from "@/engine/gentrx/ops/matmul.ts";
import { swiglu, swigluBackward } from "@/engine/gentrx/ops/swiglu.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

type Weights = { gate: Float32Array; up: Float32Array; down: Float32Array };

/** A SwiGLU MLP with one output, trained on mean squared error. */
export class SwiGluRegressor {
  readonly weights: Weights;
  readonly #moments: { m: Weights; v: Weights };
  #steps = 0;

  constructor(readonly inputs: number, readonly hidden: number, seed: number) {
    const random = new SeededRandom(seed);
    this.weights = {
      gate: random.normals(inputs * hidden, 1 / Math.sqrt(inputs)),
      up: random.normals(inputs * hidden, 1 / Math.sqrt(inputs)),
      down: random.normals(hidden, 0.1 / Math.sqrt(hidden)),
    };
    const zeros = () => ({
      gate: new Float32Array(inputs * hidden),
      up: new Float32Array(inputs * hidden),
      down: new Float32Array(hidden),
    });
    this.#moments = { m: zeros(), v: zeros() };
  }

  #forward(x: Float32Array, rows: number) {
    const { inputs, hidden, weights } = this;
    const gate = matmul(x, weights.gate, rows, inputs, hidden);
    const up = matmul(x, weights.up, rows, inputs, hidden);
    const activation = swiglu(gate, up, rows * hidden);
    return { gate, up, activation, y: matmul(activation, weights.down, rows, hidden, 1) };
  }

  predict(rows: readonly number[][]): Float32Array {
    return this.#forward(Float32Array.from(rows.flat()), rows.length).y;
  }

  /** `epochs` full-batch AdamW steps on `rows` → `targets`; returns the last loss (MSE). */
  fit(
    rows: readonly number[][],
    targets: readonly number[],
    epochs: number,
    options: AdamWOptions,
  ) {
    const { inputs, hidden, weights } = this;
    const n = rows.length;
    const x = Float32Array.from(rows.flat());
    let loss = NaN;
    for (let epoch = 0; epoch < epochs; epoch++) {
      const { gate, up, activation, y } = this.#forward(x, n);
      const dY = new Float32Array(n);
      loss = 0;
      for (let i = 0; i < n; i++) {
        const error = y[i] - targets[i];
        loss += error * error / n;
        dY[i] = (2 * error) / n;
      }
      const down = matmulBackward(activation, weights.down, dY, n, hidden, 1);
      const { dGate, dUp } = swigluBackward(gate, up, down.dA, n * hidden);
      const grads: Weights = {
        gate: matmulBackward(x, weights.gate, dGate, n, inputs, hidden).dB,
        up: matmulBackward(x, weights.up, dUp, n, inputs, hidden).dB,
        down: down.dB,
      };
      this.#steps++;
      for (const name of ["gate", "up", "down"] as const) {
        const { m, v } = this.#moments;
        adamwStep(weights[name], grads[name], m[name], v[name], this.#steps, options);
      }
    }
    return loss;
  }
}

const mlpForecaster: AgentFactory = ({ params, seed }) => {
  const hidden = Number(params.hidden ?? 16);
  const lags = Number(params.lags ?? 5);
  const epochs = Number(params.epochs ?? 300);
  const options: AdamWOptions = {
    lr: Number(params.lr ?? 0.01),
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: Number(params.weightDecay ?? 0.1),
  };
  let model: SwiGluRegressor | null = null;
  return {
    respond() {},
    forecast({ history, horizon }) {
      const closes = history.map((candle) => candle.close);
      const last = closes[closes.length - 1];
      const set = returnSamples(closes, horizon, lags);
      if (set === null) return naiveForecast(last, horizon);
      const fresh = model === null || model.inputs !== set.current.length;
      if (fresh) model = new SwiGluRegressor(set.current.length, hidden, seed);
      model!.fit(set.rows, set.targets, fresh ? epochs : Math.ceil(epochs / 6), options);
      return driftPath(last, horizon, set.scale * model!.predict([set.current])[0]);
    },
  };
};

export default mlpForecaster;
