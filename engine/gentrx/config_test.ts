import { doesNotThrow, throws } from "node:assert/strict";
import { TAOS_GENTRX_CONFIG, TINY_GENTRX_CONFIG, validateConfig } from "@/engine/gentrx/config.ts";

Deno.test("the shipped configs are valid", () => {
  doesNotThrow(() => validateConfig(TAOS_GENTRX_CONFIG));
  doesNotThrow(() => validateConfig(TINY_GENTRX_CONFIG));
});

Deno.test("each bad setting is named", () => {
  const bad = (patch: object) => () => validateConfig({ ...TAOS_GENTRX_CONFIG, ...patch });
  throws(bad({ layers: 0 }), /Invalid GenTRX config: layers is 0, expected a positive integer/);
  throws(bad({ normEps: -1 }), /normEps is -1, expected a positive number/);
  throws(bad({ heads: 7 }), /modelDim is 288, expected a multiple of 2 × heads \(7\)/);
  throws(bad({ filmLayers: [8] }), /filmLayers is \[8\], expected layers in 0..7/);
  throws(
    bad({ tokenizer: { ...TAOS_GENTRX_CONFIG.tokenizer, priceBins: 1.5 } }),
    /tokenizer.priceBins is 1.5, expected an integer ≥ 1/,
  );
});
