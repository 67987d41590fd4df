/** A timestamp in the reader's locale, with the exact ISO value in the `title` and `dateTime`. */
export function TimeText({ at }: { at: string | null | undefined }) {
  if (!at) return <span class="hint">never</span>;
  const date = new Date(at);
  return (
    <time dateTime={at} title={at}>
      {Number.isNaN(date.getTime()) ? at : date.toLocaleString()}
    </time>
  );
}
