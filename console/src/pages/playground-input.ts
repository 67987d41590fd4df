/** Parses the input editor's text; the playground refuses to evaluate text that is not JSON. */
export function parseInputText(text: string): { ok: true; input: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: false, message: 'the input is empty: enter a JSON value' };
  try {
    return { ok: true, input: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `the input is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function formatInput(input: unknown): string {
  return JSON.stringify(input, null, 2);
}

/** Milliseconds as the page shows them: microseconds below 1 ms. */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 100) return `${ms.toFixed(2)} ms`;
  return `${Math.round(ms)} ms`;
}
