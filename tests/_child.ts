/**
 * Runs a child process of the test and bench runners with the environment
 * they all need (no colours; Deno ignoring package.json), streaming its
 * stdout as text while stderr passes through.
 *
 * @module
 */

/** Spawns `command`, hands each decoded stdout chunk to `onText`, resolves with the exit code. */
export async function runStreaming(
  command: string,
  args: string[],
  onText: (text: string) => void | Promise<void>,
): Promise<number> {
  const child = new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "inherit",
    env: {
      NO_COLOR: "1",
      DENO_NO_PACKAGE_JSON: "1",
      XDG_RUNTIME_DIR: Deno.env.get("XDG_RUNTIME_DIR") ?? "/tmp",
    },
  }).spawn();
  for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) await onText(text);
  return (await child.status).code;
}
