import { ok, throws } from "node:assert/strict";
import { assertAllClose } from "@/engine/gentrx/ops/_gradient_check.ts";
import { adamwStep } from "@/engine/gentrx/ops/adamw.ts";

const options = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };

Deno.test("the first AdamW step moves each parameter by about lr against its gradient sign", () => {
  const params = Float32Array.from([1, -2, 0.5]);
  const grads = Float32Array.from([3, -0.01, 0]);
  const m = new Float32Array(3);
  const v = new Float32Array(3);
  adamwStep(params, grads, m, v, 1, options);
  // Bias-corrected m̂/sqrt(v̂) is sign(g) on step 1; decay multiplies by 1 − lr·wd first.
  const decay = 1 - options.lr * options.weightDecay;
  assertAllClose(params, [decay - 0.1, -2 * decay + 0.1, 0.5 * decay], {
    atol: 1e-6,
    rtol: 1e-6,
  }, "params");
  assertAllClose(m, [0.3, -0.001, 0], { atol: 1e-7, rtol: 1e-6 }, "m");
  assertAllClose(v, [0.009, 1e-7, 0], { atol: 1e-10, rtol: 1e-5 }, "v");
});

Deno.test("AdamW minimises a quadratic", () => {
  const params = Float32Array.from([3, -4]);
  const m = new Float32Array(2);
  const v = new Float32Array(2);
  for (let step = 1; step <= 200; step++) {
    const grads = Float32Array.from(params, (p) => 2 * p);
    adamwStep(params, grads, m, v, step, { ...options, weightDecay: 0 });
  }
  ok(Math.abs(params[0]) < 0.05 && Math.abs(params[1]) < 0.05, `params ${params}`);
});

Deno.test("a step below 1 is a clear error", () => {
  throws(
    () =>
      adamwStep(
        new Float32Array(1),
        new Float32Array(1),
        new Float32Array(1),
        new Float32Array(1),
        0,
        options,
      ),
    /Cannot take AdamW step 0: steps count from 1/,
  );
});
