import { equal, rejects } from "node:assert/strict";
import { randomBatch } from "@/engine/gentrx/_random_batch.ts";
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { assertAllClose } from "@/engine/gentrx/ops/_gradient_check.ts";
import { TAOS_ADAMW_OPTIONS, Trainer } from "@/engine/gentrx/trainer.ts";
import { FIELDS } from "@/engine/gentrx/tokenizer.ts";
import { gpuTest } from "@/workers/gentrx/_gpu_testing.ts";
import { GpuTrainer } from "@/workers/gentrx/train_step_gpu.ts";

/** The CPU trainer test's learning rate: large enough that steps change the loss visibly. */
const OPTIONS = { ...TAOS_ADAMW_OPTIONS, lr: 3e-3 };
const STEPS = 3;
/** f32 sums in another order through a whole model; measured 1e-7 relative on lavapipe. */
const tolerance = { atol: 1e-5, rtol: 1e-5 };
/**
 * AdamW divides by sqrt(v), so a near-zero gradient's rounding moves its
 * parameter by up to lr·(1 − β₁) in the first steps (measured 3.5e-5).
 */
const parameterTolerance = { atol: 2e-4, rtol: 1e-3 };

Deno.test(
  gpuTest(
    "the GPU training step's losses match the CPU trainer's over the first steps",
    async (gpu) => {
      const batch = randomBatch(TINY_GENTRX_CONFIG, 2, 16, 2);
      const cpu = new Trainer(GenTrxModel.create(TINY_GENTRX_CONFIG, 1), OPTIONS);
      const onGpu = new GpuTrainer(gpu, GenTrxModel.create(TINY_GENTRX_CONFIG, 1), OPTIONS);
      for (let step = 1; step <= STEPS; step++) {
        const expected = cpu.step(batch);
        const actual = await onGpu.step(batch);
        assertAllClose([actual.total], [expected.total], tolerance, `step ${step} total loss`);
        assertAllClose(
          FIELDS.map((field) => actual.fields[field]),
          FIELDS.map((field) => expected.fields[field]),
          tolerance,
          `step ${step} field losses`,
        );
      }
      const parameters = await onGpu.readParameters();
      for (const [name, values] of cpu.model.parameters) {
        assertAllClose(parameters.get(name)!, values, parameterTolerance, name);
      }
    },
  ),
);

Deno.test(
  gpuTest(
    "a batch longer than the context or with ragged arrays is refused like on the CPU",
    async (gpu) => {
      const trainer = new GpuTrainer(gpu, GenTrxModel.create(TINY_GENTRX_CONFIG, 1), OPTIONS);
      const tooLong = randomBatch(TINY_GENTRX_CONFIG, 1, TINY_GENTRX_CONFIG.contextLength + 1, 3);
      const ragged = randomBatch(TINY_GENTRX_CONFIG, 1, 8, 3);
      ragged.targets.price = ragged.targets.price.subarray(1);
      await rejects(
        trainer.step(ragged),
        /Cannot run GenTRX: batch arrays do not match 1×8 positions/,
      );
      await rejects(
        trainer.step(tooLong),
        /Cannot run GenTRX: sequence length 33 exceeds the context of 32/,
      );
    },
  ),
);

Deno.test(gpuTest("a step started before the previous one finished is refused", async (gpu) => {
  const trainer = new GpuTrainer(gpu, GenTrxModel.create(TINY_GENTRX_CONFIG, 1), OPTIONS);
  const batch = randomBatch(TINY_GENTRX_CONFIG, 1, 8, 4);
  const first = trainer.step(batch);
  await rejects(trainer.step(batch), /the previous step has not finished/);
  await first;
  equal(trainer.steps, 1);
}));
