import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { THEME_CHANGE_EVENT, THEME_STORAGE_KEY } from "@/islands/_theme_script.tsx";

type Theme = "dark" | "light";

/** The theme in force: the saved choice, else the system preference. */
function currentTheme(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "dark" || chosen === "light") return chosen;
  return matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark";
}

/**
 * Switches between the dark and light themes and remembers the choice.
 * Rendered on the server as a plain button; its label names the theme it
 * switches to once the browser knows which one is showing.
 */
export default function ThemeToggle() {
  const theme = useSignal<Theme | null>(null);
  useEffect(() => {
    theme.value = currentTheme();
  }, []);
  const next: Theme = theme.value === "light" ? "dark" : "light";
  const toggle = () => {
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Private windows may refuse storage; the switch still applies to this page.
    }
    theme.value = next;
    document.dispatchEvent(new Event(THEME_CHANGE_EVENT));
  };
  return (
    <button
      type="button"
      class="theme-toggle"
      onClick={toggle}
      aria-label={theme.value === null ? "Switch theme" : `Switch to ${next} theme`}
      title={theme.value === null ? "Switch theme" : `Switch to ${next} theme`}
    >
      <span aria-hidden="true">{theme.value === "light" ? "☾" : "☀"}</span>
    </button>
  );
}
