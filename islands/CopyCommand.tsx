import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";

export interface CopyCommandProps {
  /** Names the block, e.g. "Run the sandbox". */
  label: string;
  /** The text to show and copy: a command or a file. */
  code: string;
}

/**
 * A command or file to copy. Without JavaScript it is plain preformatted
 * text; in the browser a Copy button appears, and where the clipboard is
 * not allowed (plain http off loopback) it selects the text instead.
 */
export default function CopyCommand({ label, code }: CopyCommandProps) {
  const ready = useSignal(false);
  const outcome = useSignal<"copied" | "selected" | null>(null);
  const codeRef = useRef<HTMLElement>(null);
  useEffect(() => {
    ready.value = true;
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      outcome.value = "copied";
    } catch {
      const range = document.createRange();
      if (codeRef.current) range.selectNodeContents(codeRef.current);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      outcome.value = "selected";
    }
  };
  return (
    <figure class="command">
      <figcaption>
        <span>{label}</span>
        {ready.value && (
          <button type="button" class="copy" onClick={copy} aria-label={`Copy: ${label}`}>
            {outcome.value === "copied" ? "Copied" : "Copy"}
          </button>
        )}
      </figcaption>
      {/* Where it overflows (a phone), the browser makes it a Tab stop to scroll: named for that. */}
      <pre role="region" aria-label={label}>
        <code ref={codeRef}>{code}</code>
      </pre>
      {outcome.value === "selected" && (
        <p class="muted" role="status">Selected: press Ctrl+C (⌘C) to copy.</p>
      )}
    </figure>
  );
}
