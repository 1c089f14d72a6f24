import TrainingPanel from "@/islands/TrainingPanel.tsx";
import ThemeToggle from "@/islands/ThemeToggle.tsx";

export const title = "Train GenTRX — Marketforge";

/**
 * Train a tiny GenTRX model in a web worker and generate orders from it with
 * onnxruntime-web, all in this tab (ARCHITECTURE.md decision 8).
 */
export default function TrainPage() {
  return (
    <section>
      <div class="page-head">
        <h1>Train GenTRX</h1>
        <ThemeToggle />
      </div>
      <p>
        A tiny order-flow model trains in a web worker of this tab on a seeded synthetic order flow.
        Stop it at any time, then export it to ONNX and generate orders with onnxruntime-web.
      </p>
      <TrainingPanel seed={1} />
    </section>
  );
}
