import { throws } from "node:assert/strict";
import { assertAllClose } from "@/engine/gentrx/ops/_gradient_check.ts";
import { adamwStep } from "@/engine/gentrx/ops/adamw.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { gpuTest } from "@/workers/gentrx/_gpu_testing.ts";
import { adamwStepGpu } from "@/workers/gentrx/kernels/adamw.ts";

const N = 777;
const STEPS = 5;
const options = { lr: 1e-2, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 };
const tolerance = { atol: 1e-6, rtol: 1e-5 };

Deno.test(gpuTest("adamwStepGpu matches the CPU adamwStep over several steps", async (gpu) => {
  const random = new SeededRandom(61);
  const params = random.normals(N, 1);
  const [m, v] = [new Float32Array(N), new Float32Array(N)];
  const state = {
    params: gpu.upload(params),
    grads: gpu.createBuffer(N),
    m: gpu.createBuffer(N),
    v: gpu.createBuffer(N),
  };
  for (let step = 1; step <= STEPS; step++) {
    const grads = random.normals(N, 1);
    adamwStep(params, grads, m, v, step, options);
    gpu.write(state.grads, grads);
    adamwStepGpu(gpu, state, N, step, options);
  }
  assertAllClose(await gpu.readF32(state.params, N), params, tolerance, "params");
  assertAllClose(await gpu.readF32(state.m, N), m, tolerance, "m");
  assertAllClose(await gpu.readF32(state.v, N), v, tolerance, "v");
}));

Deno.test(gpuTest("adamwStepGpu rejects a step below 1 like the CPU step", (gpu) => {
  const buffer = gpu.createBuffer(1);
  const state = { params: buffer, grads: buffer, m: buffer, v: buffer };
  throws(() => adamwStepGpu(gpu, state, 1, 0, options), /Cannot take AdamW step 0/);
  return Promise.resolve();
}));
